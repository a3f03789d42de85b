"""The scenarios: the rows of firefox-policy §8.1, §8.2 and §8.3 that a real server can serve, and a
few more around them.

Each scenario names its leaf certificate, the staple the server sends (staples.py makes it) and what
the OCSP responder does. Firefox's own tests let their responder answer HTTP 500 unless the row
says otherwise, and so do these. Stapling-off and must-staple-off rows are left out (every scenario
runs with Firefox's default prefs), and so are the zero-length staples ("empty",
"must-staple-empty"), which `openssl s_server -status_file` cannot send. "expired-fresh-ca" is the
"expired" row under a newly issued CA, which every CA of this run is.

Staple kinds: none, good, revoked, unknown, status-N (a bare responseStatus N), other-ca,
other-ca-trusted, good-other, skip-responseBytes, critical-extension, noncritical-extension,
empty-extensions, expired, revoked-old, unknown-old, ancient-valid, delegated-* (staples.py).

Responder kinds: 500 (HTTP 500), down (a closed port), good, revoked, unknown, good-expired,
good-old (a Good past the 10-day maximum lifetime, firefox-policy §3.9), trylater (status 3).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Leaf:
    """The end-entity: must-staple or not, which intermediate issues it, its names and key."""

    must_staple: bool = False
    issuer: str = "int"  # int, int-must-staple ({5}), int-multi ({5,17})
    features: tuple[int, ...] | None = None  # overrides must_staple's (5,)
    hosts: tuple[str, ...] = ("localhost",)
    key: str = "ecdsa"
    ca: bool = False  # basicConstraints cA=TRUE on the end-entity

    def tls_features(self) -> tuple[int, ...] | None:
        if self.features is not None:
            return self.features
        return (5,) if self.must_staple else None


@dataclass(frozen=True)
class Scenario:
    id: str
    source: str
    staple: str
    responder: str = "500"
    leaf: Leaf = Leaf()


MUST = Leaf(must_staple=True)


def _rows_8_1() -> list[Scenario]:
    src = "firefox-policy §8.1"
    rows = [
        ("good", "good"),
        ("revoked", "revoked"),
        ("good-other-ca", "other-ca"),
        ("good-other-ca-trusted", "other-ca-trusted"),
        ("malformed", "status-1"),
        ("srverr", "status-2"),
        ("trylater", "status-3"),
        ("needssig", "status-5"),
        ("unauthorized", "status-6"),
        ("unknown", "unknown"),
        ("good-other", "good-other"),
        ("none", "none"),
        ("skip-responseBytes", "skip-responseBytes"),
        ("critical-extension", "critical-extension"),
        ("noncritical-extension", "noncritical-extension"),
        ("empty-extensions", "empty-extensions"),
        ("delegated-included", "delegated-included"),
        ("delegated-included-last", "delegated-included-last"),
        ("delegated-missing", "delegated-missing"),
        ("delegated-missing-multiple", "delegated-missing-multiple"),
        ("delegated-no-extKeyUsage", "delegated-no-extKeyUsage"),
        ("delegated-from-intermediate", "delegated-from-intermediate"),
        ("delegated-keyUsage-crlSigning", "delegated-keyUsage-crlSigning"),
        ("delegated-wrong-extKeyUsage", "delegated-wrong-extKeyUsage"),
        ("keysize-ocsp-delegated", "delegated-rsa1016"),
    ]
    out = [Scenario(f"8.1/{name}", f"{src} {name}", staple) for name, staple in rows]
    out.append(Scenario("8.1/revoked-ca-cert-used-as-end-entity", src, "revoked", leaf=Leaf(ca=True)))
    return out


def _rows_8_2() -> list[Scenario]:
    src = "firefox-policy §8.2"
    rows = [
        ("expired", "good"),
        ("expired", "good-expired"),
        ("expired", "good-old"),
        ("expired", "500"),
        ("expired", "revoked"),
        ("expired", "unknown"),
        ("revoked-old", "500"),
        ("unknown-old", "500"),
        ("revoked-old", "good"),
        ("unknown-old", "good"),
        ("revoked-old", "good-expired"),
        ("unknown-old", "good-expired"),
        ("ancient-valid", "good"),
        ("ancient-valid", "revoked"),
        ("ancient-valid", "unknown"),
    ]
    out = [Scenario(f"8.2/{staple}+{resp}", f"{src} {staple}", staple, resp) for staple, resp in rows]
    out += [
        Scenario("8.2/must-staple-expired+good", src, "expired", "good", MUST),
        Scenario("8.2/must-staple-try-later+good", src, "status-3", "good", MUST),
        Scenario("8.2/must-staple-invalid-signer+good", src, "other-ca", "good", MUST),
    ]
    return out


def _rows_8_3() -> list[Scenario]:
    src = "firefox-policy §8.3"
    return [
        Scenario("8.3/must-staple-ee-with-must-staple-int", src, "good", leaf=Leaf(True, "int-must-staple")),
        Scenario("8.3/plain-ee-with-must-staple-int", src, "good", leaf=Leaf(False, "int-must-staple")),
        # Firefox's multi-tls-feature rows run with stapling off; at the default prefs feature 17
        # makes the leaf unusable whatever is stapled (firefox-policy §1.3).
        Scenario("8.3/multi-tls-feature-good", src, "good", leaf=Leaf(issuer="int-multi", features=(5, 17))),
        Scenario("8.3/multi-tls-feature-bad", src, "good", leaf=Leaf(True, "int-multi")),
        Scenario("8.3/must-staple", src, "good", leaf=MUST),
        Scenario("8.3/must-staple-revoked", src, "revoked", leaf=MUST),
        Scenario("8.3/must-staple-missing", src, "none", leaf=MUST),
        Scenario("8.3/must-staple-expired", src, "expired", leaf=MUST),
        Scenario("8.3/must-staple-try-later", src, "status-3", leaf=MUST),
        Scenario("8.3/must-staple-invalid-signer", src, "other-ca", leaf=MUST),
    ]


def _more() -> list[Scenario]:
    """Revocation before must-staple (firefox-policy §1.4), the host name, other responders, RSA."""
    src = "firefox-policy §2.7"
    wrong_host = Leaf(must_staple=True, hosts=("other.test",))
    return [
        Scenario("must-staple-missing+revoked", "firefox-policy §1.4", "none", "revoked", MUST),
        Scenario("must-staple-missing+wrong-host", "firefox-policy §1.4", "none", "500", wrong_host),
        Scenario("must-staple-missing+down", src, "none", "down", MUST),
        Scenario("must-staple-missing+good", src, "none", "good", MUST),
        Scenario("none+down", src, "none", "down"),
        Scenario("none+good", src, "none", "good"),
        Scenario("none+revoked", src, "none", "revoked"),
        Scenario("none+unknown", src, "none", "unknown"),
        Scenario("none+trylater", src, "none", "trylater"),
        Scenario("none+good-expired", src, "none", "good-expired"),
        Scenario("trylater+down", src, "status-3", "down"),
        Scenario("trylater+good", src, "status-3", "good"),
        Scenario("expired+down", src, "expired", "down"),
        Scenario("expired+trylater", src, "expired", "trylater"),
        Scenario("good-other+good", src, "good-other", "good"),
        Scenario("delegated-missing+good", src, "delegated-missing", "good"),
        Scenario("rsa/good", "firefox-policy §8.1 good", "good", leaf=Leaf(key="rsa")),
        Scenario("rsa/revoked", "firefox-policy §8.1 revoked", "revoked", leaf=Leaf(key="rsa")),
        Scenario("rsa/must-staple-missing", "firefox-policy §8.3", "none", leaf=Leaf(True, key="rsa")),
    ]


SCENARIOS: list[Scenario] = _rows_8_1() + _rows_8_2() + _rows_8_3() + _more()
assert len({s.id for s in SCENARIOS}) == len(SCENARIOS), "scenario ids must be unique"
