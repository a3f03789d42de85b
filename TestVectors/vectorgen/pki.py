"""Keys and certificates: the PKI of one key type, written to pki/<kt>/.

Per key type (ecdsa = P-256 with ecdsa-with-SHA256, rsa = RSA-2048 with sha256WithRSAEncryption):
a root, the intermediate that issues the end-entities, an intermediate with TLS Feature {5} and
one with {5,17} (firefox-policy §1.2 chain rule), a sub-CA, an unrelated root, the end-entities
with and without must-staple (firefox-policy §1.1, §1.3) and the delegated OCSP responders whose
certificates firefox-policy §3.5 accepts or refuses (RFC 6960 §4.2.2.2).

Keys are new on every run and kept in memory, one per (key type, role): every end-entity shares
the role "ee". Serial numbers, names and validity periods are fixed, so everything but the key
material and the signatures is the same from run to run. Most certificates are made with
cryptography's CertificateBuilder; the SHA-1- and MD5-signed responder certificates with
`openssl ca`, and the 1016-bit RSA key with `openssl genrsa`, which cryptography refuses.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from .clock import NA, NB, T0, D, H, S
from .der import integer, oid, seq, tlv
from .output import run, scratch, write

KEY_TYPES = ("ecdsa", "rsa")
OCSP_URL = "http://127.0.0.1:8888/"
OID_TLS_FEATURE = ObjectIdentifier("1.3.6.1.5.5.7.1.24")  # RFC 7633 TLS Feature

# -- keys: one per (key type, role), kept in memory ---------------------------------------

_KEYS: dict[tuple[str, str], object] = {}


def key(kt: str, role: str):
    k = (kt, role)
    if k not in _KEYS:
        if role == "rsa1016":
            path = scratch() / f"{kt}-rsa1016.pem"
            run("openssl", "genrsa", "-out", str(path), "1016")
            _KEYS[k] = serialization.load_pem_private_key(path.read_bytes(), None)
        elif kt == "ecdsa":
            _KEYS[k] = ec.generate_private_key(ec.SECP256R1())
        else:
            _KEYS[k] = rsa.generate_private_key(65537, 2048)
    return _KEYS[k]


def key_pem_file(kt: str, role: str) -> Path:
    p = scratch() / f"{kt}-{role}.key.pem"
    if not p.exists():
        p.write_bytes(
            key(kt, role).private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return p


# -- certificates -----------------------------------------------------------------------

ORG = "swift-must-staple test vectors"


def name(kt: str, cn: str, printable: bool = False) -> x509.Name:
    if printable:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG, _type=_ASN1Type.PrintableString),
                x509.NameAttribute(NameOID.COMMON_NAME, f"{kt} {cn}", _type=_ASN1Type.PrintableString),
            ]
        )
    return x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG), x509.NameAttribute(NameOID.COMMON_NAME, f"{kt} {cn}")]
    )


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

    def make(
        self,
        nm: str,
        cn: str,
        issuer: str | None,
        *,
        ca=False,
        role=None,
        aia=True,
        tls: bytes | None = None,
        tls_critical=False,
        eku=("serverAuth",),
        ku="ee",
        nb=NB,
        na=NA,
        san=True,
        issuer_name=None,
        sign_key=None,
        sign_hash=None,
        ski=True,
    ) -> x509.Certificate:
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
        b = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(iss_name)
            .public_key(subj_key.public_key())
            .serial_number(self.next_serial())
            .not_valid_before(nb)
            .not_valid_after(na)
        )
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        if ku == "ca":
            b = b.add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
        elif ku == "ee":
            b = b.add_extension(
                x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
            )
        elif ku == "crlsign":
            b = b.add_extension(
                x509.KeyUsage(False, False, False, False, False, False, True, False, False), critical=True
            )
        if eku:
            oids = {"serverAuth": ExtendedKeyUsageOID.SERVER_AUTH, "ocspSigning": ExtendedKeyUsageOID.OCSP_SIGNING}
            b = b.add_extension(x509.ExtendedKeyUsage([oids[e] for e in eku]), critical=False)
        if ski:
            b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(subj_key.public_key()), critical=False)
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(iss_pub), critical=False)
        if san:
            b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(f"{nm}.{kt}.example")]), critical=False)
        if aia:
            b = b.add_extension(
                x509.AuthorityInformationAccess(
                    [
                        x509.AccessDescription(
                            x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(OCSP_URL)
                        )
                    ]
                ),
                critical=False,
            )
        if tls is not None:
            if tls == tls_feature_value(5) and not tls_critical:
                ext = x509.TLSFeature([x509.TLSFeatureType.status_request])
            else:
                ext = x509.UnrecognizedExtension(OID_TLS_FEATURE, tls)
            b = b.add_extension(ext, critical=tls_critical)
        cert = b.sign(iss_key, sign_hash or hashes.SHA256())
        self.certs[nm] = cert
        self.keyrole[nm] = role
        return cert

    def openssl_issue(self, nm: str, cn: str, issuer: str, md: str, role: str | None = None):
        """Delegated responder certificate signed by `issuer` with digest `md` using `openssl ca`."""
        kt = self.kt
        role = role or nm
        d = scratch() / f"ca-{kt}-{nm}"
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
        run(
            "openssl",
            "ca",
            "-batch",
            "-config",
            str(d / "ca.cnf"),
            "-cert",
            str(icert),
            "-keyfile",
            str(key_pem_file(kt, self.keyrole[issuer])),
            "-in",
            str(csr),
            "-out",
            str(out),
            "-startdate",
            NB.strftime("%Y%m%d%H%M%SZ"),
            "-enddate",
            NA.strftime("%Y%m%d%H%M%SZ"),
            "-md",
            md,
            "-extensions",
            "ext",
            "-notext",
            "-preserveDN",
        )
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
        mk(
            "int-must-staple",
            "Must-Staple Intermediate CA",
            "root",
            ca=True,
            ku="ca",
            eku=None,
            san=False,
            tls=tls_feature_value(5),
        )
        mk(
            "int-multi",
            "Multi-Feature Intermediate CA",
            "root",
            ca=True,
            ku="ca",
            eku=None,
            san=False,
            tls=tls_feature_value(5, 17),
        )
        mk("subca", "Sub-CA of the Intermediate", "int", ca=True, ku="ca", eku=None, san=False)
        mk("other-root", "Unrelated Root CA", None, ca=True, ku="ca", aia=False, eku=None, san=False)

        # End-entities issued by the intermediate
        mk("ee-plain", "EE plain", "int", role="ee")
        mk("ee-must-staple", "EE must-staple", "int", role="ee", tls=tls_feature_value(5))
        mk(
            "ee-must-staple-critical",
            "EE must-staple critical",
            "int",
            role="ee",
            tls=tls_feature_value(5),
            tls_critical=True,
        )
        mk("ee-tlsfeat-6", "EE TLS feature {6}", "int", role="ee", tls=tls_feature_value(6))
        mk("ee-tlsfeat-5-6", "EE TLS feature {5,6}", "int", role="ee", tls=tls_feature_value(5, 6))
        mk("ee-tlsfeat-5-5", "EE TLS feature {5,5}", "int", role="ee", tls=tls_feature_value(5, 5))
        mk("ee-tlsfeat-int-0505", "EE TLS feature {INTEGER 05 05}", "int", role="ee", tls=seq(tlv(0x02, b"\x05\x05")))
        mk("ee-tlsfeat-int-empty", "EE TLS feature {INTEGER zero-length}", "int", role="ee", tls=seq(tlv(0x02, b"")))
        mk("ee-tlsfeat-empty-seq", "EE TLS feature empty SEQUENCE", "int", role="ee", tls=seq())
        mk("ee-tlsfeat-not-der", "EE TLS feature not DER", "int", role="ee", tls=b"\x30\x03\x02\x01")
        mk("ee-tlsfeat-empty-value", "EE TLS feature zero-length extnValue", "int", role="ee", tls=b"")
        mk("ee-short-lived", "EE short-lived 5 days", "int", role="ee", nb=T0 - 60 * H, na=T0 + 60 * H)
        mk("ee-life-10d", "EE validity exactly 10 days", "int", role="ee", nb=T0 - 5 * D, na=T0 + 5 * D)
        mk("ee-life-10d-minus-1s", "EE validity 10 days minus 1 s", "int", role="ee", nb=T0 - 5 * D, na=T0 + 5 * D - S)
        mk("ee-no-aia", "EE without AIA", "int", role="ee", aia=False)
        mk("ee-other", "EE other (for good-other)", "int", role="ee")
        mk("ee-ca-as-ee", "CA certificate used as end-entity", "int", role="ee", ca=True)
        # End-entities of the must-staple and multi-feature intermediates
        mk(
            "ee-msint-must-staple",
            "EE must-staple under must-staple intermediate",
            "int-must-staple",
            role="ee",
            tls=tls_feature_value(5),
        )
        mk("ee-msint-plain", "EE plain under must-staple intermediate", "int-must-staple", role="ee")
        mk("ee-multi-good", "EE copying {5,17}", "int-multi", role="ee", tls=tls_feature_value(5, 17))
        mk("ee-multi-bad", "EE with {5} under {5,17} intermediate", "int-multi", role="ee", tls=tls_feature_value(5))

        # Delegated OCSP responders
        R = dict(eku=("ocspSigning",), aia=False, san=False)
        mk("resp-good", "Delegated responder", "int", **R)
        mk("resp-good-2", "Delegated responder (second)", "int", **R)
        mk("resp-no-eku", "Delegated responder without EKU", "int", aia=False, san=False, eku=None)
        mk(
            "resp-serverauth-eku",
            "Delegated responder with serverAuth EKU",
            "int",
            aia=False,
            san=False,
            eku=("serverAuth",),
        )
        mk("resp-ca-true", "Delegated responder with cA TRUE", "int", ca=True, **R)
        mk("resp-expired", "Delegated responder expired", "int", nb=NB, na=T0 - D, **R)
        mk("resp-not-yet-valid", "Delegated responder not yet valid", "int", nb=T0 + D, na=NA, **R)
        mk("resp-notafter-t0", "Delegated responder notAfter T0", "int", nb=NB, na=T0, **R)
        mk("resp-notafter-t0-minus-1s", "Delegated responder notAfter T0-1s", "int", nb=NB, na=T0 - S, **R)
        mk("resp-notbefore-t0", "Delegated responder notBefore T0", "int", nb=T0, na=NA, **R)
        mk("resp-unrelated-ca", "Delegated responder from unrelated CA", "other-root", **R)
        mk(
            "resp-unknown-key",
            "Delegated responder signed by unknown key",
            "int",
            issuer_name=self.certs["int"].subject,
            sign_key=key(kt, "impostor"),
            **R,
        )
        mk("resp-subca", "Delegated responder issued by sub-CA", "subca", **R)
        mk("resp-rsa1016", "Delegated responder RSA-1016", "int", role="rsa1016", **R)
        mk(
            "resp-crlsign",
            "Delegated responder keyUsage cRLSign no EKU",
            "int",
            ku="crlsign",
            aia=False,
            san=False,
            eku=None,
        )
        self.openssl_issue("resp-sha1", "Delegated responder SHA-1 signed", "int", "sha1")
        if kt == "rsa":
            self.openssl_issue("resp-weak-alg", "Delegated responder MD5 signed", "int", "md5")
        else:
            mk("resp-weak-alg", "Delegated responder ecdsa-with-SHA224 signed", "int", sign_hash=hashes.SHA224(), **R)
        # tampered EKU: issue with serverAuth, then patch the OID's last arc to OCSPSigning in the
        # signed bytes, so the signature no longer verifies (gtest good_tampered_eku)
        base = mk(
            "resp-tampered-eku", "Delegated responder tampered EKU", "int", aia=False, san=False, eku=("serverAuth",)
        )
        der = bytearray(base.public_bytes(serialization.Encoding.DER))
        pat = oid("1.3.6.1.5.5.7.3.1")
        assert der.count(pat) == 1
        i = der.index(pat) + len(pat) - 1
        der[i] = 0x09
        self.certs["resp-tampered-eku"] = x509.load_der_x509_certificate(bytes(der))
        # a certificate whose subject is the intermediate's Name re-encoded as PrintableString
        # (only used as the byName responderID source of a response; not written as a file)
        b = (
            x509.CertificateBuilder()
            .subject_name(name(kt, "Intermediate CA", printable=True))
            .issuer_name(name(kt, "Intermediate CA", printable=True))
            .public_key(key(kt, "int").public_key())
            .serial_number(1)
            .not_valid_before(NB)
            .not_valid_after(NA)
        )
        self.reencoded_name_cert = b.sign(key(kt, "int"), hashes.SHA256())
        assert self.reencoded_name_cert.subject.public_bytes() != self.certs["int"].subject.public_bytes()

    def write(self):
        kt = self.kt

        def pem(n: str) -> bytes:
            return self.certs[n].public_bytes(serialization.Encoding.PEM)

        for n in self.certs:
            sub = "responders/" if n.startswith("resp-") else ""
            write(f"pki/{kt}/{sub}{n}.pem", pem(n))
        chains = {}
        for n in self.certs:
            if n.startswith("ee-"):
                write(f"pki/{kt}/chain-{n}.pem", pem(n) + pem(self.issuer_of(n)) + pem("root"))
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
