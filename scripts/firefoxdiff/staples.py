"""The run's CAs and responder certificates, and the staple and responder answer of each kind.

The CAs are made once per run: the root (trusted by both judges), the intermediate that issues the
leaves, two intermediates with TLS Feature values (firefox-policy §1.2), a sibling intermediate, an
unrelated root that neither judge trusts and one that both trust (the two good-other-ca rows of
firefox-policy §8.1), and the delegated responders of firefox-policy §3.5, good and broken.
"""

from __future__ import annotations

import datetime

from . import ocsp
from .pki import Issued, issue, now
from .responder import Answer

DAY = datetime.timedelta(days=1)


class CAs:
    def __init__(self) -> None:
        self.root = issue("Firefox Differential Root", None, ca=True, eku=None)
        self.int = issue("Firefox Differential Intermediate", self.root, ca=True, eku=None)
        self.int_must_staple = issue("Must-Staple Intermediate", self.root, ca=True, eku=None, tls_features=(5,))
        self.int_multi = issue("Multi-Feature Intermediate", self.root, ca=True, eku=None, tls_features=(5, 17))
        self.sibling = issue("Sibling Intermediate", self.root, ca=True, eku=None)
        self.other_root = issue("Unrelated Root", None, ca=True, eku=None)
        self.trusted_other_root = issue("Unrelated Trusted Root", None, ca=True, eku=None)
        signer = dict(eku=("ocspSigning",))
        self.delegates = {
            "good": issue("Delegated Responder", self.int, **signer),
            "no-eku": issue("Delegated Responder without EKU", self.int, eku=None),
            "wrong-eku": issue("Delegated Responder with serverAuth", self.int),
            "crl-sign": issue("Delegated Responder with cRLSign", self.int, key_usage="cRLSign", **signer),
            "from-sibling": issue("Delegated Responder of the Sibling", self.sibling, **signer),
            "rsa1016": issue("Delegated Responder RSA-1016", self.int, key_kind="rsa1016", **signer),
        }

    def issuer(self, name: str) -> Issued:
        return {"int": self.int, "int-must-staple": self.int_must_staple, "int-multi": self.int_multi}[name]

    def trusted_pem(self) -> bytes:
        """The roots both judges trust."""
        return self.root.cert_pem() + self.trusted_other_root.cert_pem()


def staple(kind: str, leaf: Issued, issuer: Issued, cas: CAs) -> bytes | None:
    """The DER of a staple of this kind for leaf, or None for no staple."""
    if kind == "none":
        return None
    if kind.startswith("status-"):
        return ocsp.status_only(int(kind.removeprefix("status-")))
    if kind == "skip-responseBytes":
        return ocsp.status_only(0)
    base = dict(leaf=leaf.cert, issuer=issuer.cert, issuer_key=issuer.key)
    t = now()
    d = cas.delegates
    plain = {
        "good": {},
        "revoked": {"status": "revoked"},
        "unknown": {"status": "unknown"},
        "other-ca": {"signer": cas.other_root},
        "other-ca-trusted": {"signer": cas.trusted_other_root},
        "critical-extension": {"extensions": ocsp.seq(ocsp.extension(ocsp.OID_UNKNOWN_EXTENSION, b"\x05\x00", True))},
        "noncritical-extension": {
            "extensions": ocsp.seq(ocsp.extension(ocsp.OID_UNKNOWN_EXTENSION, b"\x05\x00", False))
        },
        "empty-extensions": {"extensions": ocsp.seq()},
        # Expired by nextUpdate; and past the 10-day maximum lifetime (firefox-policy §3.9).
        "expired": {"this_update": t - 3 * DAY, "next_update": t - 2 * DAY},
        "revoked-old": {"status": "revoked", "this_update": t - 3 * DAY, "next_update": t - 2 * DAY},
        "unknown-old": {"status": "unknown", "this_update": t - 3 * DAY, "next_update": t - 2 * DAY},
        "ancient-valid": {"this_update": t - 640 * DAY, "next_update": t + DAY},
        "delegated-included": {"signer": d["good"], "certs": (d["good"].cert,)},
        "delegated-included-last": {"signer": d["good"], "certs": (cas.sibling.cert, d["good"].cert)},
        "delegated-missing": {"signer": d["good"]},
        "delegated-missing-multiple": {"signer": d["good"], "certs": (d["no-eku"].cert, d["wrong-eku"].cert)},
        "delegated-no-extKeyUsage": {"signer": d["no-eku"], "certs": (d["no-eku"].cert,)},
        "delegated-from-intermediate": {"signer": d["from-sibling"], "certs": (d["from-sibling"].cert,)},
        "delegated-keyUsage-crlSigning": {"signer": d["crl-sign"], "certs": (d["crl-sign"].cert,)},
        "delegated-wrong-extKeyUsage": {"signer": d["wrong-eku"], "certs": (d["wrong-eku"].cert,)},
        "delegated-rsa1016": {"signer": d["rsa1016"], "certs": (d["rsa1016"].cert,)},
    }
    if kind == "good-other":
        # Good, but for another certificate of the same issuer.
        other = issue("another leaf", issuer, dns_names=("localhost",))
        return ocsp.Response(**{**base, "leaf": other.cert}).der()
    return ocsp.Response(**base, **plain[kind]).der()


def answer(kind: str, leaf: Issued, issuer: Issued) -> Answer | None:
    """What the responder answers for leaf, or None when it is down."""
    t = now()
    base = dict(leaf=leaf.cert, issuer=issuer.cert, issuer_key=issuer.key)
    if kind == "down":
        return None
    if kind == "500":
        return Answer(status=500)
    if kind == "trylater":
        return Answer(ocsp.status_only(3))
    fields = {
        "good": {},
        "revoked": {"status": "revoked"},
        "unknown": {"status": "unknown"},
        "good-expired": {"this_update": t - 3 * DAY, "next_update": t - 2 * DAY},
        "good-old": {"this_update": t - 12 * DAY, "next_update": t + DAY},
    }[kind]
    return Answer(ocsp.Response(**base, **fields).der())
