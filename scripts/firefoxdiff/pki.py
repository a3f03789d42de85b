"""Keys and certificates made at run time, valid around the wall clock.

Firefox judges with the current time and so does `staple check`, both within seconds of each other,
so every certificate is valid from a day ago to 90 days ahead: long enough not to count as
short-lived (firefox-policy §5.4) and far from every edge. ECDSA P-256 throughout, RSA-2048 where a
scenario asks for it, and one 1016-bit RSA key (made by `openssl genrsa`, which cryptography will
not make) for the delegated responder that Firefox refuses for its key size (firefox-policy §3.5).

Every certificate gets a fresh random serial number, so no two scenarios share an OCSP cache key.
"""

from __future__ import annotations

import datetime
import ipaddress
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID, ObjectIdentifier

OID_TLS_FEATURE = ObjectIdentifier("1.3.6.1.5.5.7.1.24")  # RFC 7633 TLS Feature
ORG = "swift-must-staple Firefox differential"
EKU = {"serverAuth": ExtendedKeyUsageOID.SERVER_AUTH, "ocspSigning": ExtendedKeyUsageOID.OCSP_SIGNING}


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


@dataclass
class Issued:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: object

    @property
    def name(self) -> x509.Name:
        return self.cert.subject

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def new_key(kind: str = "ecdsa"):
    if kind == "ecdsa":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "rsa":
        return rsa.generate_private_key(65537, 2048)
    if kind == "rsa1016":
        with tempfile.TemporaryDirectory(prefix="firefoxdiff-") as tmp:
            path = Path(tmp) / "rsa1016.pem"
            subprocess.run(["openssl", "genrsa", "-out", str(path), "1016"], check=True, capture_output=True)
            return serialization.load_pem_private_key(path.read_bytes(), None)
    raise ValueError(kind)


def tls_feature_der(*features: int) -> bytes:
    """The extnValue of a TLS Feature extension: SEQUENCE OF INTEGER (RFC 7633 §4)."""
    body = b"".join(bytes([0x02, 0x01, f]) for f in features)
    return bytes([0x30, len(body)]) + body


def issue(
    cn: str,
    issuer: Issued | None,
    *,
    key_kind: str = "ecdsa",
    ca: bool = False,
    eku: tuple[str, ...] | None = ("serverAuth",),
    key_usage: str = "digitalSignature",
    tls_features: tuple[int, ...] | None = None,
    dns_names: tuple[str, ...] = (),
    ip_localhost: bool = False,
    ocsp_url: str | None = None,
) -> Issued:
    """A certificate for cn, signed by issuer (self-signed when issuer is None)."""
    key = new_key(key_kind)
    subject = x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG), x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    )
    signer_key = issuer.key if issuer else key
    signer_pub = issuer.cert.public_key() if issuer else key.public_key()
    start = now()
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.name if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - datetime.timedelta(days=1))
        .not_valid_after(start + datetime.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_pub), critical=False)
    )
    usages = {u: False for u in ("digital_signature", "content_commitment", "key_encipherment")}
    usages.update(data_encipherment=False, key_agreement=False, encipher_only=False, decipher_only=False)
    if ca and eku:  # a CA certificate served as an end-entity: it must still sign the handshake
        usages["digital_signature"] = True
        b = b.add_extension(x509.KeyUsage(**usages, key_cert_sign=True, crl_sign=False), critical=True)
    elif ca:
        b = b.add_extension(x509.KeyUsage(**usages, key_cert_sign=True, crl_sign=True), critical=True)
    elif key_usage == "cRLSign":
        b = b.add_extension(x509.KeyUsage(**usages, key_cert_sign=False, crl_sign=True), critical=True)
    else:
        usages["digital_signature"] = True
        b = b.add_extension(x509.KeyUsage(**usages, key_cert_sign=False, crl_sign=False), critical=True)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage([EKU[e] for e in eku]), critical=False)
    names: list[x509.GeneralName] = [x509.DNSName(n) for n in dns_names]
    if ip_localhost:
        names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    if names:
        b = b.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if ocsp_url:
        access = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))
        b = b.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    if tls_features is not None:
        b = b.add_extension(x509.UnrecognizedExtension(OID_TLS_FEATURE, tls_feature_der(*tls_features)), critical=False)
    return Issued(b.sign(signer_key, hashes.SHA256()), key)
