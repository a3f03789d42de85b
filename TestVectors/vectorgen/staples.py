"""Every staple file: staples/common/ (key-independent) and staples/<kt>/ (one set per key type).

The same files serve as stapled responses and as the OCSP responder's answers in the manifest.
Each goes through output.put_staple(), which records in staples/index.json how it was made and
what `openssl ocsp -resp_text` makes of it. Groups, in the order they are written:

* responseStatus values other than successful (RFC 6960 §4.2.1, firefox-policy §3.1), an empty
  staple and bytes that are not DER (common);
* Good/Revoked/Unknown for each end-entity, issuer-signed or delegated, byKey or byName
  (firefox-policy §3.5), with embedded certificates (firefox-policy §3.3);
* one per delegated responder certificate of pki.PKI, signed by it (firefox-policy §3.5);
* the time boundaries of firefox-policy §3.9;
* CertID hash algorithms and CertID mismatches (firefox-policy §3.7);
* hand-crafted DER (ocsp.hand) for what cryptography cannot build;
* a 70,000-byte response and truncated / trailing-byte copies of good.der (firefox-policy §2.3).

build_staples() ends with a self-test: the hand-crafted encoder must reproduce cryptography's
tbsResponseData of good.der byte for byte.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp
from cryptography.x509.oid import ObjectIdentifier

from .clock import T0, D, H, S
from .der import (
    OID_OCSP_NONCE,
    OID_PADDING_EXT,
    OID_SCT_LIST,
    OID_UNKNOWN_EXT,
    der_read,
    enumerated,
    explicit,
    integer,
    null,
    octets,
    seq,
    tlv,
)
from .ocsp import build_resp, certid, der, ext, flip_signature_bit, h, hand, rid_bykey, single, spki_bits, tbs, tbs_of
from .output import put_staple, read
from .pki import PKI


def build_common_staples():
    C = "staples/common/"
    CR = "cryptography build_unsuccessful"
    for st, nm in [
        (ocsp.OCSPResponseStatus.MALFORMED_REQUEST, "status-1-malformedrequest"),
        (ocsp.OCSPResponseStatus.INTERNAL_ERROR, "status-2-internalerror"),
        (ocsp.OCSPResponseStatus.TRY_LATER, "status-3-trylater"),
        (ocsp.OCSPResponseStatus.SIG_REQUIRED, "status-5-sigrequired"),
        (ocsp.OCSPResponseStatus.UNAUTHORIZED, "status-6-unauthorized"),
    ]:
        put_staple(
            f"{C}{nm}.der",
            der(ocsp.OCSPResponseBuilder.build_unsuccessful(st)),
            CR,
            f"OCSPResponse with responseStatus {st.value}, no responseBytes",
            openssl="responder-error",
        )
    HC = "hand-crafted DER"
    put_staple(f"{C}status-4.der", seq(enumerated(4)), HC, "responseStatus 4 (unassigned)", openssl="responder-error")
    put_staple(f"{C}status-7.der", seq(enumerated(7)), HC, "responseStatus 7 (undefined)", openssl="responder-error")
    put_staple(
        f"{C}no-responsebytes.der",
        seq(enumerated(0)),
        HC,
        "responseStatus successful(0) without responseBytes (openssl: 'no response data')",
        openssl="fails",
    )
    put_staple(f"{C}empty.der", b"", "none", "zero-byte staple", openssl="fails")
    put_staple(f"{C}garbage.der", b"this is not an OCSP response\n", "none", "ASCII text, not DER", openssl="fails")
    put_staple(
        f"{C}wrong-outer-tag.der",
        b"\x31\x03\x0a\x01\x00",
        HC,
        "SET instead of SEQUENCE around a successful status",
        openssl="fails",
    )


def build_staples(p: PKI) -> dict[str, str]:
    kt = p.kt
    d = f"staples/{kt}/"
    S_: dict[str, str] = {}
    CB = "cryptography OCSPResponseBuilder"
    HC = "hand-crafted DER (signed with cryptography)"

    def cb(nm, desc, **kw):
        ee = kw.pop("ee", "ee-plain")
        S_[nm] = put_staple(f"{d}{nm}.der", build_resp(p, ee, **kw), CB, desc)
        return S_[nm]

    def hc(nm, desc, data, openssl="parses", tool=HC):
        S_[nm] = put_staple(f"{d}{nm}.der", data, tool, desc, openssl=openssl)
        return S_[nm]

    # --- basic statuses (issuer-signed, byKey, SHA-1 CertID, thisUpdate T0-1d, nextUpdate T0+6d)
    cb("good", "Good for ee-plain, issuer-signed, byKey, SHA-1 CertID, thisUpdate T0-1d, nextUpdate T0+6d")
    cb("revoked", "Revoked for ee-plain, fresh", status="revoked")
    cb("unknown", "Unknown for ee-plain, fresh", status="unknown")
    cb("good-byname", "Good, issuer-signed, responderID byName", rid="name")
    cb("good-with-issuer", "Good, issuer-signed, the issuer certificate embedded in certs", certs=["int"])
    cb("good-no-nextupdate", "Good without nextUpdate, thisUpdate T0-1d", nxt=None)
    cb("good-other", "Good for ee-other (a different certificate of the same issuer)", ee="ee-other")
    cb(
        "good-other-ca",
        "Good for ee-plain's CertID but signed by an unrelated CA (byName of that CA)",
        signer="other-root",
        rid="name",
    )
    cb(
        "critical-extension",
        "Good with an unknown critical response extension",
        exts=[(x509.UnrecognizedExtension(ObjectIdentifier(OID_UNKNOWN_EXT), null()), True)],
    )
    cb(
        "noncritical-extension",
        "Good with a non-critical nonce response extension",
        exts=[(x509.OCSPNonce(b"\x01" * 16), False)],
    )
    certs9 = [
        "root",
        "other-root",
        "subca",
        "resp-good",
        "resp-good-2",
        "resp-no-eku",
        "resp-serverauth-eku",
        "resp-ca-true",
        "resp-expired",
    ]
    cb("certs-8", "Good, issuer-signed, 8 unrelated certificates embedded", certs=certs9[:8])
    cb("certs-9", "Good, issuer-signed, 9 certificates embedded (mozpkix holds at most 8)", certs=certs9)
    good = read(S_["good"])
    hc("bad-signature", "good.der with the last bit of the signature flipped", flip_signature_bit(good))
    hc("trailing-byte", "good.der followed by one 0x00 byte", good + b"\x00")
    hc("trailing-response", "good.der twice, concatenated", good + good)
    hc("truncated", "good.der without its last 10 bytes", good[:-10], openssl="fails")
    hc("truncated-half", "the first half of good.der", good[: len(good) // 2], openssl="fails")
    hc(
        "indefinite-length",
        "good.der's content re-wrapped in a BER indefinite-length outer SEQUENCE",
        b"\x30\x80" + good[der_read(good)[1] :] + b"\x00\x00",
    )

    # --- delegated responders
    cb(
        "delegated-included",
        "Good signed by a delegated responder (EKU OCSPSigning), byName, signer embedded",
        signer="resp-good",
        rid="name",
        certs=["resp-good"],
    )
    cb(
        "delegated-included-bykey",
        "Good signed by a delegated responder, byKey, signer embedded",
        signer="resp-good",
        rid="key",
        certs=["resp-good"],
    )
    cb(
        "delegated-included-last",
        "Delegated, byName, certs = [root, other-root, signer]",
        signer="resp-good",
        rid="name",
        certs=["root", "other-root", "resp-good"],
    )
    cb("delegated-missing", "Delegated, byName, signer certificate not included", signer="resp-good", rid="name")
    cb("delegated-missing-bykey", "Delegated, byKey, signer certificate not included", signer="resp-good", rid="key")
    cb(
        "delegated-missing-multiple",
        "Delegated, byName, certs = [int, root, resp-good-2], none is the signer",
        signer="resp-good",
        rid="name",
        certs=["int", "root", "resp-good-2"],
    )
    for r, desc in [
        ("resp-no-eku", "signer without EKU"),
        ("resp-serverauth-eku", "signer with EKU serverAuth only"),
        ("resp-ca-true", "signer with basicConstraints cA=TRUE and EKU OCSPSigning"),
        ("resp-expired", "signer expired at T0 (notAfter T0-1d)"),
        ("resp-not-yet-valid", "signer not yet valid at T0 (notBefore T0+1d)"),
        ("resp-notafter-t0", "signer notAfter exactly T0"),
        ("resp-notafter-t0-minus-1s", "signer notAfter T0-1s"),
        ("resp-notbefore-t0", "signer notBefore exactly T0"),
        ("resp-unrelated-ca", "signer issued by an unrelated CA"),
        ("resp-unknown-key", "signer whose issuer Name is the intermediate's but signed by another key"),
        ("resp-sha1", "signer certificate signed with SHA-1 (openssl ca -md sha1)"),
        ("resp-rsa1016", "signer with a 1016-bit RSA key"),
        ("resp-crlsign", "signer with keyUsage cRLSign and no EKU"),
        ("resp-tampered-eku", "signer whose EKU was changed after signing (bad certificate signature)"),
        (
            "resp-weak-alg",
            "signer certificate signed with "
            + ("md5WithRSAEncryption (openssl ca -md md5)" if kt == "rsa" else "ecdsa-with-SHA224"),
        ),
    ]:
        nm = "delegated-" + r[len("resp-") :]
        cb(nm, f"Good, delegated, byName, signer embedded: {desc}", signer=r, rid="name", certs=[r])
    cb(
        "delegated-subca-first",
        "Delegated signer issued by a sub-CA of the intermediate; certs = [sub-CA, signer]",
        signer="resp-subca",
        rid="name",
        certs=["subca", "resp-subca"],
    )
    cb(
        "delegated-subca-second",
        "Delegated signer issued by a sub-CA of the intermediate; certs = [signer, sub-CA]",
        signer="resp-subca",
        rid="name",
        certs=["resp-subca", "subca"],
    )
    cb(
        "delegated-revoked",
        "Revoked, delegated responder, signer embedded",
        status="revoked",
        signer="resp-good",
        rid="name",
        certs=["resp-good"],
    )

    # --- status of other certificates
    cb("ms-good", "Good for ee-must-staple", ee="ee-must-staple")
    cb("ms-revoked", "Revoked for ee-must-staple", ee="ee-must-staple", status="revoked")
    cb(
        "ms-expired",
        "Expired Good for ee-must-staple (thisUpdate T0-5d, nextUpdate T0-3d)",
        ee="ee-must-staple",
        this=T0 - 5 * D,
        nxt=T0 - 3 * D,
    )
    cb(
        "ms-invalid-signer",
        "Good for ee-must-staple signed by a delegated responder without EKU",
        ee="ee-must-staple",
        signer="resp-no-eku",
        rid="name",
        certs=["resp-no-eku"],
    )
    cb(
        "ms-delegated-good",
        "Good for ee-must-staple, delegated responder embedded",
        ee="ee-must-staple",
        signer="resp-good",
        rid="name",
        certs=["resp-good"],
    )
    cb(
        "ms-delegated-revoked",
        "Revoked for ee-must-staple, delegated responder embedded",
        ee="ee-must-staple",
        status="revoked",
        signer="resp-good",
        rid="name",
        certs=["resp-good"],
    )
    cb("ms-critical-good", "Good for ee-must-staple-critical", ee="ee-must-staple-critical")
    for e in (
        "ee-tlsfeat-6",
        "ee-tlsfeat-5-6",
        "ee-tlsfeat-5-5",
        "ee-tlsfeat-int-0505",
        "ee-tlsfeat-int-empty",
        "ee-tlsfeat-empty-seq",
        "ee-tlsfeat-not-der",
        "ee-tlsfeat-empty-value",
    ):
        cb(e[3:] + "-good", f"Good for {e}", ee=e)
    cb(
        "msint-must-staple-good",
        "Good for ee-msint-must-staple, signed by the must-staple intermediate",
        ee="ee-msint-must-staple",
    )
    cb("msint-plain-good", "Good for ee-msint-plain, signed by the must-staple intermediate", ee="ee-msint-plain")
    cb("multi-good-good", "Good for ee-multi-good", ee="ee-multi-good")
    cb("multi-bad-good", "Good for ee-multi-bad", ee="ee-multi-bad")
    cb("short-lived-good", "Good for ee-short-lived", ee="ee-short-lived")
    cb("short-lived-revoked", "Revoked for ee-short-lived", ee="ee-short-lived", status="revoked")
    cb("short-lived-unknown", "Unknown for ee-short-lived", ee="ee-short-lived", status="unknown")
    cb(
        "short-lived-expired",
        "Expired Good for ee-short-lived (thisUpdate T0-5d, nextUpdate T0-3d)",
        ee="ee-short-lived",
        this=T0 - 5 * D,
        nxt=T0 - 3 * D,
    )
    cb(
        "short-lived-invalid-signer",
        "Good for ee-short-lived signed by a delegated responder without EKU",
        ee="ee-short-lived",
        signer="resp-no-eku",
        rid="name",
        certs=["resp-no-eku"],
    )
    cb("no-aia-good", "Good for ee-no-aia", ee="ee-no-aia")
    cb("no-aia-expired", "Expired Good for ee-no-aia", ee="ee-no-aia", this=T0 - 5 * D, nxt=T0 - 3 * D)
    cb(
        "no-aia-invalid-signer",
        "Good for ee-no-aia signed by a delegated responder without EKU",
        ee="ee-no-aia",
        signer="resp-no-eku",
        rid="name",
        certs=["resp-no-eku"],
    )
    cb(
        "ca-as-ee-revoked",
        "Revoked for ee-ca-as-ee (a cA=TRUE certificate served as end-entity)",
        ee="ee-ca-as-ee",
        status="revoked",
    )

    # --- times (firefox-policy §3.9)
    cb(
        "expired",
        "Good, expired: thisUpdate T0-5d, nextUpdate T0-3d (validThrough T0-2d)",
        this=T0 - 5 * D,
        nxt=T0 - 3 * D,
    )
    cb(
        "expired-fresh-ca",
        "Good, expired (thisUpdate T0-5d, nextUpdate T0-3d), signed by a delegated responder "
        "whose certificate is valid at T0 (embedded)",
        this=T0 - 5 * D,
        nxt=T0 - 3 * D,
        signer="resp-good",
        rid="name",
        certs=["resp-good"],
    )
    cb(
        "old-validity",
        "Good with an old validity period: thisUpdate T0-115d, nextUpdate T0-14d",
        this=T0 - 115 * D,
        nxt=T0 - 14 * D,
    )
    cb(
        "revoked-old",
        "Revoked, expired (thisUpdate T0-5d, nextUpdate T0-3d)",
        status="revoked",
        this=T0 - 5 * D,
        nxt=T0 - 3 * D,
    )
    cb(
        "unknown-old",
        "Unknown, expired (thisUpdate T0-5d, nextUpdate T0-3d)",
        status="unknown",
        this=T0 - 5 * D,
        nxt=T0 - 3 * D,
    )
    cb(
        "ancient-valid",
        "Good, thisUpdate T0-640d, nextUpdate T0+30d (max lifetime 10 d caps it)",
        this=T0 - 640 * D,
        nxt=T0 + 30 * D,
    )
    cb("t-this-plus-1d", "Good, thisUpdate = T0+1d exactly, nextUpdate T0+3d", this=T0 + D, nxt=T0 + 3 * D)
    cb("t-this-plus-1d-1s", "Good, thisUpdate = T0+1d+1s, nextUpdate T0+3d", this=T0 + D + S, nxt=T0 + 3 * D)
    cb(
        "t-validthrough-eq-t0",
        "Good, thisUpdate T0-3d, nextUpdate T0-1d: validThrough = T0 exactly",
        this=T0 - 3 * D,
        nxt=T0 - D,
    )
    cb(
        "t-validthrough-t0-minus-1s",
        "Good, thisUpdate T0-3d, nextUpdate T0-1d-1s: validThrough = T0-1s",
        this=T0 - 3 * D,
        nxt=T0 - D - S,
    )
    cb("t-no-next-eq", "Good, no nextUpdate, thisUpdate T0-2d: validThrough = T0", this=T0 - 2 * D, nxt=None)
    cb(
        "t-no-next-minus-1s",
        "Good, no nextUpdate, thisUpdate T0-2d-1s: validThrough = T0-1s",
        this=T0 - 2 * D - S,
        nxt=None,
    )
    cb(
        "t-maxlife-eq",
        "Good, thisUpdate T0-11d, nextUpdate T0+30d: validThrough = thisUpdate+10d+1d = T0",
        this=T0 - 11 * D,
        nxt=T0 + 30 * D,
    )
    cb(
        "t-maxlife-minus-1s",
        "Good, thisUpdate T0-11d-1s, nextUpdate T0+30d: validThrough = T0-1s",
        this=T0 - 11 * D - S,
        nxt=T0 + 30 * D,
    )
    cb("t-next-eq-this", "Good, nextUpdate = thisUpdate = T0-1h", this=T0 - H, nxt=T0 - H)
    cb("t-future-revoked", "Revoked, thisUpdate T0+1d+1s (future)", status="revoked", this=T0 + D + S, nxt=T0 + 3 * D)

    # --- CertID hash algorithms and responder IDs
    for hn in ("sha1", "sha256", "sha384", "sha512"):
        cb(f"certid-{hn}-bykey", f"Good, {hn.upper()} CertID, responderID byKey", hash_=hn, rid="key")
        cb(f"certid-{hn}-byname", f"Good, {hn.upper()} CertID, responderID byName", hash_=hn, rid="name")
    cb("certid-sha224", "Good, SHA-224 CertID (not a supported CertID hash: skipped)", hash_="sha224")
    cb(
        "byname-reencoded",
        "Good, signed by the issuer, byName with the issuer Name re-encoded as PrintableString",
        rid="name",
        rid_cert=p.reencoded_name_cert,
    )

    # --- hand-crafted
    ee = "ee-plain"
    icert = p.certs["int"]
    hc(
        "version-v1",
        "Good with tbsResponseData version [0] INTEGER 0 explicitly encoded",
        hand(p, ee, version=explicit(0, integer(0))),
    )
    hc(
        "version-v2",
        "Good with tbsResponseData version [0] INTEGER 1 (v2)",
        hand(p, ee, version=explicit(0, integer(1))),
    )
    hc("empty-responses", "tbsResponseData with an empty responses SEQUENCE", hand(p, ee, singles=[]))
    hc(
        "bykey-19",
        "Good, byKey responderID with a 19-byte key hash",
        hand(p, ee, rid=rid_bykey(icert, h("sha1", spki_bits(icert))[:19])),
    )
    hc(
        "next-before-this",
        "Good, thisUpdate T0-1d, nextUpdate T0-2d",
        hand(p, ee, singles=[single(certid(p, ee), this=T0 - D, nxt=T0 - 2 * D)]),
    )
    hc(
        "thisupdate-fractional",
        "Good, thisUpdate '20260531120000.5Z' (fractional seconds)",
        hand(p, ee, singles=[single(certid(p, ee), this_raw="20260531120000.5Z")]),
    )
    hc(
        "thisupdate-offset",
        "Good, thisUpdate '20260531120000+0000' (offset instead of Z)",
        hand(p, ee, singles=[single(certid(p, ee), this_raw="20260531120000+0000")]),
    )
    hc("empty-extensions", "Good with responseExtensions [1] { SEQUENCE {} }", hand(p, ee, exts=seq()))
    hc(
        "critical-single-extension",
        "Good with an unknown critical singleExtension",
        hand(p, ee, singles=[single(certid(p, ee), exts=seq(ext(OID_UNKNOWN_EXT, null(), True)))]),
    )
    hc(
        "noncritical-single-extension",
        "Good with an unknown non-critical singleExtension",
        hand(p, ee, singles=[single(certid(p, ee), exts=seq(ext(OID_UNKNOWN_EXT, null(), False)))]),
    )
    fake_sct = (
        b"\x00"
        + b"\x11" * 32
        + (1780315200000).to_bytes(8, "big")
        + b"\x00\x00"
        + b"\x04\x03"
        + b"\x00\x08"
        + b"\x30\x06\x02\x01\x01\x02\x01\x01"
    )
    sct_list = len(fake_sct).to_bytes(2, "big")
    sct_list = (len(fake_sct) + 2).to_bytes(2, "big") + sct_list + fake_sct
    hc(
        "sct-single-extension",
        "Good with a non-critical SCT-list singleExtension (OCTET STRING wrapped)",
        hand(p, ee, singles=[single(certid(p, ee), exts=seq(ext(OID_SCT_LIST, octets(sct_list), False)))]),
    )
    hc(
        "wrong-response-type",
        "Good BasicOCSPResponse wrapped with responseType id-pkix-ocsp-nonce",
        hand(p, ee, rtype=OID_OCSP_NONCE),
        openssl="fails",
    )
    hc(
        "certid-two-other-first",
        "Two SingleResponses: Good for ee-other, then Good for ee-plain",
        hand(p, ee, singles=[single(certid(p, "ee-other")), single(certid(p, ee))]),
    )
    hc(
        "certid-good-and-revoked",
        "Two SingleResponses for ee-plain: Good then Revoked",
        hand(p, ee, singles=[single(certid(p, ee)), single(certid(p, ee), status="revoked")]),
    )
    hc(
        "certid-unknown-and-good",
        "Two SingleResponses for ee-plain: Unknown then Good",
        hand(p, ee, singles=[single(certid(p, ee), status="unknown"), single(certid(p, ee))]),
    )
    hc(
        "certid-namehash-short",
        "Good, SHA-1 CertID whose issuerNameHash is 19 bytes (serial matches)",
        hand(p, ee, singles=[single(certid(p, ee, name_hash=h("sha1", icert.subject.public_bytes())[:19]))]),
    )
    hc(
        "certid-wrong-keyhash",
        "Good, CertID with the right serial and name hash but another key hash",
        hand(p, ee, singles=[single(certid(p, ee, key_hash=h("sha1", b"not the issuer key")))]),
    )
    sn = p.certs[ee].serial_number
    hc(
        "certid-serial-nonminimal",
        "Good, CertID serialNumber encoded with a superfluous leading 0x00",
        hand(p, ee, singles=[single(certid(p, ee, serial_der=tlv(0x02, b"\x00" + sn.to_bytes(8, "big"))))]),
        openssl="fails",
    )
    if kt == "rsa":
        hc(
            "pss-sha256-salt32",
            "Good signed RSASSA-PSS SHA-256/MGF1-SHA-256/salt 32 (CA/B Forum encoding)",
            hand(p, ee, scheme="pss-sha256-32"),
        )
        hc(
            "pss-sha384-salt48",
            "Good signed RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48 (CA/B Forum encoding)",
            hand(p, ee, scheme="pss-sha384-48"),
        )
        hc(
            "pss-sha256-salt20",
            "Good signed RSASSA-PSS SHA-256/MGF1-SHA-256/salt 20",
            hand(p, ee, scheme="pss-sha256-20"),
        )
        hc(
            "pss-sha256-salt32-nonull",
            "Good signed RSASSA-PSS SHA-256/salt 32, hash AlgorithmIdentifiers "
            "without NULL parameters (not the byte-exact CA/B Forum encoding)",
            hand(p, ee, scheme="pss-sha256-32-nonull"),
        )
        hc(
            "weak-signature-alg",
            "Good signed md5WithRSAEncryption (signature made with openssl dgst -md5)",
            hand(p, ee, scheme="md5-rsa"),
            tool="hand-crafted DER (signed with openssl dgst -md5)",
        )
    else:
        cb("weak-signature-alg", "Good signed ecdsa-with-SHA224", sign_hash=hashes.SHA224())

    # --- oversized: a Good response padded with a non-critical extension to exactly 70,000 bytes
    target, pad = 70000, 70000 - 700
    for _ in range(200):
        data = build_resp(
            p, ee, exts=[(x509.UnrecognizedExtension(ObjectIdentifier(OID_PADDING_EXT), octets(b"\x00" * pad)), False)]
        )
        if len(data) == target:
            break
        pad += target - len(data)
    assert len(data) == target, len(data)
    S_["oversized-70000"] = put_staple(
        f"{d}oversized-70000.der",
        data,
        CB,
        "Good padded with a non-critical extension to 70,000 bytes (outer length needs 3 length bytes)",
    )

    # self-test of the hand-made encoder against cryptography's encoding of the same response
    a = tbs_of(read(S_["good"]))
    b_ = tbs(rid_bykey(icert), [single(certid(p, ee))], produced=T0 - D)
    assert a == b_, "hand-crafted tbsResponseData differs from cryptography's"
    return S_
