#!/usr/bin/env python3
"""Regenerate the swift-must-staple test-vector corpus.

Run from the repository root:   python3 TestVectors/generate.py

Everything under TestVectors/pki, TestVectors/staples and TestVectors/manifest.json is
deleted and rebuilt.  The output is deterministic except for key material (and therefore
signatures): serial numbers, names, validity periods and every OCSP time (including
producedAt) are fixed relative to T0 = 2026-06-01T12:00:00Z.  Nothing reads the wall clock.

Tools: Python `cryptography` (certificates, OCSP responses via ocsp.OCSPResponseBuilder)
and the `openssl` CLI (a 1016-bit RSA key, SHA-1 and MD5 signed certificates, MD5 response
signatures).  A small DER encoder below is used only for structures neither tool can
express (see HAND-CRAFTED in staples/index.json).

Expectations in the manifest are derived by reading docs/firefox-policy.md
(referred to as "firefox-policy.md") and docs/CONTRACT.md; they are not produced by
running any verifier.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# ---------------------------------------------------------------------------------------
# cryptography's OCSPResponseBuilder stamps producedAt with datetime.datetime.now().  To
# keep the corpus independent of the wall clock we substitute a datetime class whose now()
# returns the producedAt we want for the response being built.  This must happen before
# cryptography is imported.
# ---------------------------------------------------------------------------------------
_REAL_DATETIME = _dt.datetime
_PRODUCED_AT = [_REAL_DATETIME(2026, 6, 1, 12, 0, 0, tzinfo=_dt.timezone.utc)]


class _FixedNowDatetime(_REAL_DATETIME):
    @classmethod
    def now(cls, tz=None):  # noqa: D401
        v = _PRODUCED_AT[0]
        return v if tz is not None else v.replace(tzinfo=None)

    @classmethod
    def utcnow(cls):
        return _PRODUCED_AT[0].replace(tzinfo=None)


_dt.datetime = _FixedNowDatetime  # type: ignore[misc]

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa  # noqa: E402
from cryptography.x509 import ocsp  # noqa: E402
from cryptography.x509.name import _ASN1Type  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier  # noqa: E402

UTC = _dt.timezone.utc


def dt(*a) -> _REAL_DATETIME:
    return _FixedNowDatetime(*a, tzinfo=UTC)


T0 = dt(2026, 6, 1, 12, 0, 0)
D = _dt.timedelta(days=1)
H = _dt.timedelta(hours=1)
S = _dt.timedelta(seconds=1)
NB = dt(2026, 1, 1, 0, 0, 0)   # default notBefore
NA = dt(2027, 1, 1, 0, 0, 0)   # default notAfter
OCSP_URL = "http://127.0.0.1:8888/"

HERE = Path(__file__).resolve().parent
KEY_TYPES = ("ecdsa", "rsa")

OID_TLS_FEATURE = ObjectIdentifier("1.3.6.1.5.5.7.1.24")
OID_OCSP_BASIC = "1.3.6.1.5.5.7.48.1.1"
OID_OCSP_NONCE = "1.3.6.1.5.5.7.48.1.2"
OID_SCT_LIST = "1.3.6.1.4.1.11129.2.4.5"
OID_UNKNOWN_EXT = "1.3.6.1.4.1.55555.1.1"     # private arc: an extension nobody understands
OID_PADDING_EXT = "1.3.6.1.4.1.55555.1.2"

# ---------------------------------------------------------------------------------------
# Minimal DER encoder / reader (hand-crafted cases only)
# ---------------------------------------------------------------------------------------


def der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + der_len(len(content)) + content


def seq(*items: bytes) -> bytes:
    return tlv(0x30, b"".join(items))


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        body.extend(reversed(chunk))
    return tlv(0x06, bytes(body))


def integer(n: int) -> bytes:
    length = max(1, (n.bit_length() + 8) // 8)
    return tlv(0x02, n.to_bytes(length, "big", signed=True))


def enumerated(n: int) -> bytes:
    return tlv(0x0A, bytes([n]))


def octets(b: bytes) -> bytes:
    return tlv(0x04, b)


def bitstring(b: bytes) -> bytes:
    return tlv(0x03, b"\x00" + b)


def null() -> bytes:
    return b"\x05\x00"


def boolean(v: bool) -> bytes:
    return tlv(0x01, b"\xff" if v else b"\x00")


def explicit(n: int, content: bytes) -> bytes:
    return tlv(0xA0 + n, content)


def gentime(t, raw: str | None = None) -> bytes:
    s = raw if raw is not None else t.strftime("%Y%m%d%H%M%SZ")
    return tlv(0x18, s.encode("ascii"))


def der_read(buf: bytes, pos: int = 0):
    """Return (tag, header_len, content_len) of the TLV at pos."""
    tag = buf[pos]
    first = buf[pos + 1]
    if first < 0x80:
        return tag, 2, first
    n = first & 0x7F
    return tag, 2 + n, int.from_bytes(buf[pos + 2: pos + 2 + n], "big")


def der_children(buf: bytes, pos: int = 0):
    """Children (start, end) of the constructed TLV at pos."""
    _, hl, cl = der_read(buf, pos)
    out, p, end = [], pos + hl, pos + hl + cl
    while p < end:
        _, h, c = der_read(buf, p)
        out.append((p, p + h + c))
        p += h + c
    return out


# ---------------------------------------------------------------------------------------
# Algorithm identifiers
# ---------------------------------------------------------------------------------------

ALG_ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"))
ALG_RSA_SHA256 = seq(oid("1.2.840.113549.1.1.11"), null())
ALG_RSA_MD5 = seq(oid("1.2.840.113549.1.1.4"), null())
HASH_OIDS = {"sha1": "1.3.14.3.2.26", "sha256": "2.16.840.1.101.3.4.2.1",
             "sha384": "2.16.840.1.101.3.4.2.2", "sha512": "2.16.840.1.101.3.4.2.3"}


def pss_alg(hname: str, salt: int, with_null: bool = True) -> bytes:
    halg = seq(oid(HASH_OIDS[hname]), null()) if with_null else seq(oid(HASH_OIDS[hname]))
    return seq(oid("1.2.840.113549.1.1.10"),
               seq(explicit(0, halg),
                   explicit(1, seq(oid("1.2.840.113549.1.1.8"), halg)),
                   explicit(2, integer(salt))))


# The CA/Browser Forum byte encodings that mozilla::pkix accepts (firefox-policy §3.6).
CABF_PSS_SHA256 = bytes.fromhex(
    "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886"
    "f70d010108300d06096086480165030402010500a203020120")
assert pss_alg("sha256", 32) == CABF_PSS_SHA256

HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
          "sha384": hashes.SHA384, "sha512": hashes.SHA512}

# ---------------------------------------------------------------------------------------
# Output bookkeeping
# ---------------------------------------------------------------------------------------

STAPLE_INDEX: dict[str, dict] = {}
TMP = Path(tempfile.mkdtemp(prefix="smsvectors-"))


def write(rel: str, data: bytes) -> str:
    p = HERE / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return rel


def put_staple(rel: str, data: bytes, tool: str, desc: str, openssl: str = "parses") -> str:
    """openssl: what `openssl ocsp -respin FILE -resp_text -noverify` is expected to do —
    "parses", "responder-error" (outer structure parsed, non-successful status reported) or "fails"."""
    assert rel not in STAPLE_INDEX, rel
    assert openssl in ("parses", "responder-error", "fails")
    write(rel, data)
    STAPLE_INDEX[rel] = {"tool": tool, "openssl": openssl, "description": desc}
    return rel


def run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


# ---------------------------------------------------------------------------------------
# Keys (cached in memory: one key per role and key type)
# ---------------------------------------------------------------------------------------

_KEYS: dict[tuple[str, str], object] = {}


def key(kt: str, role: str):
    k = (kt, role)
    if k not in _KEYS:
        if role == "rsa1016":
            path = TMP / f"{kt}-rsa1016.pem"
            run("openssl", "genrsa", "-out", str(path), "1016")
            _KEYS[k] = serialization.load_pem_private_key(path.read_bytes(), None)
        elif kt == "ecdsa":
            _KEYS[k] = ec.generate_private_key(ec.SECP256R1())
        else:
            _KEYS[k] = rsa.generate_private_key(65537, 2048)
    return _KEYS[k]


def key_pem_file(kt: str, role: str) -> Path:
    p = TMP / f"{kt}-{role}.key.pem"
    if not p.exists():
        p.write_bytes(key(kt, role).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    return p


def default_hash(k):
    return hashes.SHA256()


# ---------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------

ORG = "swift-must-staple test vectors"


def name(kt: str, cn: str, printable: bool = False) -> x509.Name:
    if printable:
        return x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG, _type=_ASN1Type.PrintableString),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{kt} {cn}", _type=_ASN1Type.PrintableString)])
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"{kt} {cn}")])


def tls_feature_value(*features: int) -> bytes:
    return seq(*[integer(f) for f in features])


class PKI:
    """All certificates of one key type."""

    def __init__(self, kt: str):
        self.kt = kt
        self.certs: dict[str, x509.Certificate] = {}
        self.keyrole: dict[str, str] = {}
        self.serial = 0x1000
        self.build()

    # -- helpers ------------------------------------------------------------------------
    def next_serial(self) -> int:
        self.serial += 1
        # deterministic, 8 bytes, positive, distinct per key type
        return (0x5A00000000000000 if self.kt == "ecdsa" else 0x3C00000000000000) + self.serial

    def make(self, nm: str, cn: str, issuer: str | None, *, ca=False, role=None,
             aia=True, tls: bytes | None = None, tls_critical=False, eku=("serverAuth",),
             ku="ee", nb=NB, na=NA, san=True, issuer_name=None, sign_key=None,
             sign_hash=None, ski=True) -> x509.Certificate:
        kt = self.kt
        role = role or nm
        subj_key = key(kt, role)
        subject = name(kt, cn)
        if issuer is None:
            iss_name, iss_key, iss_pub = subject, subj_key, subj_key.public_key()
        else:
            ic = self.certs[issuer]
            iss_name, iss_key, iss_pub = ic.subject, key(kt, self.keyrole[issuer]), ic.public_key()
        if issuer_name is not None:
            iss_name = issuer_name
        if sign_key is not None:
            iss_key = sign_key
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(iss_name)
             .public_key(subj_key.public_key()).serial_number(self.next_serial())
             .not_valid_before(nb).not_valid_after(na))
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        if ku == "ca":
            b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        elif ku == "ee":
            b = b.add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        elif ku == "crlsign":
            b = b.add_extension(x509.KeyUsage(False, False, False, False, False, False, True, False, False), critical=True)
        if eku:
            oids = {"serverAuth": ExtendedKeyUsageOID.SERVER_AUTH,
                    "ocspSigning": ExtendedKeyUsageOID.OCSP_SIGNING}
            b = b.add_extension(x509.ExtendedKeyUsage([oids[e] for e in eku]), critical=False)
        if ski:
            b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(subj_key.public_key()), critical=False)
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(iss_pub), critical=False)
        if san:
            b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(f"{nm}.{kt}.example")]), critical=False)
        if aia:
            b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(OCSP_URL))]),
                critical=False)
        if tls is not None:
            if tls == tls_feature_value(5) and not tls_critical:
                ext = x509.TLSFeature([x509.TLSFeatureType.status_request])
            else:
                ext = x509.UnrecognizedExtension(OID_TLS_FEATURE, tls)
            b = b.add_extension(ext, critical=tls_critical)
        cert = b.sign(iss_key, sign_hash or default_hash(iss_key))
        self.certs[nm] = cert
        self.keyrole[nm] = role
        return cert

    def openssl_issue(self, nm: str, cn: str, issuer: str, md: str, role: str | None = None):
        """Delegated responder certificate signed by `issuer` with digest `md` using `openssl ca`."""
        kt = self.kt
        role = role or nm
        d = TMP / f"ca-{kt}-{nm}"
        (d / "newcerts").mkdir(parents=True)
        (d / "index.txt").write_text("")
        serial = self.next_serial()
        (d / "serial").write_text(f"{serial:016X}\n")
        icert = d / "issuer.pem"
        icert.write_bytes(self.certs[issuer].public_bytes(serialization.Encoding.PEM))
        (d / "ca.cnf").write_text(f"""
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = {d}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
default_md = sha256
[ policy_any ]
organizationName = optional
commonName = supplied
[ ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
""")
        csr = d / "req.csr"
        subj = f"/O={ORG}/CN={kt} {cn}"
        run("openssl", "req", "-new", "-key", str(key_pem_file(kt, role)), "-subj", subj, "-out", str(csr))
        out = d / "cert.pem"
        run("openssl", "ca", "-batch", "-config", str(d / "ca.cnf"), "-cert", str(icert),
            "-keyfile", str(key_pem_file(kt, self.keyrole[issuer])), "-in", str(csr), "-out", str(out),
            "-startdate", NB.strftime("%Y%m%d%H%M%SZ"), "-enddate", NA.strftime("%Y%m%d%H%M%SZ"),
            "-md", md, "-extensions", "ext", "-notext", "-preserveDN")
        cert = x509.load_pem_x509_certificate(out.read_bytes())
        assert cert.issuer.public_bytes() == self.certs[issuer].subject.public_bytes()
        self.certs[nm] = cert
        self.keyrole[nm] = role
        return cert

    # -- the PKI ------------------------------------------------------------------------
    def build(self):
        kt = self.kt
        mk = self.make
        mk("root", "Root CA", None, ca=True, ku="ca", aia=False, eku=None, san=False)
        # The intermediate carries an OCSP AIA too: Firefox never asks about CAs (firefox-policy §6), so any
        # request for it would show up in expect.requests.
        mk("int", "Intermediate CA", "root", ca=True, ku="ca", eku=None, san=False)
        mk("int-must-staple", "Must-Staple Intermediate CA", "root", ca=True, ku="ca", eku=None,
           san=False, tls=tls_feature_value(5))
        mk("int-multi", "Multi-Feature Intermediate CA", "root", ca=True, ku="ca", eku=None,
           san=False, tls=tls_feature_value(5, 17))
        mk("subca", "Sub-CA of the Intermediate", "int", ca=True, ku="ca", eku=None, san=False)
        mk("other-root", "Unrelated Root CA", None, ca=True, ku="ca", aia=False, eku=None, san=False)

        # End-entities issued by the intermediate
        mk("ee-plain", "EE plain", "int", role="ee")
        mk("ee-must-staple", "EE must-staple", "int", role="ee", tls=tls_feature_value(5))
        mk("ee-must-staple-critical", "EE must-staple critical", "int", role="ee",
           tls=tls_feature_value(5), tls_critical=True)
        mk("ee-tlsfeat-6", "EE TLS feature {6}", "int", role="ee", tls=tls_feature_value(6))
        mk("ee-tlsfeat-5-6", "EE TLS feature {5,6}", "int", role="ee", tls=tls_feature_value(5, 6))
        mk("ee-tlsfeat-5-5", "EE TLS feature {5,5}", "int", role="ee", tls=tls_feature_value(5, 5))
        mk("ee-tlsfeat-int-0505", "EE TLS feature {INTEGER 05 05}", "int", role="ee",
           tls=seq(tlv(0x02, b"\x05\x05")))
        mk("ee-tlsfeat-int-empty", "EE TLS feature {INTEGER zero-length}", "int", role="ee",
           tls=seq(tlv(0x02, b"")))
        mk("ee-tlsfeat-empty-seq", "EE TLS feature empty SEQUENCE", "int", role="ee", tls=seq())
        mk("ee-tlsfeat-not-der", "EE TLS feature not DER", "int", role="ee", tls=b"\x30\x03\x02\x01")
        mk("ee-tlsfeat-empty-value", "EE TLS feature zero-length extnValue", "int", role="ee", tls=b"")
        mk("ee-short-lived", "EE short-lived 5 days", "int", role="ee",
           nb=T0 - _dt.timedelta(hours=60), na=T0 + _dt.timedelta(hours=60))
        mk("ee-life-10d", "EE validity exactly 10 days", "int", role="ee", nb=T0 - 5 * D, na=T0 + 5 * D)
        mk("ee-life-10d-minus-1s", "EE validity 10 days minus 1 s", "int", role="ee",
           nb=T0 - 5 * D, na=T0 + 5 * D - S)
        mk("ee-no-aia", "EE without AIA", "int", role="ee", aia=False)
        mk("ee-other", "EE other (for good-other)", "int", role="ee")
        mk("ee-ca-as-ee", "CA certificate used as end-entity", "int", role="ee", ca=True)
        # End-entities of the must-staple and multi-feature intermediates
        mk("ee-msint-must-staple", "EE must-staple under must-staple intermediate", "int-must-staple",
           role="ee", tls=tls_feature_value(5))
        mk("ee-msint-plain", "EE plain under must-staple intermediate", "int-must-staple", role="ee")
        mk("ee-multi-good", "EE copying {5,17}", "int-multi", role="ee", tls=tls_feature_value(5, 17))
        mk("ee-multi-bad", "EE with {5} under {5,17} intermediate", "int-multi", role="ee",
           tls=tls_feature_value(5))

        # Delegated OCSP responders
        R = dict(eku=("ocspSigning",), aia=False, san=False)
        mk("resp-good", "Delegated responder", "int", **R)
        mk("resp-good-2", "Delegated responder (second)", "int", **R)
        mk("resp-no-eku", "Delegated responder without EKU", "int", aia=False, san=False, eku=None)
        mk("resp-serverauth-eku", "Delegated responder with serverAuth EKU", "int", aia=False,
           san=False, eku=("serverAuth",))
        mk("resp-ca-true", "Delegated responder with cA TRUE", "int", ca=True, **R)
        mk("resp-expired", "Delegated responder expired", "int", nb=NB, na=T0 - D, **R)
        mk("resp-not-yet-valid", "Delegated responder not yet valid", "int", nb=T0 + D, na=NA, **R)
        mk("resp-notafter-t0", "Delegated responder notAfter T0", "int", nb=NB, na=T0, **R)
        mk("resp-notafter-t0-minus-1s", "Delegated responder notAfter T0-1s", "int", nb=NB, na=T0 - S, **R)
        mk("resp-notbefore-t0", "Delegated responder notBefore T0", "int", nb=T0, na=NA, **R)
        mk("resp-unrelated-ca", "Delegated responder from unrelated CA", "other-root", **R)
        mk("resp-unknown-key", "Delegated responder signed by unknown key", "int",
           issuer_name=self.certs["int"].subject, sign_key=key(kt, "impostor"), **R)
        mk("resp-subca", "Delegated responder issued by sub-CA", "subca", **R)
        mk("resp-rsa1016", "Delegated responder RSA-1016", "int", role="rsa1016", **R)
        mk("resp-crlsign", "Delegated responder keyUsage cRLSign no EKU", "int", ku="crlsign",
           aia=False, san=False, eku=None)
        self.openssl_issue("resp-sha1", "Delegated responder SHA-1 signed", "int", "sha1")
        if kt == "rsa":
            self.openssl_issue("resp-weak-alg", "Delegated responder MD5 signed", "int", "md5")
        else:
            mk("resp-weak-alg", "Delegated responder ecdsa-with-SHA224 signed", "int",
               sign_hash=hashes.SHA224(), **R)
        # tampered EKU: issue with serverAuth, then patch the OID's last arc to OCSPSigning in the
        # signed bytes, so the signature no longer verifies (gtest good_tampered_eku)
        base = mk("resp-tampered-eku", "Delegated responder tampered EKU", "int", aia=False,
                  san=False, eku=("serverAuth",))
        der = bytearray(base.public_bytes(serialization.Encoding.DER))
        pat = oid("1.3.6.1.5.5.7.3.1")
        assert der.count(pat) == 1
        i = der.index(pat) + len(pat) - 1
        der[i] = 0x09
        self.certs["resp-tampered-eku"] = x509.load_der_x509_certificate(bytes(der))
        # a certificate whose subject is the intermediate's Name re-encoded as PrintableString
        # (only used as the byName responderID source of a response; not written as a file)
        b = (x509.CertificateBuilder().subject_name(name(kt, "Intermediate CA", printable=True))
             .issuer_name(name(kt, "Intermediate CA", printable=True))
             .public_key(key(kt, "int").public_key()).serial_number(1)
             .not_valid_before(NB).not_valid_after(NA))
        self.reencoded_name_cert = b.sign(key(kt, "int"), hashes.SHA256())
        assert self.reencoded_name_cert.subject.public_bytes() != self.certs["int"].subject.public_bytes()

    def write(self):
        kt = self.kt
        pem = lambda n: self.certs[n].public_bytes(serialization.Encoding.PEM)  # noqa: E731
        for n in self.certs:
            sub = "responders/" if n.startswith("resp-") else ""
            write(f"pki/{kt}/{sub}{n}.pem", pem(n))
        chains = {}
        for n in self.certs:
            if n.startswith("ee-"):
                c = self.certs[n]
                issuer = next(i for i in ("int", "int-must-staple", "int-multi")
                              if self.certs[i].subject == c.issuer)
                write(f"pki/{kt}/chain-{n}.pem", pem(n) + pem(issuer) + pem("root"))
                chains[n] = f"pki/{kt}/chain-{n}.pem"
        self.chains = chains

    def issuer_of(self, ee: str) -> str:
        c = self.certs[ee]
        for i in ("int", "int-must-staple", "int-multi"):
            if self.certs[i].subject == c.issuer:
                return i
        raise KeyError(ee)

    def k(self, nm: str):
        return key(self.kt, self.keyrole[nm])


# ---------------------------------------------------------------------------------------
# OCSP responses
# ---------------------------------------------------------------------------------------

STATUS = {"good": ocsp.OCSPCertStatus.GOOD, "revoked": ocsp.OCSPCertStatus.REVOKED,
          "unknown": ocsp.OCSPCertStatus.UNKNOWN}


def der(r) -> bytes:
    return r.public_bytes(serialization.Encoding.DER)


def build_resp(p: PKI, ee: str, *, status="good", this=T0 - D, nxt=T0 + 6 * D, hash_="sha1",
               signer: str | None = None, rid="key", certs=(), exts=(), produced=None,
               sign_hash=None, cert_for_id: str | None = None, signer_key=None,
               rid_cert=None) -> bytes:
    """OCSP response built with cryptography's OCSPResponseBuilder.

    signer: None = the issuer of `ee`; otherwise the name of the certificate whose key signs.
    rid: "key" (byKey) or "name" (byName), computed from the signer certificate (or rid_cert).
    """
    issuer = p.issuer_of(ee)
    signer = signer or issuer
    _PRODUCED_AT[0] = produced or this
    b = ocsp.OCSPResponseBuilder().add_response(
        cert=p.certs[ee], issuer=p.certs[issuer], algorithm=HASHES[hash_](),
        cert_status=STATUS[status], this_update=this, next_update=nxt,
        revocation_time=(this - D) if status == "revoked" else None, revocation_reason=None)
    b = b.responder_id(ocsp.OCSPResponderEncoding.HASH if rid == "key" else ocsp.OCSPResponderEncoding.NAME,
                       rid_cert or p.certs[signer])
    if certs:
        b = b.certificates([p.certs[c] if isinstance(c, str) else c for c in certs])
    for e, crit in exts:
        b = b.add_extension(e, critical=crit)
    k = signer_key or p.k(signer)
    return der(b.sign(k, sign_hash or hashes.SHA256()))


# -- hand-crafted DER responses --------------------------------------------------------


def spki_bits(cert: x509.Certificate) -> bytes:
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    kids = der_children(spki)
    s, e = kids[1]
    _, hl, _ = der_read(spki, s)
    return spki[s + hl + 1: e]      # BIT STRING content without the unused-bits byte


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
    return seq(oid(oid_s), *( [boolean(True)] if critical else []), octets(value))


def rid_bykey(cert: x509.Certificate, override: bytes | None = None) -> bytes:
    return explicit(2, octets(override if override is not None else h("sha1", spki_bits(cert))))


def rid_byname(cert: x509.Certificate) -> bytes:
    return explicit(1, cert.subject.public_bytes())


def tbs(rid: bytes, singles: list[bytes], produced=T0 - D, exts: bytes | None = None,
        version: bytes | None = None) -> bytes:
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
        kf = TMP / f"md5-{id(k)}.pem"
        kf.write_bytes(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
        df, sf = TMP / "md5-data.bin", TMP / "md5-sig.bin"
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


def hand(p: PKI, ee: str, *, singles=None, rid=None, produced=T0 - D, exts=None, version=None,
         scheme="default", certs=None, signer=None, rtype=OID_OCSP_BASIC) -> bytes:
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
    rb = der_children(resp, 0)[1]                    # [0] responseBytes
    rbs = der_children(resp, rb[0])[0]                # SEQUENCE
    octet = der_children(resp, rbs[0])[1]             # OCTET STRING response
    _, hl, _ = der_read(resp, octet[0])
    bas = octet[0] + hl                               # BasicOCSPResponse SEQUENCE
    sig = der_children(resp, bas)[2]                  # signature BIT STRING
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


# ---------------------------------------------------------------------------------------
# Staples
# ---------------------------------------------------------------------------------------


def build_common_staples():
    C = "staples/common/"
    CR = "cryptography build_unsuccessful"
    for st, nm in [(ocsp.OCSPResponseStatus.MALFORMED_REQUEST, "status-1-malformedrequest"),
                   (ocsp.OCSPResponseStatus.INTERNAL_ERROR, "status-2-internalerror"),
                   (ocsp.OCSPResponseStatus.TRY_LATER, "status-3-trylater"),
                   (ocsp.OCSPResponseStatus.SIG_REQUIRED, "status-5-sigrequired"),
                   (ocsp.OCSPResponseStatus.UNAUTHORIZED, "status-6-unauthorized")]:
        put_staple(f"{C}{nm}.der", der(ocsp.OCSPResponseBuilder.build_unsuccessful(st)), CR,
                   f"OCSPResponse with responseStatus {st.value}, no responseBytes", openssl="responder-error")
    HC = "hand-crafted DER"
    put_staple(f"{C}status-4.der", seq(enumerated(4)), HC, "responseStatus 4 (unassigned)",
               openssl="responder-error")
    put_staple(f"{C}status-7.der", seq(enumerated(7)), HC, "responseStatus 7 (undefined)",
               openssl="responder-error")
    put_staple(f"{C}no-responsebytes.der", seq(enumerated(0)), HC,
               "responseStatus successful(0) without responseBytes (openssl: 'no response data')",
               openssl="fails")
    put_staple(f"{C}empty.der", b"", "none", "zero-byte staple", openssl="fails")
    put_staple(f"{C}garbage.der", b"this is not an OCSP response\n", "none",
               "ASCII text, not DER", openssl="fails")
    put_staple(f"{C}wrong-outer-tag.der", b"\x31\x03\x0a\x01\x00", HC,
               "SET instead of SEQUENCE around a successful status", openssl="fails")


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
    cb("good-other-ca", "Good for ee-plain's CertID but signed by an unrelated CA (byName of that CA)",
       signer="other-root", rid="name")
    cb("critical-extension", "Good with an unknown critical response extension",
       exts=[(x509.UnrecognizedExtension(ObjectIdentifier(OID_UNKNOWN_EXT), null()), True)])
    cb("noncritical-extension", "Good with a non-critical nonce response extension",
       exts=[(x509.OCSPNonce(b"\x01" * 16), False)])
    certs9 = ["root", "other-root", "subca", "resp-good", "resp-good-2", "resp-no-eku",
              "resp-serverauth-eku", "resp-ca-true", "resp-expired"]
    cb("certs-8", "Good, issuer-signed, 8 unrelated certificates embedded", certs=certs9[:8])
    cb("certs-9", "Good, issuer-signed, 9 certificates embedded (mozpkix holds at most 8)", certs=certs9)
    good = Path(HERE / S_["good"]).read_bytes()
    hc("bad-signature", "good.der with the last bit of the signature flipped", flip_signature_bit(good))
    hc("trailing-byte", "good.der followed by one 0x00 byte", good + b"\x00")
    hc("trailing-response", "good.der twice, concatenated", good + good)
    hc("truncated", "good.der without its last 10 bytes", good[:-10], openssl="fails")
    hc("truncated-half", "the first half of good.der", good[: len(good) // 2], openssl="fails")
    hc("indefinite-length", "good.der's content re-wrapped in a BER indefinite-length outer SEQUENCE",
       b"\x30\x80" + good[der_read(good)[1]:] + b"\x00\x00")

    # --- delegated responders
    cb("delegated-included", "Good signed by a delegated responder (EKU OCSPSigning), byName, signer embedded",
       signer="resp-good", rid="name", certs=["resp-good"])
    cb("delegated-included-bykey", "Good signed by a delegated responder, byKey, signer embedded",
       signer="resp-good", rid="key", certs=["resp-good"])
    cb("delegated-included-last", "Delegated, byName, certs = [root, other-root, signer]",
       signer="resp-good", rid="name", certs=["root", "other-root", "resp-good"])
    cb("delegated-missing", "Delegated, byName, signer certificate not included",
       signer="resp-good", rid="name")
    cb("delegated-missing-bykey", "Delegated, byKey, signer certificate not included",
       signer="resp-good", rid="key")
    cb("delegated-missing-multiple", "Delegated, byName, certs = [int, root, resp-good-2], none is the signer",
       signer="resp-good", rid="name", certs=["int", "root", "resp-good-2"])
    for r, desc in [("resp-no-eku", "signer without EKU"),
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
                    ("resp-weak-alg", "signer certificate signed with " +
                     ("md5WithRSAEncryption (openssl ca -md md5)" if kt == "rsa" else "ecdsa-with-SHA224"))]:
        nm = "delegated-" + r[len("resp-"):]
        cb(nm, f"Good, delegated, byName, signer embedded: {desc}", signer=r, rid="name", certs=[r])
    cb("delegated-subca-first", "Delegated signer issued by a sub-CA of the intermediate; certs = [sub-CA, signer]",
       signer="resp-subca", rid="name", certs=["subca", "resp-subca"])
    cb("delegated-subca-second", "Delegated signer issued by a sub-CA of the intermediate; certs = [signer, sub-CA]",
       signer="resp-subca", rid="name", certs=["resp-subca", "subca"])
    cb("delegated-revoked", "Revoked, delegated responder, signer embedded", status="revoked",
       signer="resp-good", rid="name", certs=["resp-good"])

    # --- status of other certificates
    cb("ms-good", "Good for ee-must-staple", ee="ee-must-staple")
    cb("ms-revoked", "Revoked for ee-must-staple", ee="ee-must-staple", status="revoked")
    cb("ms-expired", "Expired Good for ee-must-staple (thisUpdate T0-5d, nextUpdate T0-3d)",
       ee="ee-must-staple", this=T0 - 5 * D, nxt=T0 - 3 * D)
    cb("ms-invalid-signer", "Good for ee-must-staple signed by a delegated responder without EKU",
       ee="ee-must-staple", signer="resp-no-eku", rid="name", certs=["resp-no-eku"])
    cb("ms-delegated-good", "Good for ee-must-staple, delegated responder embedded", ee="ee-must-staple",
       signer="resp-good", rid="name", certs=["resp-good"])
    cb("ms-delegated-revoked", "Revoked for ee-must-staple, delegated responder embedded",
       ee="ee-must-staple", status="revoked", signer="resp-good", rid="name", certs=["resp-good"])
    cb("ms-critical-good", "Good for ee-must-staple-critical", ee="ee-must-staple-critical")
    for e in ("ee-tlsfeat-6", "ee-tlsfeat-5-6", "ee-tlsfeat-5-5", "ee-tlsfeat-int-0505",
              "ee-tlsfeat-int-empty", "ee-tlsfeat-empty-seq", "ee-tlsfeat-not-der", "ee-tlsfeat-empty-value"):
        cb(e[3:] + "-good", f"Good for {e}", ee=e)
    cb("msint-must-staple-good", "Good for ee-msint-must-staple, signed by the must-staple intermediate",
       ee="ee-msint-must-staple")
    cb("msint-plain-good", "Good for ee-msint-plain, signed by the must-staple intermediate", ee="ee-msint-plain")
    cb("multi-good-good", "Good for ee-multi-good", ee="ee-multi-good")
    cb("multi-bad-good", "Good for ee-multi-bad", ee="ee-multi-bad")
    cb("short-lived-good", "Good for ee-short-lived", ee="ee-short-lived")
    cb("short-lived-revoked", "Revoked for ee-short-lived", ee="ee-short-lived", status="revoked")
    cb("short-lived-unknown", "Unknown for ee-short-lived", ee="ee-short-lived", status="unknown")
    cb("short-lived-expired", "Expired Good for ee-short-lived (thisUpdate T0-5d, nextUpdate T0-3d)",
       ee="ee-short-lived", this=T0 - 5 * D, nxt=T0 - 3 * D)
    cb("short-lived-invalid-signer", "Good for ee-short-lived signed by a delegated responder without EKU",
       ee="ee-short-lived", signer="resp-no-eku", rid="name", certs=["resp-no-eku"])
    cb("no-aia-good", "Good for ee-no-aia", ee="ee-no-aia")
    cb("no-aia-expired", "Expired Good for ee-no-aia", ee="ee-no-aia", this=T0 - 5 * D, nxt=T0 - 3 * D)
    cb("no-aia-invalid-signer", "Good for ee-no-aia signed by a delegated responder without EKU",
       ee="ee-no-aia", signer="resp-no-eku", rid="name", certs=["resp-no-eku"])
    cb("ca-as-ee-revoked", "Revoked for ee-ca-as-ee (a cA=TRUE certificate served as end-entity)",
       ee="ee-ca-as-ee", status="revoked")

    # --- times (firefox-policy §3.9)
    cb("expired", "Good, expired: thisUpdate T0-5d, nextUpdate T0-3d (validThrough T0-2d)",
       this=T0 - 5 * D, nxt=T0 - 3 * D)
    cb("expired-fresh-ca", "Good, expired (thisUpdate T0-5d, nextUpdate T0-3d), signed by a delegated responder "
       "whose certificate is valid at T0 (embedded)", this=T0 - 5 * D, nxt=T0 - 3 * D,
       signer="resp-good", rid="name", certs=["resp-good"])
    cb("old-validity", "Good with an old validity period: thisUpdate T0-115d, nextUpdate T0-14d",
       this=T0 - 115 * D, nxt=T0 - 14 * D)
    cb("revoked-old", "Revoked, expired (thisUpdate T0-5d, nextUpdate T0-3d)", status="revoked",
       this=T0 - 5 * D, nxt=T0 - 3 * D)
    cb("unknown-old", "Unknown, expired (thisUpdate T0-5d, nextUpdate T0-3d)", status="unknown",
       this=T0 - 5 * D, nxt=T0 - 3 * D)
    cb("ancient-valid", "Good, thisUpdate T0-640d, nextUpdate T0+30d (max lifetime 10 d caps it)",
       this=T0 - 640 * D, nxt=T0 + 30 * D)
    cb("t-this-plus-1d", "Good, thisUpdate = T0+1d exactly, nextUpdate T0+3d", this=T0 + D, nxt=T0 + 3 * D)
    cb("t-this-plus-1d-1s", "Good, thisUpdate = T0+1d+1s, nextUpdate T0+3d", this=T0 + D + S, nxt=T0 + 3 * D)
    cb("t-validthrough-eq-t0", "Good, thisUpdate T0-3d, nextUpdate T0-1d: validThrough = T0 exactly",
       this=T0 - 3 * D, nxt=T0 - D)
    cb("t-validthrough-t0-minus-1s", "Good, thisUpdate T0-3d, nextUpdate T0-1d-1s: validThrough = T0-1s",
       this=T0 - 3 * D, nxt=T0 - D - S)
    cb("t-no-next-eq", "Good, no nextUpdate, thisUpdate T0-2d: validThrough = T0", this=T0 - 2 * D, nxt=None)
    cb("t-no-next-minus-1s", "Good, no nextUpdate, thisUpdate T0-2d-1s: validThrough = T0-1s",
       this=T0 - 2 * D - S, nxt=None)
    cb("t-maxlife-eq", "Good, thisUpdate T0-11d, nextUpdate T0+30d: validThrough = thisUpdate+10d+1d = T0",
       this=T0 - 11 * D, nxt=T0 + 30 * D)
    cb("t-maxlife-minus-1s", "Good, thisUpdate T0-11d-1s, nextUpdate T0+30d: validThrough = T0-1s",
       this=T0 - 11 * D - S, nxt=T0 + 30 * D)
    cb("t-next-eq-this", "Good, nextUpdate = thisUpdate = T0-1h", this=T0 - H, nxt=T0 - H)
    cb("t-future-revoked", "Revoked, thisUpdate T0+1d+1s (future)", status="revoked", this=T0 + D + S,
       nxt=T0 + 3 * D)

    # --- CertID hash algorithms and responder IDs
    for hn in ("sha1", "sha256", "sha384", "sha512"):
        cb(f"certid-{hn}-bykey", f"Good, {hn.upper()} CertID, responderID byKey", hash_=hn, rid="key")
        cb(f"certid-{hn}-byname", f"Good, {hn.upper()} CertID, responderID byName", hash_=hn, rid="name")
    cb("certid-sha224", "Good, SHA-224 CertID (not a supported CertID hash: skipped)", hash_="sha224")
    cb("byname-reencoded", "Good, signed by the issuer, byName with the issuer Name re-encoded as PrintableString",
       rid="name", rid_cert=p.reencoded_name_cert)

    # --- hand-crafted
    ee = "ee-plain"
    icert = p.certs["int"]
    hc("version-v1", "Good with tbsResponseData version [0] INTEGER 0 explicitly encoded",
       hand(p, ee, version=explicit(0, integer(0))))
    hc("version-v2", "Good with tbsResponseData version [0] INTEGER 1 (v2)",
       hand(p, ee, version=explicit(0, integer(1))))
    hc("empty-responses", "tbsResponseData with an empty responses SEQUENCE", hand(p, ee, singles=[]))
    hc("bykey-19", "Good, byKey responderID with a 19-byte key hash",
       hand(p, ee, rid=rid_bykey(icert, h("sha1", spki_bits(icert))[:19])))
    hc("next-before-this", "Good, thisUpdate T0-1d, nextUpdate T0-2d",
       hand(p, ee, singles=[single(certid(p, ee), this=T0 - D, nxt=T0 - 2 * D)]))
    hc("thisupdate-fractional", "Good, thisUpdate '20260531120000.5Z' (fractional seconds)",
       hand(p, ee, singles=[single(certid(p, ee), this_raw="20260531120000.5Z")]))
    hc("thisupdate-offset", "Good, thisUpdate '20260531120000+0000' (offset instead of Z)",
       hand(p, ee, singles=[single(certid(p, ee), this_raw="20260531120000+0000")]))
    hc("empty-extensions", "Good with responseExtensions [1] { SEQUENCE {} }", hand(p, ee, exts=seq()))
    hc("critical-single-extension", "Good with an unknown critical singleExtension",
       hand(p, ee, singles=[single(certid(p, ee), exts=seq(ext(OID_UNKNOWN_EXT, null(), True)))]))
    hc("noncritical-single-extension", "Good with an unknown non-critical singleExtension",
       hand(p, ee, singles=[single(certid(p, ee), exts=seq(ext(OID_UNKNOWN_EXT, null(), False)))]))
    fake_sct = (b"\x00" + b"\x11" * 32 + (1780315200000).to_bytes(8, "big") + b"\x00\x00" +
                b"\x04\x03" + b"\x00\x08" + b"\x30\x06\x02\x01\x01\x02\x01\x01")
    sct_list = len(fake_sct).to_bytes(2, "big")
    sct_list = (len(fake_sct) + 2).to_bytes(2, "big") + sct_list + fake_sct
    hc("sct-single-extension", "Good with a non-critical SCT-list singleExtension (OCTET STRING wrapped)",
       hand(p, ee, singles=[single(certid(p, ee), exts=seq(ext(OID_SCT_LIST, octets(sct_list), False)))]))
    hc("wrong-response-type", "Good BasicOCSPResponse wrapped with responseType id-pkix-ocsp-nonce",
       hand(p, ee, rtype=OID_OCSP_NONCE), openssl="fails")
    hc("certid-two-other-first", "Two SingleResponses: Good for ee-other, then Good for ee-plain",
       hand(p, ee, singles=[single(certid(p, "ee-other")), single(certid(p, ee))]))
    hc("certid-good-and-revoked", "Two SingleResponses for ee-plain: Good then Revoked",
       hand(p, ee, singles=[single(certid(p, ee)), single(certid(p, ee), status="revoked")]))
    hc("certid-unknown-and-good", "Two SingleResponses for ee-plain: Unknown then Good",
       hand(p, ee, singles=[single(certid(p, ee), status="unknown"), single(certid(p, ee))]))
    hc("certid-namehash-short", "Good, SHA-1 CertID whose issuerNameHash is 19 bytes (serial matches)",
       hand(p, ee, singles=[single(certid(p, ee, name_hash=h("sha1", icert.subject.public_bytes())[:19]))]))
    hc("certid-wrong-keyhash", "Good, CertID with the right serial and name hash but another key hash",
       hand(p, ee, singles=[single(certid(p, ee, key_hash=h("sha1", b"not the issuer key")))]))
    sn = p.certs[ee].serial_number
    hc("certid-serial-nonminimal", "Good, CertID serialNumber encoded with a superfluous leading 0x00",
       hand(p, ee, singles=[single(certid(p, ee, serial_der=tlv(0x02, b"\x00" + sn.to_bytes(8, "big"))))]),
       openssl="fails")
    if kt == "rsa":
        hc("pss-sha256-salt32", "Good signed RSASSA-PSS SHA-256/MGF1-SHA-256/salt 32 (CA/B Forum encoding)",
           hand(p, ee, scheme="pss-sha256-32"))
        hc("pss-sha384-salt48", "Good signed RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48 (CA/B Forum encoding)",
           hand(p, ee, scheme="pss-sha384-48"))
        hc("pss-sha256-salt20", "Good signed RSASSA-PSS SHA-256/MGF1-SHA-256/salt 20",
           hand(p, ee, scheme="pss-sha256-20"))
        hc("pss-sha256-salt32-nonull", "Good signed RSASSA-PSS SHA-256/salt 32, hash AlgorithmIdentifiers "
           "without NULL parameters (not the byte-exact CA/B Forum encoding)",
           hand(p, ee, scheme="pss-sha256-32-nonull"))
        hc("weak-signature-alg", "Good signed md5WithRSAEncryption (signature made with openssl dgst -md5)",
           hand(p, ee, scheme="md5-rsa"), tool="hand-crafted DER (signed with openssl dgst -md5)")
    else:
        cb("weak-signature-alg", "Good signed ecdsa-with-SHA224", sign_hash=hashes.SHA224())

    # --- oversized: a Good response padded with a non-critical extension to exactly 70,000 bytes
    target, pad = 70000, 70000 - 700
    for _ in range(200):
        data = build_resp(p, ee, exts=[(x509.UnrecognizedExtension(ObjectIdentifier(OID_PADDING_EXT),
                                                                     octets(b"\x00" * pad)), False)])
        if len(data) == target:
            break
        pad += target - len(data)
    assert len(data) == target, len(data)
    S_["oversized-70000"] = put_staple(f"{d}oversized-70000.der", data, CB,
                                        "Good padded with a non-critical extension to 70,000 bytes "
                                        "(outer length needs 3 length bytes)")

    # self-test of the hand-made encoder against cryptography's encoding of the same response
    a = tbs_of(Path(HERE / S_["good"]).read_bytes())
    b_ = tbs(rid_bykey(icert), [single(certid(p, ee))], produced=T0 - D)
    assert a == b_, "hand-crafted tbsResponseData differs from cryptography's"
    return S_


# ---------------------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------------------

REVOKED = "SEC_ERROR_REVOKED_CERTIFICATE"
UNKNOWN = "SEC_ERROR_OCSP_UNKNOWN_CERT"
OLD = "SEC_ERROR_OCSP_OLD_RESPONSE"
FUTURE = "SEC_ERROR_OCSP_FUTURE_RESPONSE"
TRYLATER = "SEC_ERROR_OCSP_TRY_SERVER_LATER"
MALREQ = "SEC_ERROR_OCSP_MALFORMED_REQUEST"
SRVERR = "SEC_ERROR_OCSP_SERVER_ERROR"
NEEDSSIG = "SEC_ERROR_OCSP_REQUEST_NEEDS_SIG"
UNAUTH = "SEC_ERROR_OCSP_UNAUTHORIZED_REQUEST"
UNKSTATUS = "SEC_ERROR_OCSP_UNKNOWN_RESPONSE_STATUS"
MALFORMED = "SEC_ERROR_OCSP_MALFORMED_RESPONSE"
BADSIG = "SEC_ERROR_OCSP_BAD_SIGNATURE"
INVSIGNER = "SEC_ERROR_OCSP_INVALID_SIGNING_CERT"
CERTMISSING = "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING"
TLSMISSING = "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
BADINT = "MOZILLA_PKIX_ERROR_INVALID_INTEGER_ENCODING"
CRITEXT = "SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION"
EXTINVALID = "SEC_ERROR_EXTENSION_VALUE_INVALID"
INVTIME = "SEC_ERROR_INVALID_TIME"
ALGDIS = "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED"
BADDER = "SEC_ERROR_BAD_DER"
STAPLEREQ = "STAPLE_ERROR_STAPLE_REQUIRED"

OMIT = object()
DOWN = [{"http": 500}]
DOWN2 = [{"http": 500}, {"http": 500}]


def iso(t) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


CASES: list[dict] = []


def add(kt, cat, short, desc, source, chain, staple, verdict, error=None, *, status=OMIT, result=OMIT,
        requests=OMIT, preset="firefox", sets=None, responder=None, time=T0, comment=None):
    c = {"name": f"{kt}/{cat}/{short}", "category": cat, "description": desc,
         "source": source, "chain": chain, "staple": staple, "time": iso(time),
         "policy": {"preset": preset, "set": dict(sets or {})}}
    if responder:
        c["responder"] = responder
    e = {"verdict": verdict, "error": error}
    if status is not OMIT:
        e["stapleStatus"] = status
    if result is not OMIT:
        e["stapleResult"] = result
    if requests is not OMIT:
        e["requests"] = requests
    c["expect"] = e
    if comment:
        c["comment"] = comment
    assert c["name"] not in {x["name"] for x in CASES}, c["name"]
    CASES.append(c)


def ok_good(**kw):
    """Accepted on a verified Good staple: no cache lookup, no fetch (firefox-policy §2.3)."""
    return dict(verdict="accepted", error=None, status="good", result="SUCCESS", requests=0, **kw)


def hard(err, status="invalid", **kw):
    """A staple error outside the tolerated list: returned at once, no fetch (firefox-policy §2.3)."""
    return dict(verdict="rejected", error=err, status=status, result=err, requests=0, **kw)


def fallback_down(err, status="invalid", **kw):
    """Tolerated staple error; fetch fails (HTTP 500) → the staple's error (firefox-policy §2.3, §2.7 HandleOCSPFailure).
    One request: the failure is cached for 5 minutes, so Firefox's second (1024-bit) pass does not fetch."""
    return dict(verdict="rejected", error=err, status=status, result=err, requests=1, responder=DOWN2, **kw)


def build_cases(p: PKI, S_: dict[str, str]):
    kt = p.kt
    ch = p.chains
    C = "staples/common/"
    st = lambda n: S_[n]  # noqa: E731
    P = "ee-plain"
    MS = "ee-must-staple"
    resp = lambda n: {"response": S_[n] if not n.startswith(C) else n}  # noqa: E731

    # ================================ firefox-8.1 =========================================
    cat = "firefox-8.1"
    src = "firefox-policy §8.1 (test_ocsp_stapling.js)"
    off_rows = [("good", st("good")), ("revoked", st("revoked")), ("good-other-ca", st("good-other-ca")),
                ("malformed", C + "status-1-malformedrequest.der"), ("srverr", C + "status-2-internalerror.der"),
                ("trylater", C + "status-3-trylater.der"), ("needssig", C + "status-5-sigrequired.der"),
                ("unauthorized", C + "status-6-unauthorized.der"), ("unknown", st("unknown")),
                ("good-other", st("good-other")), ("none", None), ("expired", st("expired")),
                ("expired-fresh-ca", st("expired-fresh-ca")), ("skip-responseBytes", C + "no-responsebytes.der"),
                ("critical-extension", st("critical-extension")),
                ("noncritical-extension", st("noncritical-extension")),
                ("empty-extensions", st("empty-extensions"))]
    for row, sp in off_rows:
        add(kt, cat, f"stapling-off/{row}",
            f"enable_ocsp_stapling=false: the {row} staple is not used; fetch fails (500), soft-fail Success",
            f"{src}, stapling disabled, row {row}", ch[P], sp, "accepted", None, status="notChecked",
            result=None, requests=1, sets={"stapling": False}, responder=DOWN2)
    rows = [
        ("good", st("good"), ok_good()),
        ("revoked", st("revoked"), hard(REVOKED)),
        ("good-other-ca", st("good-other-ca"), fallback_down(INVSIGNER)),
        ("malformed", C + "status-1-malformedrequest.der", hard(MALREQ)),
        ("srverr", C + "status-2-internalerror.der", hard(SRVERR)),
        ("trylater", C + "status-3-trylater.der", fallback_down(TRYLATER)),
        ("needssig", C + "status-5-sigrequired.der", hard(NEEDSSIG)),
        ("unauthorized", C + "status-6-unauthorized.der", hard(UNAUTH)),
        ("unknown", st("unknown"), hard(UNKNOWN)),
        ("good-other", st("good-other"), fallback_down(CERTMISSING)),
        ("none", None, dict(verdict="accepted", error=None, status="none", result=None, requests=1,
                            responder=DOWN2)),
        ("empty", C + "empty.der", hard(MALFORMED)),
        ("skip-responseBytes", C + "no-responsebytes.der", hard(MALFORMED)),
        ("critical-extension", st("critical-extension"), hard(CRITEXT)),
        ("noncritical-extension", st("noncritical-extension"), ok_good()),
        ("empty-extensions", st("empty-extensions"), ok_good()),
        ("delegated-included", st("delegated-included"), ok_good()),
        ("delegated-included-last", st("delegated-included-last"), ok_good()),
        ("delegated-missing", st("delegated-missing"), fallback_down(INVSIGNER)),
        ("delegated-missing-multiple", st("delegated-missing-multiple"), fallback_down(INVSIGNER)),
        ("delegated-no-extKeyUsage", st("delegated-no-eku"), fallback_down(INVSIGNER)),
        ("delegated-from-intermediate", st("delegated-unrelated-ca"), fallback_down(INVSIGNER)),
        ("delegated-keyUsage-crlSigning", st("delegated-crlsign"), fallback_down(INVSIGNER)),
        ("delegated-wrong-extKeyUsage", st("delegated-serverauth-eku"), fallback_down(INVSIGNER)),
        ("keysize-ocsp-delegated", st("delegated-rsa1016"), fallback_down(INVSIGNER)),
    ]
    for row, sp, e in rows:
        resp_ = e.pop("responder", DOWN2)
        add(kt, cat, row, f"stapled {row}; responder answers HTTP 500", f"{src}, row {row}",
            ch[P], sp, e["verdict"], e["error"], status=e["status"], result=e["result"],
            requests=e["requests"], responder=resp_,
            comment=("other CA untrusted variant; the 'other CA trusted for SSL' variant needs a second "
                     "trust anchor, which the manifest cannot express (same expectation)")
            if row == "good-other-ca" else
            ("our reading: the signer has keyUsage cRLSign and no EKU (the Firefox certspec was not read, "
             "firefox-policy §8.1 marks the rejecting check UNCONFIRMED)") if row == "delegated-keyUsage-crlSigning" else
            ("signer issued by an unrelated CA") if row == "delegated-from-intermediate" else None)
    e = hard(REVOKED)
    add(kt, cat, "revoked-ca-cert-used-as-end-entity",
        "a cA=TRUE certificate served as end-entity with a Revoked staple", f"{src}, row "
        "revoked-ca-cert-used-as-end-entity", ch["ee-ca-as-ee"], st("ca-as-ee-revoked"), e["verdict"],
        e["error"], status=e["status"], result=e["result"], requests=0, responder=DOWN2)

    # ================================ firefox-8.2 =========================================
    cat = "firefox-8.2"
    src = "firefox-policy §8.2 (test_ocsp_stapling_expired.js)"
    for host in ("expired", "expired-fresh-ca"):
        sp = st(host)
        add(kt, cat, f"{host}/fetch-good", f"expired staple ({host}); fetched fresh Good → Success",
            f"{src}, row {host} / fresh Good", ch[P], sp, "accepted", None, status="expired", result=OLD,
            requests=1, responder=[resp("good")])
        add(kt, cat, f"{host}/fetch-expired-good", f"expired staple ({host}); fetched Good is expired too",
            f"{src}, row {host} / expired Good (1 request: Firefox's second key-size pass would refetch; we make one pass)",
            ch[P], sp, "rejected", OLD, status="expired", result=OLD, requests=1,
            responder=[resp("expired"), resp("expired")])
        add(kt, cat, f"{host}/fetch-old-validity", f"expired staple ({host}); fetched Good with an old validity period",
            f"{src}, row {host} / Good with old validity period", ch[P], sp, "rejected", OLD,
            status="expired", result=OLD, requests=1, responder=[resp("old-validity"), resp("old-validity")])
        add(kt, cat, f"{host}/fetch-revoked", f"expired staple ({host}); fetched Revoked",
            f"{src}, row {host} / Revoked", ch[P], sp, "rejected", REVOKED, status="expired", result=OLD,
            requests=1, responder=[resp("revoked")])
        add(kt, cat, f"{host}/fetch-unknown", f"expired staple ({host}); fetched Unknown",
            f"{src}, row {host} / Unknown", ch[P], sp, "rejected", UNKNOWN, status="expired", result=OLD,
            requests=1, responder=[resp("unknown"), resp("unknown")])
    add(kt, cat, "expired/responder-down", "expired staple; responder HTTP 500 → the staple's error",
        f"{src}, row expired (twice) / HTTP 500", ch[P], st("expired"), "rejected", OLD, status="expired",
        result=OLD, requests=1, responder=DOWN2,
        comment="the Firefox row connects twice; the second connection (0 requests, negative cache) needs a "
                "warm cache and is not expressible")
    add(kt, cat, "revoked-old/responder-down", "expired Revoked staple; responder HTTP 500",
        f"{src}, row revoked-old / HTTP 500", ch[P], st("revoked-old"), "rejected", REVOKED, status="expired",
        result=REVOKED, requests=1, responder=DOWN2)
    add(kt, cat, "unknown-old/responder-down", "expired Unknown staple; responder HTTP 500",
        f"{src}, row unknown-old / HTTP 500", ch[P], st("unknown-old"), "rejected", UNKNOWN, status="expired",
        result=UNKNOWN, requests=1, responder=DOWN2)
    for host, err in (("revoked-old", REVOKED), ("unknown-old", UNKNOWN)):
        add(kt, cat, f"{host}/fetch-good", f"expired {host} staple; fetched fresh Good → Success",
            f"{src}, row revoked-old / unknown-old / fresh Good", ch[P], st(host), "accepted", None,
            status="expired", result=err, requests=1, responder=[resp("good")])
        add(kt, cat, f"{host}/fetch-expired-good", f"expired {host} staple; fetched expired Good → staple's error",
            f"{src}, row {host} / expired Good", ch[P], st(host), "rejected", err, status="expired", result=err,
            requests=1, responder=[resp("expired"), resp("expired")])
    add(kt, cat, "ancient-valid/fetch-good", "ancient-valid staple (thisUpdate T0-640d); fetched Good",
        f"{src}, row ancient-valid / Good", ch[P], st("ancient-valid"), "accepted", None, status="expired",
        result=OLD, requests=1, responder=[resp("good")])
    add(kt, cat, "ancient-valid/fetch-revoked", "ancient-valid staple; fetched Revoked",
        f"{src}, row ancient-valid / Revoked", ch[P], st("ancient-valid"), "rejected", REVOKED,
        status="expired", result=OLD, requests=1, responder=[resp("revoked")])
    add(kt, cat, "ancient-valid/fetch-unknown", "ancient-valid staple; fetched Unknown",
        f"{src}, row ancient-valid / Unknown", ch[P], st("ancient-valid"), "rejected", UNKNOWN,
        status="expired", result=OLD, requests=1, responder=[resp("unknown"), resp("unknown")])
    add(kt, cat, "must-staple-expired/fetch-good", "must-staple EE, expired staple; fetched Good → Success",
        f"{src}, row must-staple-expired / Good", ch[MS], st("ms-expired"), "accepted", None, status="expired",
        result=OLD, requests=1, responder=[resp("ms-good")])
    add(kt, cat, "must-staple-try-later/fetch-good", "must-staple EE, tryLater staple; fetched Good → Success",
        f"{src}, row must-staple-try-later / Good", ch[MS], C + "status-3-trylater.der", "accepted", None,
        status="invalid", result=TRYLATER, requests=1, responder=[resp("ms-good")])
    add(kt, cat, "must-staple-invalid-signer/fetch-good",
        "must-staple EE, staple from an unauthorized signer; fetched Good → Success",
        f"{src}, row must-staple-invalid-signer / Good", ch[MS], st("ms-invalid-signer"), "accepted", None,
        status="invalid", result=INVSIGNER, requests=1, responder=[resp("ms-good")])

    # ================================ firefox-8.3 =========================================
    cat = "firefox-8.3"
    src = "firefox-policy §8.3 (test_ocsp_must_staple.js)"
    add(kt, cat, "must-staple-ee-with-must-staple-int", "must-staple intermediate, EE copies {5}, Good staple",
        f"{src}, row ocsp-stapling-must-staple-ee-with-must-staple-int", ch["ee-msint-must-staple"],
        st("msint-must-staple-good"), **ok_good())
    add(kt, cat, "must-staple-ee-with-must-staple-int/no-staple",
        "must-staple intermediate, EE copies {5}, no staple: fetch (500, soft-fail) then must-staple fails",
        f"firefox-policy §1.2, §1.3; {src}", ch["ee-msint-must-staple"], None, "rejected", TLSMISSING,
        status="none", result=None, requests=1, responder=DOWN2)
    add(kt, cat, "plain-ee-with-must-staple-int",
        "must-staple intermediate, EE without the extension: chain rule fails before revocation",
        f"{src}, row ocsp-stapling-plain-ee-with-must-staple-int; firefox-policy §1.2", ch["ee-msint-plain"],
        st("msint-plain-good"), "rejected", TLSMISSING, requests=0, responder=DOWN2)
    add(kt, cat, "multi-tls-feature-good", "EE copies the intermediate's {5,17}; stapling off",
        f"{src}, row multi-tls-feature-good", ch["ee-multi-good"], None, "accepted", None,
        status="notChecked", result=None, requests=1, sets={"stapling": False}, responder=DOWN2)
    add(kt, cat, "multi-tls-feature-bad", "EE {5} under a {5,17} intermediate; stapling off",
        f"{src}, row multi-tls-feature-bad; firefox-policy §1.2", ch["ee-multi-bad"], None, "rejected", TLSMISSING,
        requests=0, sets={"stapling": False}, responder=DOWN2)
    add(kt, cat, "multi-tls-feature-bad/stapling-on",
        "EE {5} under a {5,17} intermediate, Good staple, stapling on: the chain rule fails first",
        f"{src}, row multi-tls-feature-bad; firefox-policy §1.2", ch["ee-multi-bad"], st("multi-bad-good"), "rejected",
        TLSMISSING, requests=0, responder=DOWN2)
    add(kt, cat, "multi-tls-feature-good/stapling-on",
        "EE {5,17} with a Good staple and stapling on: feature 17 is not honoured",
        "firefox-policy §1.3, §6 (status_request_v2 not supported)", ch["ee-multi-good"],
        st("multi-good-good"), "rejected", TLSMISSING, status="good", result="SUCCESS", requests=0)
    add(kt, cat, "must-staple", "must-staple EE, Good staple", f"{src}, row ocsp-stapling-must-staple",
        ch[MS], st("ms-good"), **ok_good())
    add(kt, cat, "must-staple-revoked", "must-staple EE, Revoked staple", f"{src}, row must-staple-revoked",
        ch[MS], st("ms-revoked"), **hard(REVOKED))
    add(kt, cat, "must-staple-missing", "must-staple EE, no staple; fetch (500) soft-fails, then must-staple fails",
        f"{src}, row must-staple-missing (on)", ch[MS], None, "rejected", TLSMISSING, status="none",
        result=None, requests=1, responder=DOWN2)
    add(kt, cat, "must-staple-empty", "must-staple EE, zero-byte staple", f"{src}, row must-staple-empty",
        ch[MS], C + "empty.der", **hard(MALFORMED))
    add(kt, cat, "must-staple-missing/stapling-off", "must-staple EE, no staple, stapling off",
        f"{src}, row must-staple-missing (off)", ch[MS], None, "accepted", None, status="notChecked",
        result=None, requests=1, sets={"stapling": False}, responder=DOWN2)
    add(kt, cat, "must-staple-expired", "must-staple EE, expired staple; fetch fails",
        f"{src}, row must-staple-expired", ch[MS], st("ms-expired"), **fallback_down(OLD, status="expired"))
    add(kt, cat, "must-staple-try-later", "must-staple EE, tryLater staple; fetch fails",
        f"{src}, row must-staple-try-later", ch[MS], C + "status-3-trylater.der", **fallback_down(TRYLATER))
    add(kt, cat, "must-staple-invalid-signer", "must-staple EE, unauthorized signer; fetch fails",
        f"{src}, row must-staple-invalid-signer", ch[MS], st("ms-invalid-signer"), **fallback_down(INVSIGNER))
    add(kt, cat, "must-staple-missing/must-staple-pref-off", "must-staple EE, no staple, mustStaple=false",
        f"{src}, row enable_ocsp_must_staple=false / must-staple-missing", ch[MS], None, "accepted", None,
        status="none", result=None, requests=1, sets={"mustStaple": False}, responder=DOWN2)
    add(kt, cat, "must-staple-try-later/fetch-off",
        "must-staple EE, tryLater staple, fetching off: presence suffices, tolerated error ignored",
        "firefox-policy §1.6 (TODO: must-staple with fetching disabled), firefox-policy §2.5(a)", ch[MS],
        C + "status-3-trylater.der", "accepted", None, status="invalid", result=TRYLATER, requests=0,
        sets={"fetch": "off"})

    # ================================ firefox-8.5 =========================================
    cat = "firefox-8.5"
    src = "firefox-policy §8.5 (test_ocsp_required.js), fetch=hard"
    H_ = {"fetch": "hard"}
    add(kt, cat, "bad-signature-fetched", "hard-fail; no staple; responder returns a response with a bad signature",
        f"{src}, row 1", ch[P], None, "rejected", BADSIG, status="none", result=None, requests=1, sets=H_,
        responder=[resp("bad-signature"), resp("bad-signature")],
        comment="row 2 (same again: no request thanks to the 5-minute error cache) needs a warm cache; not expressible")
    add(kt, cat, "empty-body-fetched", "hard-fail; no staple; responder returns HTTP 200 with an empty body",
        f"{src}, row 3", ch[P], None, "rejected", MALFORMED, status="none", result=None, requests=1, sets=H_,
        responder=[{"response": C + "empty.der"}, {"response": C + "empty.der"}])
    add(kt, cat, "responder-down", "hard-fail; no staple; responder HTTP 500",
        "firefox-policy §2.7 step 2, firefox-policy §4 (SERVER_ERROR: any fetch failure in hard-fail)", ch[P], None,
        "rejected", SRVERR, status="none", result=None, requests=1, sets=H_, responder=DOWN2)
    add(kt, cat, "fetch-good", "hard-fail; no staple; fetched Good", "firefox-policy §2.7 step 3",
        ch[P], None, "accepted", None, status="none", result=None, requests=1, sets=H_,
        responder=[resp("good")])
    add(kt, cat, "fetch-revoked", "hard-fail; no staple; fetched Revoked", "firefox-policy §2.7 step 3",
        ch[P], None, "rejected", REVOKED, status="none", result=None, requests=1, sets=H_,
        responder=[resp("revoked")])
    add(kt, cat, "fetch-expired-good", "hard-fail; no staple; fetched Good is expired → OLD_RESPONSE",
        "firefox-policy §2.7 step 3 (hard-fail returns the verification error); 1 request (Firefox's key-size retry pass is not reproduced)",
        ch[P], None, "rejected", OLD, status="none", result=None, requests=1, sets=H_,
        responder=[resp("expired"), resp("expired")])
    add(kt, cat, "staple-good", "hard-fail; Good staple: no fetch", "firefox-policy §2.3", ch[P],
        st("good"), **ok_good(sets=H_))
    add(kt, cat, "trylater-responder-down",
        "hard-fail; tryLater staple; responder 500 → the fetch error, not the staple's (HandleOCSPFailure hard)",
        "firefox-policy §2.7 HandleOCSPFailure", ch[P], C + "status-3-trylater.der", "rejected", SRVERR,
        status="invalid", result=TRYLATER, requests=1, sets=H_, responder=DOWN2)
    add(kt, cat, "no-aia-no-staple", "hard-fail; EE without AIA, no staple → Success",
        "firefox-policy §2.6 (Success even in hard-fail)", ch["ee-no-aia"], None, "accepted", None,
        status="none", result=None, requests=0, sets=H_)
    add(kt, cat, "short-lived-no-staple", "hard-fail; short-lived EE, no staple → Success without fetch",
        "firefox-policy §2.5(b)", ch["ee-short-lived"], None, "accepted", None, status="none", result=None,
        requests=0, sets=H_, responder=DOWN2)

    # ================================ firefox-8.6 =========================================
    cat = "firefox-8.6"
    src = "firefox-policy §8.6 (test_ocsp_caching.js)"
    add(kt, cat, "short-lifetime-12000", "shortLivedDays=12000 makes the 1-year EE short-lived: no fetch",
        f"{src}, row short_lifetime_in_days = 12000", ch[P], None, "accepted", None, status="none", result=None,
        requests=0, sets={"shortLivedDays": 12000}, responder=DOWN2)
    add(kt, cat, "short-lifetime-100", "shortLivedDays=100: the 1-year EE is fetched for (500, soft-fail)",
        f"{src}, row short_lifetime_in_days = 100", ch[P], None, "accepted", None, status="none", result=None,
        requests=1, sets={"shortLivedDays": 100}, responder=DOWN2)
    add(kt, cat, "stapled-unknown", "stapled Unknown", f"{src}, row stapled Unknown", ch[P], st("unknown"),
        **hard(UNKNOWN))
    add(kt, cat, "no-staple-responder-down", "fresh cache; no staple; responder 500 → soft-fail Success",
        f"{src}, row (cache cleared) no staple, responder 500", ch[P], None, "accepted", None, status="none",
        result=None, requests=1, responder=DOWN2)
    add(kt, cat, "stapled-revoked", "stapled Revoked", f"{src}, row stapled Revoked", ch[P], st("revoked"),
        **hard(REVOKED))
    add(kt, cat, "sha1-delegated-fetched", "hard-fail; fetched response signed by a SHA-1-signed delegated signer",
        f"{src}, row OCSP.require = true / SHA-1 delegated signer", ch[P], None, "rejected", INVSIGNER,
        status="none", result=None, requests=1, sets={"fetch": "hard"},
        responder=[resp("delegated-sha1"), resp("delegated-sha1")])
    add(kt, cat, "short-lived/no-staple", "EE valid 5 days: no fetch, Success", "firefox-policy §5.4, §2.5(b)",
        ch["ee-short-lived"], None, "accepted", None, status="none", result=None, requests=0, responder=DOWN2)
    add(kt, cat, "short-lived/good", "EE valid 5 days, Good staple", "firefox-policy §5.4, §2.3",
        ch["ee-short-lived"], st("short-lived-good"), **ok_good())
    add(kt, cat, "short-lived/trylater", "EE valid 5 days, tryLater staple: tolerated error ignored, no fetch",
        "firefox-policy §2.5(b) (a remembered tolerated staple error is ignored)", ch["ee-short-lived"],
        C + "status-3-trylater.der", "accepted", None, status="invalid", result=TRYLATER, requests=0,
        responder=DOWN2)
    add(kt, cat, "short-lived/expired", "EE valid 5 days, expired staple: no fetch, Success",
        "firefox-policy §2.5(b)", ch["ee-short-lived"], st("short-lived-expired"), "accepted", None,
        status="expired", result=OLD, requests=0, responder=DOWN2)
    add(kt, cat, "short-lived/invalid-signer", "EE valid 5 days, unauthorized signer: no fetch, Success",
        "firefox-policy §2.5(b)", ch["ee-short-lived"], st("short-lived-invalid-signer"), "accepted", None,
        status="invalid", result=INVSIGNER, requests=0, responder=DOWN2)
    add(kt, cat, "short-lived/revoked", "EE valid 5 days, fresh Revoked staple", "firefox-policy §2.3, §5.4",
        ch["ee-short-lived"], st("short-lived-revoked"), **hard(REVOKED))
    add(kt, cat, "short-lived/unknown", "EE valid 5 days, fresh Unknown staple", "firefox-policy §2.3, §5.4",
        ch["ee-short-lived"], st("short-lived-unknown"), **hard(UNKNOWN))
    add(kt, cat, "no-aia/no-staple", "EE without AIA, no staple → Success, nothing to fetch",
        "firefox-policy §2.6", ch["ee-no-aia"], None, "accepted", None, status="none", result=None,
        requests=0)
    add(kt, cat, "no-aia/good", "EE without AIA, Good staple", "firefox-policy §2.3", ch["ee-no-aia"],
        st("no-aia-good"), **ok_good())
    add(kt, cat, "no-aia/trylater", "EE without AIA, tryLater staple → the remembered staple error",
        "firefox-policy §2.6", ch["ee-no-aia"], C + "status-3-trylater.der", "rejected", TRYLATER,
        status="invalid", result=TRYLATER, requests=0)
    add(kt, cat, "no-aia/expired", "EE without AIA, expired staple → OLD_RESPONSE",
        "firefox-policy §2.6", ch["ee-no-aia"], st("no-aia-expired"), "rejected", OLD, status="expired",
        result=OLD, requests=0)
    add(kt, cat, "no-aia/invalid-signer", "EE without AIA, unauthorized signer → INVALID_SIGNING_CERT",
        "firefox-policy §2.6", ch["ee-no-aia"], st("no-aia-invalid-signer"), "rejected", INVSIGNER,
        status="invalid", result=INVSIGNER, requests=0)
    add(kt, cat, "fetch-off/trylater", "fetch=off, tryLater staple: local-only ignores the tolerated error",
        "firefox-policy §2.5(a)", ch[P], C + "status-3-trylater.der", "accepted", None, status="invalid",
        result=TRYLATER, requests=0, sets={"fetch": "off"}, responder=DOWN2)
    add(kt, cat, "fetch-off/expired", "fetch=off, expired staple → Success", "firefox-policy §2.5(a)",
        ch[P], st("expired"), "accepted", None, status="expired", result=OLD, requests=0,
        sets={"fetch": "off"}, responder=DOWN2)
    add(kt, cat, "fetch-off/no-staple", "fetch=off, no staple → Success", "firefox-policy §2.5(a)",
        ch[P], None, "accepted", None, status="none", result=None, requests=0, sets={"fetch": "off"},
        responder=DOWN2)
    add(kt, cat, "fetch-off/revoked", "fetch=off, fresh Revoked staple", "firefox-policy §2.3",
        ch[P], st("revoked"), **hard(REVOKED, sets={"fetch": "off"}))

    # ================================ firefox-8.11 ========================================
    cat = "firefox-8.11"
    src = "firefox-policy §8.11 (pkixocsp_VerifyEncodedOCSPResponse)"
    add(kt, cat, "without-response-bytes", "successful status without responseBytes", f"{src}, WithoutResponseBytes",
        ch[P], C + "no-responsebytes.der", **hard(MALFORMED))
    for n, f, err in ((1, "status-1-malformedrequest", MALREQ), (2, "status-2-internalerror", SRVERR),
                      (4, "status-4", UNKSTATUS), (5, "status-5-sigrequired", NEEDSSIG),
                      (6, "status-6-unauthorized", UNAUTH), (7, "status-7", UNKSTATUS)):
        add(kt, cat, f"status-{n}", f"responseStatus {n}", f"{src}, status {n}; firefox-policy §3.1", ch[P], C + f + ".der",
            **hard(err))
    add(kt, cat, "status-3", "responseStatus 3 (tryLater): tolerated, fetch fails", f"{src}, status 3; firefox-policy §2.8",
        ch[P], C + "status-3-trylater.der", **fallback_down(TRYLATER))
    add(kt, cat, "good-bykey", "issuer-signed, byKey", f"{src}, good_byKey", ch[P], st("good"), **ok_good())
    add(kt, cat, "good-byname", "issuer-signed, byName", f"{src}, good_byName", ch[P], st("good-byname"),
        **ok_good())
    add(kt, cat, "good-bykey-without-nextupdate", "no nextUpdate, thisUpdate = T0-1d",
        f"{src}, good_byKey_without_nextUpdate", ch[P], st("good-no-nextupdate"), **ok_good())
    add(kt, cat, "revoked", "Revoked", f"{src}, revoked", ch[P], st("revoked"), **hard(REVOKED))
    add(kt, cat, "unknown", "Unknown", f"{src}, unknown", ch[P], st("unknown"), **hard(UNKNOWN))
    add(kt, cat, "good-unsupported-signature-algorithm",
        "response signed with " + ("md5WithRSAEncryption" if kt == "rsa" else "ecdsa-with-SHA224"),
        f"{src}, good_unsupportedSignatureAlgorithm; firefox-policy §3.6", ch[P], st("weak-signature-alg"), **hard(ALGDIS))
    add(kt, cat, "check-validthrough/at", "good.der at T0+7d = nextUpdate+1d = validThrough: still valid",
        f"{src}, check_validThrough", ch[P], st("good"), **ok_good(time=T0 + 7 * D))
    add(kt, cat, "check-validthrough/after", "good.der at validThrough+1s: expired → fetch fails → OLD_RESPONSE",
        f"{src}, check_validThrough", ch[P], st("good"), **fallback_down(OLD, status="expired", time=T0 + 7 * D + S))
    add(kt, cat, "ct-extension", "Good with an SCT-list single extension", f"{src}, ct_extension; firefox-policy §3.10",
        ch[P], st("sct-single-extension"), **ok_good())
    add(kt, cat, "delegated-good-bykey", "delegated responder, byKey", f"{src}, delegated good_byKey",
        ch[P], st("delegated-included-bykey"), **ok_good())
    add(kt, cat, "delegated-good-byname", "delegated responder, byName", f"{src}, delegated good_byName",
        ch[P], st("delegated-included"), **ok_good())
    for short, sname, row in [
            ("good-bykey-missing-signer", "delegated-missing-bykey", "good_byKey_missing_signer"),
            ("good-byname-missing-signer", "delegated-missing", "good_byName_missing_signer"),
            ("good-expired-signer", "delegated-expired", "good_expired"),
            ("good-future-signer", "delegated-not-yet-valid", "good_future"),
            ("good-no-eku", "delegated-no-eku", "good_no_eku"),
            ("good-indirect-wrong-eku", "delegated-serverauth-eku", "good_indirect_wrong_eku"),
            ("good-tampered-eku", "delegated-tampered-eku", "good_tampered_eku"),
            ("good-unknown-issuer", "delegated-unknown-key", "good_unknown_issuer"),
            ("good-indirect-subca-1-first", "delegated-subca-first", "good_indirect_subca_1_first"),
            ("good-indirect-subca-1-second", "delegated-subca-second", "good_indirect_subca_1_second"),
            ("good-unsupported-signature-algorithm-on-responder", "delegated-weak-alg",
             "good_unsupportedSignatureAlgorithmOnResponder")]:
        add(kt, cat, short, f"signer rejected ({sname}); tolerated, fetch fails", f"{src}, {row}; firefox-policy §3.5",
            ch[P], st(sname), **fallback_down(INVSIGNER))
    for short, sname, desc in [
            ("delegated-ca-true", "delegated-ca-true", "signer with cA=TRUE (CA_CERT_USED_AS_END_ENTITY, masked)"),
            ("delegated-sha1-signer", "delegated-sha1", "SHA-1-signed signer certificate (PSM policy)"),
            ("delegated-unrelated-ca", "delegated-unrelated-ca", "signer issued by an unrelated CA")]:
        add(kt, cat, short, f"{desc}; tolerated, fetch fails", "firefox-policy §3.5", ch[P], st(sname),
            **fallback_down(INVSIGNER))
    add(kt, cat, "delegated-sha1-signer/sha1-allowed", "SHA-1-signed signer certificate with sha1=true",
        "docs/CONTRACT.md knob sha1; firefox-policy §3.5", ch[P], st("delegated-sha1"),
        **ok_good(sets={"sha1": True}))
    add(kt, cat, "bad-signature", "signature bit flipped (signer = issuer)", "firefox-policy §2.3, §3.5",
        ch[P], st("bad-signature"), **hard(BADSIG))
    add(kt, cat, "critical-single-extension", "unknown critical singleExtension", "firefox-policy §3.10",
        ch[P], st("critical-single-extension"), **hard(CRITEXT))
    add(kt, cat, "noncritical-single-extension", "unknown non-critical singleExtension",
        "firefox-policy §3.10", ch[P], st("noncritical-single-extension"), **ok_good())
    add(kt, cat, "critical-response-extension", "unknown critical responseExtension", "firefox-policy §3.4",
        ch[P], st("critical-extension"), **hard(CRITEXT))
    add(kt, cat, "nonce-extension", "non-critical nonce responseExtension", "firefox-policy §3.4",
        ch[P], st("noncritical-extension"), **ok_good())
    add(kt, cat, "empty-response-extensions", "empty responseExtensions SEQUENCE", "firefox-policy §3.4",
        ch[P], st("empty-extensions"), **ok_good())
    add(kt, cat, "version-v1-explicit", "explicit version v1", "firefox-policy §3.4", ch[P],
        st("version-v1"), **ok_good())
    add(kt, cat, "version-v2", "version v2", "firefox-policy §3.4", ch[P], st("version-v2"), **hard(MALFORMED))
    add(kt, cat, "empty-responses", "empty responses SEQUENCE", "firefox-policy §3.4", ch[P],
        st("empty-responses"), **hard(MALFORMED))
    add(kt, cat, "wrong-response-type", "responseType is not id-pkix-ocsp-basic", "firefox-policy §3.2",
        ch[P], st("wrong-response-type"), **hard(MALFORMED))
    add(kt, cat, "certs-8", "8 certificates embedded", "firefox-policy §3.3", ch[P], st("certs-8"), **ok_good())
    add(kt, cat, "certs-9", "9 certificates embedded", "firefox-policy §3.3", ch[P], st("certs-9"),
        **hard(MALFORMED))
    add(kt, cat, "good-with-issuer-embedded", "issuer-signed with the issuer certificate embedded",
        "firefox-policy §3.5 case 1", ch[P], st("good-with-issuer"), **ok_good())
    add(kt, cat, "good-other-ca", "signed by an unrelated CA", "firefox-policy §3.5, §8.1 good-other-ca",
        ch[P], st("good-other-ca"), **fallback_down(INVSIGNER))
    add(kt, cat, "good-other", "Good for another certificate", "firefox-policy §3.7, §2.3 (MODERN)",
        ch[P], st("good-other"), **fallback_down(CERTMISSING))
    if kt == "rsa":
        add(kt, cat, "pss-sha256-salt32", "RSASSA-PSS SHA-256/MGF1-SHA-256/salt 32", "firefox-policy §3.6",
            ch[P], st("pss-sha256-salt32"), **ok_good())
        add(kt, cat, "pss-sha384-salt48", "RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48", "firefox-policy §3.6",
            ch[P], st("pss-sha384-salt48"), **ok_good())
        add(kt, cat, "pss-sha256-salt20", "RSASSA-PSS SHA-256 with salt 20", "firefox-policy §3.6",
            ch[P], st("pss-sha256-salt20"), **hard(ALGDIS))
        add(kt, cat, "pss-sha256-salt32-nonull",
            "RSASSA-PSS SHA-256/salt 32 encoded without NULL hash parameters (not byte-exact)",
            "firefox-policy §3.6 (byte-exact CA/B Forum encodings only)", ch[P],
            st("pss-sha256-salt32-nonull"), **hard(ALGDIS))

    # ================================ firefox-8.12 ========================================
    cat = "firefox-8.12"
    src = "firefox-policy §8.12 (pkixcheck_TLSFeaturesSatisfiedInternal), firefox-policy §1.3"
    for row, ee_, err in [("empty", "ee-tlsfeat-empty-seq", BADDER), ("seq-5", MS, None),
                          ("seq-6", "ee-tlsfeat-6", TLSMISSING), ("seq-5-6", "ee-tlsfeat-5-6", TLSMISSING),
                          ("seq-5-5", "ee-tlsfeat-5-5", None),
                          ("seq-integer-05-05", "ee-tlsfeat-int-0505", TLSMISSING),
                          ("seq-integer-zero-length", "ee-tlsfeat-int-empty", TLSMISSING),
                          ("not-der", "ee-tlsfeat-not-der", BADDER)]:
        sname = "ms-good" if ee_ == MS else ee_[3:] + "-good"
        cm = ("'empty' is read as an empty SEQUENCE (30 00) in a decodable certificate" if row == "empty"
              else "extnValue 30 03 02 01 (truncated SEQUENCE), an extra row" if row == "not-der" else None)
        add(kt, cat, f"{row}/with-staple", f"TLS feature {row}, Good staple",
            f"{src}, row {row}, with staple", ch[ee_], st(sname), "rejected" if err else "accepted", err,
            status="good", result="SUCCESS", requests=0, comment=cm)
        add(kt, cat, f"{row}/without-staple", f"TLS feature {row}, no staple (fetch 500, soft-fail first)",
            f"{src}, row {row}, without staple", ch[ee_], None, "rejected", err or TLSMISSING,
            status="none", result=None, requests=1, responder=DOWN2, comment=cm)
    for ws, sp in (("with-staple", st("tlsfeat-empty-value-good")), ("without-staple", None)):
        add(kt, cat, f"empty-extnvalue/{ws}", "TLS feature extension with a zero-length extnValue: "
            "the certificate cannot be decoded", "firefox-policy §1.1", ch["ee-tlsfeat-empty-value"], sp,
            "rejected", EXTINVALID, requests=0, responder=DOWN2)
    add(kt, cat, "seq-5-critical/with-staple", "critical TLS feature {5}: criticality has no effect",
        "firefox-policy §1.1", ch["ee-must-staple-critical"], st("ms-critical-good"), **ok_good())
    add(kt, cat, "seq-5-critical/without-staple", "critical TLS feature {5}, no staple",
        "firefox-policy §1.1, §1.3", ch["ee-must-staple-critical"], None, "rejected", TLSMISSING,
        status="none", result=None, requests=1, responder=DOWN2)
    add(kt, cat, "seq-6/must-staple-off", "TLS feature {6}, mustStaple=false: the check is skipped",
        "firefox-policy §1.4", ch["ee-tlsfeat-6"], None, "accepted", None, status="none", result=None,
        requests=1, sets={"mustStaple": False}, responder=DOWN2)

    # ================================ times ===============================================
    cat = "times"
    src = "firefox-policy §3.9"
    add(kt, cat, "this-update-plus-1d", "thisUpdate = T0+1d exactly: not in the future (slop)",
        f"{src} (thisUpdate > now + SLOP is future)", ch[P], st("t-this-plus-1d"), **ok_good())
    add(kt, cat, "this-update-plus-1d-1s", "thisUpdate = T0+1d+1s → FUTURE_RESPONSE, hard failure",
        f"{src}; firefox-policy §2.3", ch[P], st("t-this-plus-1d-1s"), **hard(FUTURE))
    add(kt, cat, "future-revoked", "Revoked with thisUpdate T0+1d+1s → FUTURE_RESPONSE wins",
        f"{src}; firefox-policy §3.11", ch[P], st("t-future-revoked"), **hard(FUTURE))
    add(kt, cat, "validthrough-eq-t0", "validThrough = nextUpdate + 1d = T0 exactly: accepted",
        f"{src} (expired = now > validThrough)", ch[P], st("t-validthrough-eq-t0"), **ok_good())
    add(kt, cat, "validthrough-t0-minus-1s", "validThrough = T0-1s: expired, fetch fails",
        f"{src}; firefox-policy §2.3", ch[P], st("t-validthrough-t0-minus-1s"), **fallback_down(OLD, status="expired"))
    add(kt, cat, "validthrough-t0-minus-1s/fetch-good", "validThrough = T0-1s: expired, fetched Good",
        f"{src}; firefox-policy §2.3, §2.7", ch[P], st("t-validthrough-t0-minus-1s"), "accepted", None, status="expired",
        result=OLD, requests=1, responder=[resp("good")])
    add(kt, cat, "no-nextupdate-eq", "no nextUpdate, thisUpdate T0-2d: validThrough = thisUpdate+1d+slop = T0",
        src, ch[P], st("t-no-next-eq"), **ok_good())
    add(kt, cat, "no-nextupdate-minus-1s", "no nextUpdate, thisUpdate T0-2d-1s: expired",
        src, ch[P], st("t-no-next-minus-1s"), **fallback_down(OLD, status="expired"))
    add(kt, cat, "max-lifetime-eq", "thisUpdate T0-11d, nextUpdate T0+30d: window ends at thisUpdate+10d+1d = T0",
        f"{src} (maxLifetimeInDays 10)", ch[P], st("t-maxlife-eq"), **ok_good())
    add(kt, cat, "max-lifetime-minus-1s", "thisUpdate T0-11d-1s, nextUpdate T0+30d: expired",
        f"{src} (maxLifetimeInDays 10)", ch[P], st("t-maxlife-minus-1s"), **fallback_down(OLD, status="expired"))
    add(kt, cat, "max-lifetime-days-20", "maxLifetimeDays=20 extends t-maxlife-minus-1s's window: accepted",
        f"{src}; docs/CONTRACT.md knob maxLifetimeDays", ch[P], st("t-maxlife-minus-1s"),
        **ok_good(sets={"maxLifetimeDays": 20}))
    add(kt, cat, "ancient-valid", "thisUpdate T0-640d, nextUpdate T0+30d: expired; fetch fails",
        f"{src} (ocsp-stapling-ancient-valid)", ch[P], st("ancient-valid"), **fallback_down(OLD, status="expired"))
    add(kt, cat, "next-update-eq-this-update", "nextUpdate = thisUpdate = T0-1h: accepted",
        f"{src} (only nextUpdate < thisUpdate is malformed)", ch[P], st("t-next-eq-this"), **ok_good())
    add(kt, cat, "next-update-before-this-update", "nextUpdate < thisUpdate → MALFORMED", src, ch[P],
        st("next-before-this"), **hard(MALFORMED))
    add(kt, cat, "this-update-fractional-seconds", "thisUpdate with fractional seconds → INVALID_TIME",
        src, ch[P], st("thisupdate-fractional"), **hard(INVTIME))
    add(kt, cat, "this-update-offset", "thisUpdate with +0000 instead of Z → INVALID_TIME",
        src, ch[P], st("thisupdate-offset"), **hard(INVTIME))
    add(kt, cat, "time-validthrough-exact", "good.der (validThrough T0+7d) verified at T0+7d", src, ch[P],
        st("good"), **ok_good(time=T0 + 7 * D))
    add(kt, cat, "time-earliest", "good.der (thisUpdate T0-1d) verified at T0-2d: thisUpdate = now + slop",
        src, ch[P], st("good"), **ok_good(time=T0 - 2 * D))
    add(kt, cat, "time-before-earliest", "good.der verified at T0-2d-1s: thisUpdate > now + slop → FUTURE",
        src, ch[P], st("good"), **hard(FUTURE, time=T0 - 2 * D - S))
    add(kt, cat, "slop-0", "slopSeconds=0: t-validthrough-eq-t0 (nextUpdate T0-1d) is expired",
        f"{src}; docs/CONTRACT.md knob slopSeconds", ch[P], st("t-validthrough-eq-t0"),
        **fallback_down(OLD, status="expired", sets={"slopSeconds": 0}))
    add(kt, cat, "signer-notafter-t0", "delegated signer notAfter = T0: valid (no slop, inclusive)",
        "firefox-policy §3.5 (notBefore ≤ time ≤ notAfter, no slop)", ch[P], st("delegated-notafter-t0"),
        **ok_good())
    add(kt, cat, "signer-notafter-t0-minus-1s", "delegated signer notAfter = T0-1s: invalid signer",
        "firefox-policy §3.5", ch[P], st("delegated-notafter-t0-minus-1s"), **fallback_down(INVSIGNER))
    add(kt, cat, "signer-notbefore-t0", "delegated signer notBefore = T0: valid",
        "firefox-policy §3.5", ch[P], st("delegated-notbefore-t0"), **ok_good())
    add(kt, cat, "ee-validity-10d", "EE validity exactly 10 days is not short-lived: fetch (500, soft-fail)",
        "firefox-policy §2.5(b) (strictly less)", ch["ee-life-10d"], None, "accepted", None,
        status="none", result=None, requests=1, responder=DOWN2)
    add(kt, cat, "ee-validity-10d-minus-1s", "EE validity 10 days - 1 s is short-lived: no fetch",
        "firefox-policy §2.5(b)", ch["ee-life-10d-minus-1s"], None, "accepted", None,
        status="none", result=None, requests=0, responder=DOWN2)

    # ================================ certid ==============================================
    cat = "certid"
    src = "firefox-policy §3.5, §3.7"
    for hn in ("sha1", "sha256", "sha384", "sha512"):
        for r in ("bykey", "byname"):
            add(kt, cat, f"{hn}-{r}", f"{hn.upper()} CertID, responderID {r}", src, ch[P],
                st(f"certid-{hn}-{r}"), **ok_good())
    add(kt, cat, "sha224", "SHA-224 CertID is skipped → RESPONSE_FOR_CERT_MISSING (tolerated, fetch fails)",
        "firefox-policy §3.7 step 1", ch[P], st("certid-sha224"), **fallback_down(CERTMISSING))
    add(kt, cat, "sha224/fetch-good", "SHA-224 CertID staple; fetched Good", "firefox-policy §3.7, §2.3",
        ch[P], st("certid-sha224"), "accepted", None, status="invalid", result=CERTMISSING, requests=1,
        responder=[resp("good")])
    add(kt, cat, "issuer-signed-without-certs", "issuer-signed, no certificates embedded",
        "firefox-policy §3.5 case 1", ch[P], st("good"), **ok_good())
    add(kt, cat, "issuer-signed-with-issuer", "issuer-signed, issuer certificate embedded",
        "firefox-policy §3.5 case 1", ch[P], st("good-with-issuer"), **ok_good())
    add(kt, cat, "bykey-19-bytes", "byKey hash of 19 bytes → MALFORMED", "firefox-policy §3.5",
        ch[P], st("bykey-19"), **hard(MALFORMED))
    add(kt, cat, "byname-reencoded", "byName with the issuer Name re-encoded (PrintableString) does not match",
        "firefox-policy §3.5 (byte-identical Name)", ch[P], st("byname-reencoded"), **fallback_down(INVSIGNER))
    add(kt, cat, "two-responses-other-first", "SingleResponse for another cert first, then ours",
        "firefox-policy §3.7 (non-matching responses skipped)", ch[P], st("certid-two-other-first"),
        **ok_good())
    add(kt, cat, "good-and-revoked", "two matching SingleResponses Good and Revoked: revoked wins",
        "firefox-policy §3.8", ch[P], st("certid-good-and-revoked"), **hard(REVOKED))
    add(kt, cat, "unknown-and-good", "two matching SingleResponses Unknown and Good: good wins",
        "firefox-policy §3.8", ch[P], st("certid-unknown-and-good"), **ok_good())
    add(kt, cat, "name-hash-19-bytes", "issuerNameHash of 19 bytes with a matching serial → MALFORMED",
        "firefox-policy §3.7 step 4", ch[P], st("certid-namehash-short"), **hard(MALFORMED))
    add(kt, cat, "wrong-key-hash", "issuerKeyHash of another key → no match → RESPONSE_FOR_CERT_MISSING",
        "firefox-policy §3.7 step 5", ch[P], st("certid-wrong-keyhash"), **fallback_down(CERTMISSING))
    add(kt, cat, "serial-nonminimal", "serialNumber with a superfluous leading zero → INVALID_INTEGER_ENCODING",
        "firefox-policy §3.7 step 2, firefox-policy §3 (returned unmapped)", ch[P], st("certid-serial-nonminimal"),
        **hard(BADINT))
    add(kt, cat, "other-certificate", "response only for another certificate (serial mismatch)",
        "firefox-policy §3.7 step 3", ch[P], st("good-other"), **fallback_down(CERTMISSING))

    # ================================ presets =============================================
    cat = "presets"
    inputs = [("good", P, st("good")), ("none", P, None), ("trylater", P, C + "status-3-trylater.der"),
              ("expired", P, st("expired")), ("invalid-signer", P, st("delegated-no-eku")),
              ("good-other", P, st("good-other")), ("revoked", P, st("revoked")),
              ("must-staple-missing", MS, None), ("must-staple-trylater", MS, C + "status-3-trylater.der")]
    staple_err = {"trylater": (TRYLATER, "invalid", "tryLater"), "must-staple-trylater": (TRYLATER, "invalid", "tryLater"),
                  "expired": (OLD, "expired", "expiredStaple"), "invalid-signer": (INVSIGNER, "invalid", "invalidSigner"),
                  "good-other": (CERTMISSING, "invalid", "wrongCertificate")}
    presets = {
        "firefox": dict(mustStaple=True, fetch="soft", tryLater="fallback", invalidSigner="fallback",
                        wrongCertificate="fallback", expiredStaple="fallback", requireStaple=False),
        "firefox2016": dict(mustStaple=True, fetch="soft", tryLater="fail", invalidSigner="fail",
                            wrongCertificate="fail", expiredStaple="fallback", requireStaple=False),
        "strict": dict(mustStaple=True, fetch="off", tryLater="fail", invalidSigner="fail",
                       wrongCertificate="fail", expiredStaple="fail", requireStaple=True),
        "permissive": dict(mustStaple=False, fetch="soft", tryLater="ignore", invalidSigner="fallback",
                           wrongCertificate="ignore", expiredStaple="ignore", requireStaple=False),
    }

    def expect_preset(inp: str, ee_: str, pol: dict) -> dict:
        """Outcome with the responder down (HTTP 500), derived from firefox-policy §2.3–§2.7 and CONTRACT.md's treatments."""
        fetch = pol["fetch"]
        must = pol["mustStaple"] and ee_ == MS
        no_staple_req = 1 if fetch != "off" else 0

        def no_staple_outcome(status, result, extra_req=0):
            # revocation: no staple → fetch fails → soft-fail Success (or local-only Success)
            if must:
                return dict(verdict="rejected", error=TLSMISSING, status=status, result=result,
                            requests=no_staple_req)
            if pol["requireStaple"]:
                return dict(verdict="rejected", error=STAPLEREQ, status=status, result=result,
                            requests=no_staple_req)
            return dict(verdict="accepted", error=None, status=status, result=result, requests=no_staple_req)

        if inp == "good":
            return dict(verdict="accepted", error=None, status="good", result="SUCCESS", requests=0)
        if inp == "revoked":
            return dict(verdict="rejected", error=REVOKED, status="invalid", result=REVOKED, requests=0)
        if inp in ("none", "must-staple-missing"):
            return no_staple_outcome("none", None)
        err, status, knob = staple_err[inp]
        treat = pol[knob]
        if treat == "fail":
            return dict(verdict="rejected", error=err, status=status, result=err, requests=0)
        if treat == "accept":
            return dict(verdict="accepted", error=None, status=OMIT, result=err, requests=0)
        if treat == "ignore":
            o = no_staple_outcome(OMIT, err)
            return o
        # fallback
        if fetch == "off":
            return dict(verdict="accepted", error=None, status=status, result=err, requests=0)
        if fetch == "hard":
            return dict(verdict="rejected", error=SRVERR, status=status, result=err, requests=1)
        return dict(verdict="rejected", error=err, status=status, result=err, requests=1)

    for pname, pol in presets.items():
        for inp, ee_, sp in inputs:
            o = expect_preset(inp, ee_, pol)
            cm = None
            if pname == "strict" and inp == "must-staple-missing":
                cm = ("CONTRACT.md does not order requireStaple against Firefox's must-staple check; we expect "
                      "Firefox's own error (firefox-policy §1.4) since STAPLE_ERROR_* is for outcomes Firefox has no name for")
            if o["status"] is OMIT and o["result"] is not None:
                cm = "stapleStatus omitted: CONTRACT.md does not say what status an ignored/accepted staple reports"
            add(kt, cat, f"{pname}/{inp}", f"preset {pname}, input {inp}, responder HTTP 500",
                f"docs/CONTRACT.md preset {pname}; firefox-policy §2.3–§2.7, §1.3", ch[ee_], sp, o["verdict"],
                o["error"], status=o["status"], result=o["result"], requests=o["requests"], preset=pname,
                responder=DOWN2, comment=cm)
    for treat in ("fallback", "fail", "ignore", "accept"):
        pol = dict(presets["firefox"], tryLater=treat)
        for inp, ee_, sp in inputs:
            o = expect_preset(inp, ee_, pol)
            cm = ("stapleStatus omitted: CONTRACT.md does not say what status an ignored/accepted staple reports"
                  if o["status"] is OMIT and o["result"] is not None else None)
            add(kt, cat, f"trylater-{treat}/{inp}", f"preset firefox with tryLater={treat}, input {inp}, "
                "responder HTTP 500", f"docs/CONTRACT.md tryLater treatments; firefox-policy §2.3, §2.8",
                ch[ee_], sp, o["verdict"], o["error"], status=o["status"], result=o["result"],
                requests=o["requests"], sets={"tryLater": treat}, responder=DOWN2, comment=cm)

    # ================================ mongodb =============================================
    cat = "mongodb"
    src = "firefox-policy §2.3, §2.7, §1.3 (MongoDB-style OCSP matrix)"
    for signer in ("ca", "delegated"):
        pre = "" if signer == "ca" else "delegated-"
        mpre = "ms-" if signer == "ca" else "ms-delegated-"
        for cert_status in ("valid", "revoked"):
            for must in (False, True):
                ee_ = MS if must else P
                good_f = (mpre + "good") if must else (pre + "good" if signer == "ca" else "delegated-included")
                rev_f = (mpre + "revoked") if must else (pre + "revoked")
                staple_f = good_f if cert_status == "valid" else rev_f
                for stapled in (True, False):
                    for up in (True, False):
                        responder = [resp(staple_f), resp(staple_f)] if up else DOWN2
                        short = (f"{cert_status}-{'staple' if stapled else 'no-staple'}-"
                                 f"{'must-staple' if must else 'plain'}-{'responder-up' if up else 'responder-down'}-"
                                 f"{signer}")
                        if stapled:
                            e = ok_good() if cert_status == "valid" else hard(REVOKED)
                        elif cert_status == "revoked" and up:
                            e = dict(verdict="rejected", error=REVOKED, status="none", result=None, requests=1)
                        elif must:
                            e = dict(verdict="rejected", error=TLSMISSING, status="none", result=None, requests=1)
                        else:
                            e = dict(verdict="accepted", error=None, status="none", result=None, requests=1)
                        add(kt, cat, short,
                            f"{cert_status} certificate, {'stapled' if stapled else 'no staple'}, "
                            f"{'must-staple' if must else 'no must-staple'}, responder "
                            f"{'answers ' + ('Good' if cert_status == 'valid' else 'Revoked') if up else 'HTTP 500'}, "
                            f"{'CA-signed' if signer == 'ca' else 'delegated'} responses",
                            src, ch[ee_], st(staple_f) if stapled else None, e["verdict"], e["error"],
                            status=e["status"], result=e["result"], requests=e["requests"], responder=responder)

    # ================================ robustness ==========================================
    cat = "robustness"
    src = "firefox-policy §2.3, §3"
    for short, sp, desc in [
            ("empty", C + "empty.der", "zero-byte staple (counts as present)"),
            ("oversized-70000", st("oversized-70000"), "70,000-byte staple (DER length > 65535)"),
            ("truncated", st("truncated"), "good.der without its last 10 bytes"),
            ("truncated-half", st("truncated-half"), "first half of good.der"),
            ("trailing-byte", st("trailing-byte"), "good.der + one trailing byte"),
            ("trailing-response", st("trailing-response"), "good.der twice"),
            ("garbage", C + "garbage.der", "ASCII text"),
            ("wrong-outer-tag", C + "wrong-outer-tag.der", "SET instead of SEQUENCE"),
            ("indefinite-length", st("indefinite-length"), "BER indefinite length outer SEQUENCE")]:
        add(kt, cat, short, f"{desc} → MALFORMED, no fetch", src, ch[P], sp, **hard(MALFORMED, responder=DOWN2))
    add(kt, cat, "must-staple-oversized", "must-staple EE with a 70,000-byte staple → MALFORMED",
        src, ch[MS], st("oversized-70000"), **hard(MALFORMED))


# ---------------------------------------------------------------------------------------


def main() -> int:
    os.chdir(HERE.parent)
    for sub in ("pki", "staples"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
    (HERE / "manifest.json").unlink(missing_ok=True)
    try:
        build_common_staples()
        for kt in KEY_TYPES:
            p = PKI(kt)
            p.write()
            S_ = build_staples(p)
            build_cases(p, S_)
        # the "hard" and "fallback_down" helpers may carry a responder; normalise
        manifest = {
            "schema": "swift-must-staple/vectors/1",
            "comment": [
                "Generated by TestVectors/generate.py; expectations derived from firefox-policy.md and "
                "docs/CONTRACT.md by reading. T0 = 2026-06-01T12:00:00Z.",
                "Request counts are those of one verification pass. Firefox retries a failed DV verification "
                "with a 1024-bit minimum, and that second pass fetches again when the cache holds Unknown or "
                "OLD_RESPONSE, so some firefox-policy §8.2 rows show 2 requests in Firefox where these cases expect 1; the "
                "verdict is the same. swift-must-staple makes one pass (README: differences from Firefox).",
                "Skipped (need several verifications sharing a warm OCSP cache): firefox-policy §8.2 'expired (twice)' second "
                "connection; firefox-policy §8.5 row 2; firefox-policy §8.6 rows 'then no staple, responder fails twice', 'then responder "
                "returns Good', 'then again', 'again'.",
                "Skipped (origin attributes / cache partitioning, not part of one verification): firefox-policy §8.6 rows "
                "firstPartyDomain foo.com / bar.com, userContextId, partitionKey, privateBrowsingId.",
                "Skipped (need trust configuration beyond the chain): firefox-policy §8.1 good-other-ca with the other CA "
                "trusted; firefox-policy §8.11 GetCertTrust TrustAnchor / ActivelyDistrusted signer.",
            ],
            "cases": CASES,
        }
        (HERE / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        (HERE / "staples" / "index.json").write_text(json.dumps(dict(sorted(STAPLE_INDEX.items())), indent=2) + "\n")
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    cats: dict[str, int] = {}
    for c in CASES:
        cats[c["category"]] = cats.get(c["category"], 0) + 1
    for k, v in cats.items():
        print(f"{k}: {v} cases")
    print(f"total: {len(CASES)} cases, {len(STAPLE_INDEX)} staple files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
