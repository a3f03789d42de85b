#!/usr/bin/env python3
"""Self-check of the test-vector corpus (no Swift involved).

    python3 TestVectors/check.py            # from the repository root (or anywhere)

1. Every staple file is given to `openssl ocsp -respin FILE -resp_text -noverify`; the outcome
   must be the one staples/index.json records in `openssl`: "parses" (exit 0, response printed),
   "responder-error" (outer OCSPResponse parsed, non-successful responseStatus reported) or
   "fails" (OpenSSL cannot parse it — empty, truncated, not DER, no responseBytes, ...).
2. Every path in manifest.json (chain, staple, responder responses) exists; every staple file
   is used by at least one case.
3. Manifest shape: schema string, unique names `<keytype>/<category>/...`, required fields,
   allowed values (verdict, stapleStatus, error names from docs/CONTRACT.md / firefox-policy §4).
4. Chains are PEM, leaf first, each certificate issued by the next (Name match), root last.
5. Cross-check with OpenSSL's own OCSP verifier: every staple that a case expects to be
   *accepted on the staple* (stapleStatus "good") must pass `openssl ocsp -respin ...
   -issuer ... -CAfile ... -attime T0` signature verification, unless the case changes a knob
   that OpenSSL has no equivalent for (sha1, minRSABits) — those are reported only.
6. Prints "N cases" per category.

Exit status 0 when everything holds.
"""

from __future__ import annotations

import collections
import datetime
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography import x509

HERE = Path(__file__).resolve().parent

ERRORS = {
    "SEC_ERROR_REVOKED_CERTIFICATE",
    "SEC_ERROR_OCSP_UNKNOWN_CERT",
    "SEC_ERROR_OCSP_OLD_RESPONSE",
    "SEC_ERROR_OCSP_FUTURE_RESPONSE",
    "SEC_ERROR_OCSP_TRY_SERVER_LATER",
    "SEC_ERROR_OCSP_MALFORMED_REQUEST",
    "SEC_ERROR_OCSP_SERVER_ERROR",
    "SEC_ERROR_OCSP_REQUEST_NEEDS_SIG",
    "SEC_ERROR_OCSP_UNAUTHORIZED_REQUEST",
    "SEC_ERROR_OCSP_UNKNOWN_RESPONSE_STATUS",
    "SEC_ERROR_OCSP_MALFORMED_RESPONSE",
    "SEC_ERROR_OCSP_BAD_SIGNATURE",
    "SEC_ERROR_OCSP_INVALID_SIGNING_CERT",
    "SEC_ERROR_OCSP_RESPONDER_CERT_INVALID",
    "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING",
    "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
    "MOZILLA_PKIX_ERROR_INVALID_INTEGER_ENCODING",
    "SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION",
    "SEC_ERROR_EXTENSION_VALUE_INVALID",
    "SEC_ERROR_INVALID_TIME",
    "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED",
    "SEC_ERROR_CERT_BAD_ACCESS_LOCATION",
    "SEC_ERROR_BAD_DER",
    "STAPLE_ERROR_STAPLE_REQUIRED",
    "STAPLE_ERROR_CHAIN_INCOMPLETE",
}
STATUSES = {"good", "none", "expired", "invalid", "notChecked"}
PRESETS = {"firefox", "firefox2016", "strict", "permissive"}
KNOBS = {
    "stapling",
    "mustStaple",
    "fetch",
    "softTimeoutMs",
    "hardTimeoutMs",
    "shortLivedDays",
    "maxLifetimeDays",
    "slopSeconds",
    "tryLater",
    "invalidSigner",
    "wrongCertificate",
    "expiredStaple",
    "requireStaple",
    "sha1",
    "minRSABits",
}

problems: list[str] = []


def problem(msg: str) -> None:
    problems.append(msg)


# Known, documented differences between OpenSSL's verifier and the specification (check 5).
OPENSSL_DIFFERENCES = {
    "times/signer-notafter-t0": "OpenSSL's X509_cmp_time treats notAfter == time as expired; mozilla::pkix's "
    "validity check is inclusive (firefox-policy §3.5)",
}


def openssl_outcome(path: Path) -> tuple[str, str]:
    r = subprocess.run(
        ["openssl", "ocsp", "-respin", str(path), "-resp_text", "-noverify"], capture_output=True, text=True
    )
    out = (r.stdout + r.stderr).strip()
    if r.returncode == 0 and "OCSP Response Data:" in out:
        return "parses", out
    if "Responder Error:" in out:
        return "responder-error", out
    return "fails", out


def load_chain(path: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(path.read_bytes())


def main() -> int:
    manifest = json.loads((HERE / "manifest.json").read_text())
    index = json.loads((HERE / "staples" / "index.json").read_text())
    if manifest.get("schema") != "swift-must-staple/vectors/1":
        problem("schema string is wrong")
    cases = manifest["cases"]

    # 1. staples vs openssl
    on_disk = {str(p.relative_to(HERE)) for p in (HERE / "staples").rglob("*.der")}
    if on_disk != set(index):
        problem(f"staples/index.json and the files on disk differ: {sorted(on_disk ^ set(index))}")
    outcomes = collections.Counter()
    for rel, info in sorted(index.items()):
        got, msg = openssl_outcome(HERE / rel)
        if got != info["openssl"]:
            problem(f"{rel}: openssl outcome {got!r}, index says {info['openssl']!r} ({msg[-200:]})")
        outcomes[got] += 1
    print(
        f"openssl ocsp -resp_text on {len(index)} staple files: {outcomes['parses']} parsed, "
        f"{outcomes['responder-error']} parsed with a non-successful status, {outcomes['fails']} "
        f"rejected (as recorded in staples/index.json)"
    )

    # 2./3. paths and shape
    used = set()
    names = set()
    for c in cases:
        n = c.get("name", "?")
        for f in ("name", "category", "description", "source", "chain", "staple", "time", "policy", "expect"):
            if f not in c:
                problem(f"{n}: missing field {f}")
        if n in names:
            problem(f"{n}: duplicate name")
        names.add(n)
        parts = n.split("/")
        if len(parts) < 3 or parts[0] not in ("ecdsa", "rsa") or parts[1] != c["category"]:
            problem(f"{n}: name is not <keytype>/<category>/<case>")
        paths = [c["chain"]] + ([c["staple"]] if c["staple"] is not None else [])
        for r in c.get("responder", []):
            if len(r) != 1 or next(iter(r)) not in ("response", "http", "timeout", "refused"):
                problem(f"{n}: bad responder entry {r}")
            if "response" in r:
                paths.append(r["response"])
        for pth in paths:
            if not (HERE / pth).is_file():
                problem(f"{n}: missing file {pth}")
        if c["staple"] is not None:
            used.add(c["staple"])
        used.update(r["response"] for r in c.get("responder", []) if "response" in r)
        try:
            datetime.datetime.strptime(c["time"], "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            problem(f"{n}: bad time {c['time']}")
        pol = c["policy"]
        if pol.get("preset") not in PRESETS:
            problem(f"{n}: unknown preset {pol.get('preset')}")
        for k in pol.get("set", {}):
            if k not in KNOBS:
                problem(f"{n}: unknown knob {k}")
        e = c["expect"]
        if e.get("verdict") not in ("accepted", "rejected"):
            problem(f"{n}: verdict {e.get('verdict')}")
        if (e["verdict"] == "accepted") != (e.get("error") is None):
            problem(f"{n}: verdict/error mismatch")
        if e.get("error") is not None and e["error"] not in ERRORS:
            problem(f"{n}: unknown error name {e['error']}")
        if "stapleStatus" in e and e["stapleStatus"] not in STATUSES:
            problem(f"{n}: stapleStatus {e['stapleStatus']}")
        if "stapleResult" in e and e["stapleResult"] not in ERRORS | {"SUCCESS", None}:
            problem(f"{n}: stapleResult {e['stapleResult']}")
        if e.get("stapleStatus") == "none" and c["staple"] is not None:
            problem(f"{n}: stapleStatus none with a staple")
        if e.get("stapleStatus") in ("good", "expired", "invalid") and c["staple"] is None:
            problem(f"{n}: stapleStatus {e['stapleStatus']} without a staple")
        if "requests" in e and (not isinstance(e["requests"], int) or e["requests"] < 0):
            problem(f"{n}: requests {e['requests']}")
    unused = set(index) - used
    if unused:
        problem(f"staple files used by no case: {sorted(unused)}")

    # 4. chains
    chains = sorted({c["chain"] for c in cases})
    for ch in chains:
        certs = load_chain(HERE / ch)
        if len(certs) != 3:
            problem(f"{ch}: {len(certs)} certificates, expected leaf, intermediate, root")
        for a, b in zip(certs, certs[1:]):
            if a.issuer.public_bytes() != b.subject.public_bytes():
                problem(f"{ch}: {a.subject.rfc4514_string()} is not issued by the next certificate")
        if certs[-1].issuer != certs[-1].subject:
            problem(f"{ch}: last certificate is not self-issued")
    print(f"{len(chains)} chains checked (leaf first, root last)")

    # 5. OpenSSL cross-verification of staples that should be accepted on their own merits
    checked, reported = 0, []
    seen = set()
    with tempfile.TemporaryDirectory() as td:
        for c in cases:
            e = c["expect"]
            if e.get("stapleStatus") != "good" or e.get("stapleResult") != "SUCCESS":
                continue
            key = (c["chain"], c["staple"], c["time"])
            if key in seen:
                continue
            seen.add(key)
            certs = load_chain(HERE / c["chain"])
            pem = lambda x: x.public_bytes(__import__("cryptography").hazmat.primitives.serialization.Encoding.PEM)  # noqa
            leaf, inter, root = (Path(td) / f for f in ("leaf.pem", "int.pem", "root.pem"))
            leaf.write_bytes(pem(certs[0]))
            inter.write_bytes(pem(certs[1]))
            root.write_bytes(pem(certs[2]))
            t = int(
                datetime.datetime.strptime(c["time"], "%Y-%m-%dT%H:%M:%SZ")
                .replace(tzinfo=datetime.timezone.utc)
                .timestamp()
            )
            r = subprocess.run(
                [
                    "openssl",
                    "ocsp",
                    "-respin",
                    str(HERE / c["staple"]),
                    "-issuer",
                    str(inter),
                    "-cert",
                    str(leaf),
                    "-CAfile",
                    str(root),
                    "-verify_other",
                    str(inter),
                    "-attime",
                    str(t),
                    "-no_nonce",
                    "-validity_period",
                    "100000000",
                ],
                capture_output=True,
                text=True,
            )
            out = r.stdout + r.stderr
            # "Response verify OK" is printed once the signature and signer checks pass; a
            # non-zero exit may still follow ("No Status found": -cert looks up a SHA-1 CertID).
            ok = "Response verify OK" in out
            checked += 1
            if not ok:
                knobs = set(c["policy"].get("set", {}))
                short = "/".join(c["name"].split("/")[1:])
                line = f"{c['name']} ({c['staple']}): {' | '.join(out.strip().splitlines()[:3])}"
                if knobs & {"sha1", "minRSABits"}:
                    reported.append(line)
                elif short in OPENSSL_DIFFERENCES:
                    reported.append(line + " — " + OPENSSL_DIFFERENCES[short])
                else:
                    problem("openssl does not verify an accepted staple: " + line)
    # ... and the converse for bad signatures: OpenSSL must refuse them too.
    bad = sorted(
        {(c["chain"], c["staple"]) for c in cases if c["expect"].get("stapleResult") == "SEC_ERROR_OCSP_BAD_SIGNATURE"}
    )
    with tempfile.TemporaryDirectory() as td:
        from cryptography.hazmat.primitives.serialization import Encoding

        for chain, staple in bad:
            certs = load_chain(HERE / chain)
            inter, root = Path(td) / "int.pem", Path(td) / "root.pem"
            inter.write_bytes(certs[1].public_bytes(Encoding.PEM))
            root.write_bytes(certs[2].public_bytes(Encoding.PEM))
            r = subprocess.run(
                [
                    "openssl",
                    "ocsp",
                    "-respin",
                    str(HERE / staple),
                    "-issuer",
                    str(inter),
                    "-CAfile",
                    str(root),
                    "-no_nonce",
                ],
                capture_output=True,
                text=True,
            )
            if "Response verify OK" in r.stdout + r.stderr:
                problem(f"openssl verifies {staple}, which a case expects to have a bad signature")
    print(f"openssl ocsp refused all {len(bad)} staples expected to have a bad signature")
    print(
        f"openssl ocsp verified {checked - len(reported)} of {checked} distinct accepted staples"
        + (f"; {len(reported)} not verified by OpenSSL for a documented reason:" if reported else "")
    )
    for line in reported:
        print("   note:", line)

    # 6. counts
    counts = collections.Counter(c["category"] for c in cases)
    for cat in sorted(counts):
        print(f"{cat}: {counts[cat]} cases")
    print(f"total: {len(cases)} cases")

    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  -", p)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
