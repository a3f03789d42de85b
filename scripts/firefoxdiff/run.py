"""One run: make the CAs, start the responder and Firefox, then for every scenario and TLS version
start a server, let both judges connect, compare their answers, and stop the server.

Isolation: every (scenario, TLS version) pair has a leaf certificate of its own (materials.py), a
server on a fresh port (its own TLS session cache key), and Firefox's OCSP cache and TLS session
caches are cleared before each navigation. No outcome depends on an earlier scenario, which
`--only` (a scenario alone) and `--reverse` (the other order) let anyone check.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

from . import expected, materials, processes, staplecheck, staples
from .browser import Browser
from .profile import make_profile
from .report import Row, Table, summary
from .responder import Responder
from .scenarios import SCENARIOS, Scenario
from .server import TLSServer

TLS_VERSIONS = ("1.3", "1.2")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Firefox ESR against `staple check --policy firefox`, on loopback.")
    p.add_argument("--staple", required=True, type=Path, help="the staple binary, e.g. .build/debug/staple")
    p.add_argument("--firefox", default="firefox-esr", help="the Firefox binary (default: firefox-esr)")
    p.add_argument("--only", action="append", default=[], help="run only scenarios whose id contains this")
    p.add_argument("--reverse", action="store_true", help="run the scenarios in the opposite order")
    p.add_argument("--keep", action="store_true", help="keep the working folder (certificates, logs, JSON)")
    return p.parse_args(argv)


class Run:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.cas = staples.CAs()
        self.ca_file = work / "trusted.pem"
        self.ca_file.write_bytes(self.cas.trusted_pem())
        self.responder = Responder()
        # Bound and never listening: a connection to it is refused at once ("down").
        self.closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.closed.bind(("127.0.0.1", 0))
        self.closed_url = f"http://127.0.0.1:{self.closed.getsockname()[1]}/"
        roots = []
        for name, ca in (("root", self.cas.root), ("trusted-other-root", self.cas.trusted_other_root)):
            roots.append(work / f"{name}.pem")
            roots[-1].write_bytes(ca.cert_pem())
        port = processes.free_port()
        self.browser = Browser(args.firefox, make_profile(work / "profile", roots, port), port, work / "firefox.log")
        self.failures: list[str] = []

    def start(self) -> None:
        self.responder.start()
        self.browser.start()

    def stop(self) -> None:
        self.browser.stop()
        self.responder.stop()
        self.closed.close()

    def one(self, scenario: Scenario, tls: str) -> Row:
        """Both judges against one fresh server; the row that compares them."""
        m = materials.make(scenario, tls, self.cas, self.responder, self.closed_url, self.work)
        server = TLSServer(m.directory, tls, m.cert, m.private_key, m.chain, m.staple)
        try:
            self.browser.forget_state()
            before = self.responder.count(m.key)
            outcome = self.browser.visit(f"https://localhost:{server.port}/")
            self.browser.blank()
            firefox_requests = self.responder.count(m.key) - before
            verdict = staplecheck.check(self.args.staple, self.ca_file, server.port)
            staple_requests = self.responder.count(m.key) - before - firefox_requests
        finally:
            server.stop()
        (m.directory / "firefox.txt").write_text(f"{outcome}\n")
        if verdict.raw is not None:
            (m.directory / "staple.json").write_text(json.dumps(verdict.raw, indent=2) + "\n")

        firefox = "accepted" if outcome.loaded else (outcome.error or f"unknown error page {outcome.page}")
        staple = "accepted" if verdict.accepted else (verdict.error or "refused, no error name")
        if firefox == staple:
            agree = "yes"
        elif expected.lookup(scenario.id, tls, firefox, staple):
            agree = "expected"
        else:
            agree = "NO"
            raw = verdict.raw or {}
            detail = (raw.get("verify") or {}).get("error") or raw.get("error")
            self.failures.append(
                f"{scenario.id} TLS {tls}: Firefox {firefox} (page {outcome.page}); "
                f"staple {staple} (exit {verdict.exit_code}): {json.dumps(detail)}"
            )
        return Row(scenario.id, tls, scenario.responder, firefox_requests, staple_requests, firefox, staple, agree)


def print_browser(info: dict) -> bool:
    """Print Firefox's version and revocation prefs; False when a pref is not at its default."""
    print(f"Firefox {info['version']} (headless, Marionette), revocation prefs:")
    for name, pref in info["prefs"].items():
        print(f"  {name} = {json.dumps(pref['value'])}" + ("  (not the default!)" if pref["userSet"] else ""))
    print()
    return not any(pref["userSet"] for pref in info["prefs"].values())


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if not args.staple.is_file():
        print(f"firefox: no staple binary at {args.staple}", file=sys.stderr)
        return 2
    selected = [s for s in SCENARIOS if not args.only or any(o in s.id for o in args.only)]
    if args.reverse:
        selected.reverse()
    # Ctrl-C and SIGTERM both end the run through the finally below (also when started with SIGINT
    # ignored, as a background job is).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="firefox-differential-"))
    started = time.monotonic()
    run = None
    try:
        run = Run(args, work)
        run.start()
        if not print_browser(run.browser.info()):
            print("firefox: a revocation pref is not at its default", file=sys.stderr)
            return 2
        table = Table(max(len(s.id) for s in selected))
        print(table.header(), flush=True)
        for scenario in selected:
            for tls in TLS_VERSIONS:
                print(table.add(run.one(scenario, tls)), flush=True)
        for entry in expected.EXPECTED:
            seen = any(r.agree == "expected" and r.scenario == entry.scenario for r in table.rows)
            if not seen and any(s.id == entry.scenario for s in selected):
                print(f"note: the expected difference for {entry.scenario} did not occur ({entry.reason})")
        if run.failures:
            print("\nDisagreements (not on the expected list):")
            for failure in run.failures:
                print(f"  {failure}")
        agree, expected_count, disagree = table.counts()
        kept = f"kept in {work}" if args.keep else "removed"
        print(f"\n(run time {time.monotonic() - started:.0f} s; working folder {kept})")
        print(summary(len(selected), len(TLS_VERSIONS), agree, expected_count, disagree))
        return 0 if disagree == 0 else 1
    finally:
        if run is not None:
            run.stop()
        processes.stop_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
