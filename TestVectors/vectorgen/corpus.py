"""main(): delete and rebuild pki/, staples/ and manifest.json in the TestVectors folder.

The order matters for byte-identical output: the common staples first, then per key type
(ecdsa, rsa) its PKI, its staples and its cases; the manifest lists the cases in the order they
were added, staples/index.json is sorted by path.
"""

from __future__ import annotations

import collections
import shutil

from . import manifest
from .cases import build_cases
from .output import ROOT, STAPLE_INDEX, remove_scratch, write_index
from .pki import KEY_TYPES, PKI
from .staples import build_common_staples, build_staples


def main() -> int:
    for sub in ("pki", "staples"):
        shutil.rmtree(ROOT / sub, ignore_errors=True)
    (ROOT / "manifest.json").unlink(missing_ok=True)
    try:
        build_common_staples()
        for kt in KEY_TYPES:
            p = PKI(kt)
            p.write()
            build_cases(p, build_staples(p))
        manifest.write_manifest()
        write_index()
    finally:
        remove_scratch()
    counts = collections.Counter(c["category"] for c in manifest.CASES)
    for k, v in counts.items():
        print(f"{k}: {v} cases")
    print(f"total: {len(manifest.CASES)} cases, {len(STAPLE_INDEX)} staple files")
    return 0
