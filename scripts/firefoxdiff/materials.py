"""What one scenario needs for one TLS version, made fresh: the leaf, its staple and the responder's
answer, written to a folder of their own.

The leaf has a new key and a random serial (its own OCSP cache key in both judges) and an AIA
that names its own responder path, or a port nothing listens on when the responder is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import staples
from .pki import issue
from .responder import Responder
from .scenarios import Scenario


@dataclass
class Materials:
    key: str  # the responder path, unique per scenario and TLS version
    directory: Path
    cert: Path
    private_key: Path
    chain: Path
    staple: Path | None


def make(scenario: Scenario, tls: str, cas: staples.CAs, responder: Responder, closed_url: str, work: Path):
    key = f"{scenario.id}-{tls}".replace("/", "_").replace("+", "_")
    directory = work / key
    directory.mkdir()
    issuer = cas.issuer(scenario.leaf.issuer)
    hosts = scenario.leaf.hosts
    leaf = issue(
        hosts[0],
        issuer,
        key_kind=scenario.leaf.key,
        ca=scenario.leaf.ca,
        tls_features=scenario.leaf.tls_features(),
        dns_names=hosts,
        ip_localhost="localhost" in hosts,
        ocsp_url=closed_url if scenario.responder == "down" else responder.url(key),
    )
    answer = staples.answer(scenario.responder, leaf, issuer)
    if answer is not None:
        responder.set(key, answer)
    m = Materials(key, directory, directory / "leaf.pem", directory / "leaf.key", directory / "chain.pem", None)
    m.cert.write_bytes(leaf.cert_pem())
    m.private_key.write_bytes(leaf.key_pem())
    m.chain.write_bytes(issuer.cert_pem())
    der = staples.staple(scenario.staple, leaf, issuer, cas)
    if der is not None:
        m.staple = directory / "staple.der"
        m.staple.write_bytes(der)
    return m
