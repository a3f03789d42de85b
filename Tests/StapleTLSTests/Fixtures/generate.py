#!/usr/bin/env python3
"""Generates the test PKI and staples of the StapleTLS tests (cryptography==48.0.0).

    python3 Tests/StapleTLSTests/Fixtures/generate.py

Writes into the folder of this script; the output is committed. Keys are new on every run, so
regenerating changes every file (the tests only depend on the names and the facts below).

T0, the time every test pins (the engine's clock and OpenSSL's X509_VERIFY_PARAM_set_time):
2026-06-01T12:00:00Z. Certificates are valid 2026-01-01 -> 2027-01-01, except the expired leaf
(2025-01-01 -> 2025-12-31). Staples have thisUpdate T0 - 1h and nextUpdate T0 + 3 days,
except the expired one (T0 - 20 days -> T0 - 15 days). producedAt is the time the script ran:
cryptography's OCSPResponseBuilder cannot set it, and it is syntax-only for Firefox and for the
engine (firefox-policy §3.4).
"""

import datetime as dt
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = dt.datetime(2026, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
NOT_BEFORE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
NOT_AFTER = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)
# RFC 7633 TLS Feature, status_request (5): DER 30 03 02 01 05.
TLS_FEATURE_OID = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.24")
MUST_STAPLE = x509.UnrecognizedExtension(TLS_FEATURE_OID, bytes.fromhex("3003020105"))
# Nothing listens there: the OCSP URL only makes the firefox policy's no-staple path ask for a
# fetch (which the tests answer with "no fetcher").
OCSP_URL = "http://127.0.0.1:9/ocsp"


def key():
    return ec.generate_private_key(ec.SECP256R1())


def name(cn):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "swift-must-staple tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def write(filename, data):
    with open(os.path.join(HERE, filename), "wb") as f:
        f.write(data)


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def write_key(filename, k):
    write(
        filename,
        k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


def ca(cn, serial, issuer=None, issuer_key=None, extra=()):
    k = key()
    b = (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(name(cn) if issuer is None else issuer.subject)
        .public_key(k.public_key())
        .serial_number(serial)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(k.public_key()), critical=False)
    )
    for ext in extra:
        b = b.add_extension(ext, critical=False)
    cert = b.sign(k if issuer_key is None else issuer_key, hashes.SHA256())
    return cert, k


def leaf(cn, serial, issuer, issuer_key, must_staple=False, not_before=NOT_BEFORE, not_after=NOT_AFTER):
    k = key()
    b = (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(issuer.subject)
        .public_key(k.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityInformationAccess(
                [x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(OCSP_URL))]
            ),
            critical=False,
        )
    )
    if must_staple:
        b = b.add_extension(MUST_STAPLE, critical=False)
    return b.sign(issuer_key, hashes.SHA256()), k


def staple(cert, issuer, issuer_key, status, this_update, next_update, revocation_time=None):
    b = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=cert,
            issuer=issuer,
            algorithm=hashes.SHA1(),
            cert_status=status,
            this_update=this_update,
            next_update=next_update,
            revocation_time=revocation_time,
            revocation_reason=x509.ReasonFlags.key_compromise if revocation_time else None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
    )
    return b.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def main():
    root, root_key = ca("Test Root CA", 0x1000)
    inter, inter_key = ca("Test Intermediate CA", 0x1001, root, root_key)
    # An intermediate that carries the TLS Feature: its subjects must carry it too (firefox-policy §1.2).
    fi, fi_key = ca("Test Must-Staple Intermediate CA", 0x1002, root, root_key, extra=[MUST_STAPLE])
    other_root, _ = ca("Some Other Root CA", 0x2000)

    plain, plain_key = leaf("localhost", 0x3001, inter, inter_key)
    must, must_key = leaf("localhost", 0x3002, inter, inter_key, must_staple=True)
    expired, expired_key = leaf(
        "localhost",
        0x3003,
        inter,
        inter_key,
        not_before=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc),
        not_after=dt.datetime(2025, 12, 31, tzinfo=dt.timezone.utc),
    )
    orphan, orphan_key = leaf("localhost", 0x3004, fi, fi_key)

    write("root.pem", pem(root))
    write("other-root.pem", pem(other_root))
    write("intermediate.pem", pem(inter))
    write("feature-intermediate.pem", pem(fi))
    for stem, cert, k, issuer in [
        ("leaf-plain", plain, plain_key, inter),
        ("leaf-must-staple", must, must_key, inter),
        ("leaf-expired", expired, expired_key, inter),
        ("leaf-feature-missing", orphan, orphan_key, fi),
    ]:
        write(f"{stem}.pem", pem(cert))
        write_key(f"{stem}.key", k)
        # leaf then intermediate: what a server sends (nginx ssl_certificate, s_server -cert).
        write(f"{stem}.chain.pem", pem(cert) + pem(issuer))

    fresh = (T0 - dt.timedelta(hours=1), T0 + dt.timedelta(days=3))
    good = ocsp.OCSPCertStatus.GOOD
    write("staple-must-staple-good.der", staple(must, inter, inter_key, good, *fresh))
    write(
        "staple-must-staple-revoked.der",
        staple(must, inter, inter_key, ocsp.OCSPCertStatus.REVOKED, *fresh, revocation_time=T0 - dt.timedelta(days=31)),
    )
    write(
        "staple-must-staple-expired.der",
        staple(must, inter, inter_key, good, T0 - dt.timedelta(days=20), T0 - dt.timedelta(days=15)),
    )
    # A Good response for the plain leaf: stapled with the must-staple leaf it is "for another
    # certificate" (MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING).
    write("staple-plain-good.der", staple(plain, inter, inter_key, good, *fresh))
    write(
        "staple-try-later.der",
        ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.TRY_LATER).public_bytes(
            serialization.Encoding.DER
        ),
    )


if __name__ == "__main__":
    main()
