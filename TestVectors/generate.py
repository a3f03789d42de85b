#!/usr/bin/env python3
"""Regenerate the swift-must-staple test-vector corpus.

Run from the repository root:   python3 TestVectors/generate.py

Everything under TestVectors/pki, TestVectors/staples and TestVectors/manifest.json is
deleted and rebuilt.  The output is deterministic except for key material (and therefore
signatures): serial numbers, names, validity periods and every OCSP time (including
producedAt) are fixed relative to T0 = 2026-06-01T12:00:00Z.  Nothing reads the wall clock.

Tools: Python `cryptography` (certificates, OCSP responses via ocsp.OCSPResponseBuilder)
and the `openssl` CLI (a 1016-bit RSA key, SHA-1 and MD5 signed certificates, MD5 response
signatures).  A small DER encoder (vectorgen/der.py) is used only for structures neither tool
can express (see HAND-CRAFTED in staples/index.json).

Expectations in the manifest are derived by reading docs/firefox-policy.md
(referred to as "firefox-policy.md") and docs/CONTRACT.md; they are not produced by
running any verifier.

The code is the package vectorgen/ beside this file (its __init__ lists the modules); this
driver imports it from its own folder, so a copy of TestVectors/ anywhere regenerates itself.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vectorgen.corpus import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
