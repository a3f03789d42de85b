"""OCSP responses (RFC 6960 §4.2.1) assembled from DER and signed, relative to the wall clock.

One small encoder for every response the scenarios need, the ordinary ones and those that
cryptography's builder cannot make (an empty Extensions SEQUENCE, successful without
responseBytes). Defaults: signed by the issuer of the certificate, responderID byKey, SHA-1
CertID, producedAt = thisUpdate.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding

from .pki import Issued, now

DAY = datetime.timedelta(days=1)

# The corpus generator's DER encoder (TestVectors/vectorgen/der.py), loaded from its file: importing
# the vectorgen package would also import its clock, which pins datetime.now() for the corpus.
_DER_PATH = Path(__file__).resolve().parents[2] / "TestVectors" / "vectorgen" / "der.py"
_spec = importlib.util.spec_from_file_location("vectorgen_der", _DER_PATH)
der = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(der)

OID_OCSP_BASIC = der.OID_OCSP_BASIC
OID_UNKNOWN_EXTENSION = der.OID_UNKNOWN_EXT
tlv = der.tlv
seq = der.seq
explicit = der.explicit
oid = der.oid
integer = der.integer
gentime = der.gentime
octets = der.octets


def status_only(status: int) -> bytes:
    """An OCSPResponse that is nothing but a responseStatus (1 malformedRequest … 6 unauthorized)."""
    return seq(der.enumerated(status))


# -- the response ------------------------------------------------------------------------


def _spki_bits(cert: x509.Certificate) -> bytes:
    """The subjectPublicKey BIT STRING's content without the unused-bits byte."""
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    # SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip the outer header and the algorithm.
    pos = 2 if spki[1] < 0x80 else 2 + (spki[1] & 0x7F)
    alg_len = spki[pos + 1]
    pos += 2 + alg_len
    header = 2 if spki[pos + 1] < 0x80 else 2 + (spki[pos + 1] & 0x7F)
    return spki[pos + header + 1 :]


def key_hash(cert: x509.Certificate) -> bytes:
    return hashlib.sha1(_spki_bits(cert)).digest()


def cert_id(leaf: x509.Certificate, issuer: x509.Certificate) -> bytes:
    name_hash = hashlib.sha1(issuer.subject.public_bytes()).digest()
    sha1 = seq(oid("1.3.14.3.2.26"), b"\x05\x00")
    return seq(sha1, octets(name_hash), octets(key_hash(issuer)), integer(leaf.serial_number))


@dataclass
class Response:
    """What one OCSP response says and who signs it; der() encodes and signs it."""

    leaf: x509.Certificate
    issuer: x509.Certificate
    status: str = "good"  # good, revoked, unknown
    this_update: datetime.datetime = field(default_factory=lambda: now() - datetime.timedelta(hours=1))
    next_update: datetime.datetime | None = field(default_factory=lambda: now() + 2 * DAY)
    signer: Issued | None = None  # None: the issuer, whose key must be given as issuer_key
    issuer_key: object = None
    certs: tuple[x509.Certificate, ...] = ()
    extensions: bytes | None = None  # the content of responseExtensions [1], an Extensions SEQUENCE

    def der(self) -> bytes:
        signer_cert = self.signer.cert if self.signer else self.issuer
        signer_key = self.signer.key if self.signer else self.issuer_key
        if self.status == "good":
            cert_status = tlv(0x80, b"")
        elif self.status == "unknown":
            cert_status = tlv(0x82, b"")
        else:
            cert_status = tlv(0xA1, gentime(self.this_update - DAY))
        single = cert_id(self.leaf, self.issuer) + cert_status + gentime(self.this_update)
        if self.next_update is not None:
            single += explicit(0, gentime(self.next_update))
        tbs = explicit(2, octets(key_hash(signer_cert))) + gentime(self.this_update) + seq(seq(single))
        if self.extensions is not None:
            tbs += explicit(1, self.extensions)
        tbs = seq(tbs)
        algorithm, signature = _sign(signer_key, tbs)
        basic = tbs + algorithm + tlv(0x03, b"\x00" + signature)
        if self.certs:
            basic += explicit(0, seq(*[c.public_bytes(serialization.Encoding.DER) for c in self.certs]))
        return seq(tlv(0x0A, b"\x00"), explicit(0, seq(oid(OID_OCSP_BASIC), octets(seq(basic)))))


def extension(dotted: str, value: bytes, critical: bool) -> bytes:
    return seq(oid(dotted), *([tlv(0x01, b"\xff")] if critical else []), octets(value))


def _sign(key, data: bytes) -> tuple[bytes, bytes]:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return seq(oid("1.2.840.10045.4.3.2")), key.sign(data, ec.ECDSA(hashes.SHA256()))
    return seq(oid("1.2.840.113549.1.1.11"), b"\x05\x00"), key.sign(data, padding.PKCS1v15(), hashes.SHA256())
