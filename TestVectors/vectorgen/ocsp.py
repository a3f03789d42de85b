"""OCSP responses (RFC 6960 §4.2.1): built with cryptography, or assembled from DER and signed.

build_resp() uses cryptography's OCSPResponseBuilder, with producedAt set through
clock.set_produced_at(). The hand-crafted path (certid, single, tbs, basic, wrap, hand) encodes
the same structures itself, so that a case can have what the builder cannot make: an explicit
version, a 19-byte byKey hash (firefox-policy §3.5), several SingleResponses or a short
issuerNameHash (firefox-policy §3.7), raw GeneralizedTime strings (firefox-policy §3.9), single
extensions (firefox-policy §3.10), RSASSA-PSS and md5WithRSA signatures (firefox-policy §3.6).

Defaults throughout: signed by the issuer of the end-entity, responderID byKey, SHA-1 CertID,
thisUpdate = producedAt = T0-1d, nextUpdate = T0+6d.
"""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.x509 import ocsp

from .clock import T0, D, set_produced_at
from .der import (
    OID_OCSP_BASIC,
    bitstring,
    boolean,
    der_children,
    der_read,
    enumerated,
    explicit,
    gentime,
    integer,
    null,
    octets,
    oid,
    seq,
    tlv,
)
from .output import run, scratch
from .pki import PKI

# -- algorithm identifiers (firefox-policy §3.6) ------------------------------------------

ALG_ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"))
ALG_RSA_SHA256 = seq(oid("1.2.840.113549.1.1.11"), null())
ALG_RSA_MD5 = seq(oid("1.2.840.113549.1.1.4"), null())
HASH_OIDS = {
    "sha1": "1.3.14.3.2.26",
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
}


def pss_alg(hname: str, salt: int, with_null: bool = True) -> bytes:
    halg = seq(oid(HASH_OIDS[hname]), null()) if with_null else seq(oid(HASH_OIDS[hname]))
    return seq(
        oid("1.2.840.113549.1.1.10"),
        seq(explicit(0, halg), explicit(1, seq(oid("1.2.840.113549.1.1.8"), halg)), explicit(2, integer(salt))),
    )


# The CA/Browser Forum byte encodings that mozilla::pkix accepts (firefox-policy §3.6).
CABF_PSS_SHA256 = bytes.fromhex(
    "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886"
    "f70d010108300d06096086480165030402010500a203020120"
)
assert pss_alg("sha256", 32) == CABF_PSS_SHA256

HASHES = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}

# -- responses made by cryptography's OCSPResponseBuilder ---------------------------------

STATUS = {
    "good": ocsp.OCSPCertStatus.GOOD,
    "revoked": ocsp.OCSPCertStatus.REVOKED,
    "unknown": ocsp.OCSPCertStatus.UNKNOWN,
}


def der(r) -> bytes:
    return r.public_bytes(serialization.Encoding.DER)


def build_resp(
    p: PKI,
    ee: str,
    *,
    status="good",
    this=T0 - D,
    nxt=T0 + 6 * D,
    hash_="sha1",
    signer: str | None = None,
    rid="key",
    certs=(),
    exts=(),
    produced=None,
    sign_hash=None,
    cert_for_id: str | None = None,
    signer_key=None,
    rid_cert=None,
) -> bytes:
    """OCSP response built with cryptography's OCSPResponseBuilder.

    signer: None = the issuer of `ee`; otherwise the name of the certificate whose key signs.
    rid: "key" (byKey) or "name" (byName), computed from the signer certificate (or rid_cert).
    """
    issuer = p.issuer_of(ee)
    signer = signer or issuer
    set_produced_at(produced or this)
    b = ocsp.OCSPResponseBuilder().add_response(
        cert=p.certs[ee],
        issuer=p.certs[issuer],
        algorithm=HASHES[hash_](),
        cert_status=STATUS[status],
        this_update=this,
        next_update=nxt,
        revocation_time=(this - D) if status == "revoked" else None,
        revocation_reason=None,
    )
    b = b.responder_id(
        ocsp.OCSPResponderEncoding.HASH if rid == "key" else ocsp.OCSPResponderEncoding.NAME,
        rid_cert or p.certs[signer],
    )
    if certs:
        b = b.certificates([p.certs[c] if isinstance(c, str) else c for c in certs])
    for e, crit in exts:
        b = b.add_extension(e, critical=crit)
    k = signer_key or p.k(signer)
    return der(b.sign(k, sign_hash or hashes.SHA256()))


# -- hand-crafted DER responses --------------------------------------------------------


def spki_bits(cert: x509.Certificate) -> bytes:
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    kids = der_children(spki)
    s, e = kids[1]
    _, hl, _ = der_read(spki, s)
    return spki[s + hl + 1 : e]  # BIT STRING content without the unused-bits byte


def h(hname: str, data: bytes) -> bytes:
    return hashlib.new(hname, data).digest()


def certid(p: PKI, ee: str, hname="sha1", serial_der: bytes | None = None, name_hash=None, key_hash=None):
    iss = p.certs[p.issuer_of(ee)]
    nh = name_hash if name_hash is not None else h(hname, iss.subject.public_bytes())
    kh = key_hash if key_hash is not None else h(hname, spki_bits(iss))
    sn = serial_der if serial_der is not None else integer(p.certs[ee].serial_number)
    return seq(seq(oid(HASH_OIDS[hname]), null()), octets(nh), octets(kh), sn)


def single(cid: bytes, status="good", this=T0 - D, nxt=T0 + 6 * D, this_raw=None, exts: bytes | None = None):
    if status == "good":
        st = tlv(0x80, b"")
    elif status == "unknown":
        st = tlv(0x82, b"")
    else:
        st = tlv(0xA1, gentime(this - D))
    body = cid + st + gentime(this, this_raw)
    if nxt is not None:
        body += explicit(0, gentime(nxt))
    if exts is not None:
        body += explicit(1, exts)
    return seq(body)


def ext(oid_s: str, value: bytes, critical: bool) -> bytes:
    return seq(oid(oid_s), *([boolean(True)] if critical else []), octets(value))


def rid_bykey(cert: x509.Certificate, override: bytes | None = None) -> bytes:
    return explicit(2, octets(override if override is not None else h("sha1", spki_bits(cert))))


def rid_byname(cert: x509.Certificate) -> bytes:
    return explicit(1, cert.subject.public_bytes())


def tbs(
    rid: bytes, singles: list[bytes], produced=T0 - D, exts: bytes | None = None, version: bytes | None = None
) -> bytes:
    body = (version or b"") + rid + gentime(produced) + seq(*singles)
    if exts is not None:
        body += explicit(1, exts)
    return seq(body)


def sign_bytes(k, data: bytes, scheme: str) -> tuple[bytes, bytes]:
    """Return (AlgorithmIdentifier DER, signature)."""
    if scheme == "default":
        if isinstance(k, ec.EllipticCurvePrivateKey):
            return ALG_ECDSA_SHA256, k.sign(data, ec.ECDSA(hashes.SHA256()))
        return ALG_RSA_SHA256, k.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if scheme.startswith("pss-"):
        _, hname, salt, *rest = scheme.split("-")
        hh = HASHES[hname]()
        sig = k.sign(data, padding.PSS(mgf=padding.MGF1(hh), salt_length=int(salt)), hh)
        return pss_alg(hname, int(salt), with_null=("nonull" not in rest)), sig
    if scheme == "md5-rsa":
        kf = scratch() / f"md5-{id(k)}.pem"
        kf.write_bytes(
            k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        df, sf = scratch() / "md5-data.bin", scratch() / "md5-sig.bin"
        df.write_bytes(data)
        run("openssl", "dgst", "-md5", "-sign", str(kf), "-out", str(sf), str(df))
        return ALG_RSA_MD5, sf.read_bytes()
    raise ValueError(scheme)


def basic(tbs_der: bytes, k, scheme="default", certs: list[x509.Certificate] | None = None) -> bytes:
    alg, sig = sign_bytes(k, tbs_der, scheme)
    body = tbs_der + alg + bitstring(sig)
    if certs:
        body += explicit(0, seq(*[c.public_bytes(serialization.Encoding.DER) for c in certs]))
    return seq(body)


def wrap(basic_der: bytes, rtype: str = OID_OCSP_BASIC) -> bytes:
    return seq(enumerated(0), explicit(0, seq(oid(rtype), octets(basic_der))))


def hand(
    p: PKI,
    ee: str,
    *,
    singles=None,
    rid=None,
    produced=T0 - D,
    exts=None,
    version=None,
    scheme="default",
    certs=None,
    signer=None,
    rtype=OID_OCSP_BASIC,
) -> bytes:
    issuer = p.issuer_of(ee)
    signer = signer or issuer
    if singles is None:
        singles = [single(certid(p, ee))]
    if rid is None:
        rid = rid_bykey(p.certs[signer])
    t = tbs(rid, singles, produced=produced, exts=exts, version=version)
    return wrap(basic(t, p.k(signer), scheme, certs), rtype)


def flip_signature_bit(resp: bytes) -> bytes:
    """Flip the lowest bit of the last signature byte of a BasicOCSPResponse inside resp."""
    out = bytearray(resp)
    rb = der_children(resp, 0)[1]  # [0] responseBytes
    rbs = der_children(resp, rb[0])[0]  # SEQUENCE
    octet = der_children(resp, rbs[0])[1]  # OCTET STRING response
    _, hl, _ = der_read(resp, octet[0])
    bas = octet[0] + hl  # BasicOCSPResponse SEQUENCE
    sig = der_children(resp, bas)[2]  # signature BIT STRING
    out[sig[1] - 1] ^= 0x01
    return bytes(out)


def tbs_of(resp: bytes) -> bytes:
    rb = der_children(resp, 0)[1]
    rbs = der_children(resp, rb[0])[0]
    octet = der_children(resp, rbs[0])[1]
    _, hl, _ = der_read(resp, octet[0])
    bas = octet[0] + hl
    s, e = der_children(resp, bas)[0]
    return resp[s:e]
