#!/usr/bin/env python3
"""Soak test of `staple exporter` (make soak; docs/OPERATORS.md).

Starts `staple demo --serve` (seven loopback TLS servers and their responder) and `staple exporter`
allowing 127.0.0.1, then sends PROBES probes at CONCURRENCY, round-robin over the demo's targets,
each on a keep-alive connection of its worker. Reads the exporter's resident memory and open file
descriptors from /proc: idle after a few priming probes, after the first 1,000 probes, and idle at
the end. Fails when a probe goes
unanswered or answers anything but HTTP 200 with probe_success, when RSS at the end exceeds RSS
after 1,000 probes by more than 20 %, or when the idle exporter holds more descriptors at the end
than before the first probe.

Usage: scripts/exporter-soak.py [--staple PATH] [--probes N] [--concurrency C]
"""

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time


def proc_status(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, fds


def read_line_with(stream, pattern, deadline):
    while time.time() < deadline:
        line = stream.readline()
        if not line:
            break
        match = re.search(pattern, line)
        if match:
            return match
    raise SystemExit(f"soak: no line matching {pattern!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--staple", default=".build/release/staple")
    parser.add_argument("--probes", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=1_000)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="staple-soak-")
    demo = subprocess.Popen(
        [args.staple, "demo", "--serve", work], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    exporter = None
    try:
        read_line_with(demo.stdout, r"Ctrl-C stops them", time.time() + 60)
        with open(os.path.join(work, "targets.txt")) as f:
            targets = [line.split()[0] for line in f if line.strip() and not line.startswith("#")]
        exporter = subprocess.Popen(
            [
                args.staple,
                "exporter",
                "--listen",
                "127.0.0.1:0",
                "--ca",
                os.path.join(work, "root.pem"),
                "--allow",
                "127.0.0.1",
                "--max-concurrent",
                str(args.concurrency),
                "--log-level",
                "warning",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        address = read_line_with(exporter.stdout, r"listening on (\S+)", time.time() + 60).group(1)
        host, port = address.rsplit(":", 1)

        lock = threading.Lock()
        state = {"next": 0, "answered": 0, "failures": [], "outcomes": {}}
        marks = {}

        def worker():
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            while True:
                with lock:
                    i = state["next"]
                    if i >= args.probes:
                        break
                    state["next"] += 1
                target = targets[i % len(targets)]
                try:
                    connection.request("GET", f"/probe?target={target}&servername=localhost")
                    response = connection.getresponse()
                    body = response.read().decode()
                    ok = response.status == 200 and "probe_success" in body
                    success = re.search(r"^probe_success (\S+)", body, re.M)
                    outcome = success.group(1) if success else "none"
                except Exception as error:  # noqa: BLE001 - any failure is a finding
                    ok, outcome, body = False, "error", repr(error)
                    connection = http.client.HTTPConnection(host, int(port), timeout=60)
                with lock:
                    state["answered"] += 1
                    state["outcomes"][outcome] = state["outcomes"].get(outcome, 0) + 1
                    if not ok:
                        state["failures"].append((target, body[:200]))
                    if state["answered"] == args.warmup:
                        marks["warmup"] = proc_status(exporter.pid)
            connection.close()

        # Priming: what the exporter opens once and keeps (event loops, the random device, the
        # resolver) is opened before the idle baseline is read.
        priming = http.client.HTTPConnection(host, int(port), timeout=60)
        for target in targets * 3:
            priming.request("GET", f"/probe?target={target}&servername=localhost")
            priming.getresponse().read()
        priming.close()
        time.sleep(0.5)
        before_rss, before_fds = proc_status(exporter.pid)
        start = time.time()
        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - start
        time.sleep(0.5)  # let the last connections close
        end_rss, end_fds = proc_status(exporter.pid)
        warm_rss, warm_fds = marks.get("warmup", (0, 0))
        result = {
            "probes": args.probes,
            "concurrency": args.concurrency,
            "answered": state["answered"],
            "failures": len(state["failures"]),
            "probe_success": state["outcomes"],
            "seconds": round(elapsed, 1),
            "probes_per_second": round(args.probes / elapsed, 1),
            "rss_after_warmup_mib": round(warm_rss / 2**20, 1),
            "rss_end_mib": round(end_rss / 2**20, 1),
            "rss_growth_percent": round(100 * (end_rss - warm_rss) / warm_rss, 1) if warm_rss else None,
            "fds_before": before_fds,
            "fds_after_warmup": warm_fds,
            "fds_end": end_fds,
        }
        print(json.dumps(result, indent=2))
        problems = []
        if state["answered"] != args.probes or state["failures"]:
            problems.append(f"{len(state['failures'])} probes failed, e.g. {state['failures'][:3]}")
        if warm_rss and end_rss > warm_rss * 1.2:
            problems.append("RSS grew by more than 20 % after the warm-up")
        if end_fds > before_fds:
            problems.append(f"file descriptors grew from {before_fds} (idle, before) to {end_fds} (idle, after)")
        for p in problems:
            print(f"soak: FAILED: {p}", file=sys.stderr)
        return 1 if problems else 0
    finally:
        for process in (exporter, demo):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    sys.exit(main())
