"""Where the corpus goes, the record of every staple file, and the openssl CLI.

ROOT is the TestVectors folder that holds this package, wherever that folder has been copied.
Paths given to write() and put_staple() are relative to it, as the manifest's are.
STAPLE_INDEX becomes staples/index.json: per file, how it was made, what it is, and what
`openssl ocsp -respin FILE -resp_text -noverify` does with it (check.py holds OpenSSL to that).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STAPLE_INDEX: dict[str, dict] = {}
_SCRATCH: list[Path] = []


def write(rel: str, data: bytes) -> str:
    p = ROOT / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return rel


def read(rel: str) -> bytes:
    return (ROOT / rel).read_bytes()


def put_staple(rel: str, data: bytes, tool: str, desc: str, openssl: str = "parses") -> str:
    """openssl: what `openssl ocsp -respin FILE -resp_text -noverify` is expected to do —
    "parses", "responder-error" (outer structure parsed, non-successful status reported) or "fails"."""
    assert rel not in STAPLE_INDEX, rel
    assert openssl in ("parses", "responder-error", "fails")
    write(rel, data)
    STAPLE_INDEX[rel] = {"tool": tool, "openssl": openssl, "description": desc}
    return rel


def scratch() -> Path:
    """A temporary folder for openssl's inputs and outputs (keys, CA databases), made on first use."""
    if not _SCRATCH:
        _SCRATCH.append(Path(tempfile.mkdtemp(prefix="smsvectors-")))
    return _SCRATCH[0]


def remove_scratch() -> None:
    while _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)


def run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def write_index() -> None:
    """staples/index.json, sorted by path."""
    (ROOT / "staples" / "index.json").write_text(json.dumps(dict(sorted(STAPLE_INDEX.items())), indent=2) + "\n")
