"""The other judge: `staple check --policy firefox --json` against the same server.

Its verdict is `outcome` (accepted, or rejected / failed); its error is the verdict's Firefox name
(`verify.error.name`, e.g. SEC_ERROR_REVOKED_CERTIFICATE) when the engine refused, otherwise the
TLS error's name (`error.name`, e.g. hostnameMismatch), which Firefox has no counterpart for.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Verdict:
    accepted: bool
    error: str | None
    exit_code: int
    raw: dict | None


def check(staple: Path, ca: Path, port: int, timeout: float = 15.0) -> Verdict:
    cmd = [str(staple), "check", "--policy", "firefox", "--ca", str(ca), "--json", "--quiet", f"localhost:{port}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if len(lines) != 1:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return Verdict(False, f"no JSON (exit {proc.returncode}: {detail[0]})", proc.returncode, None)
    doc = json.loads(lines[0])
    accepted = doc.get("outcome") == "accepted"
    error = None
    if not accepted:
        verdict_error = (doc.get("verify") or {}).get("error")
        if verdict_error:
            error = verdict_error.get("name")
        elif doc.get("error"):
            error = doc["error"].get("name")
    return Verdict(accepted, error, proc.returncode, doc)
