"""The manifest's cases, one module per category, in manifest order.

Each module has CATEGORY (the manifest's `category`) and build(Context), which adds that
category's cases for one key type through manifest.add(). build_cases() runs them in GROUPS
order and checks that each group added cases of its own category only.
"""

from __future__ import annotations

from .. import manifest
from ..pki import PKI
from . import (
    certid,
    firefox_8_1,
    firefox_8_2,
    firefox_8_3,
    firefox_8_5,
    firefox_8_6,
    firefox_8_11,
    firefox_8_12,
    mongodb,
    presets,
    robustness,
    times,
)
from .context import Context

GROUPS = (
    firefox_8_1,
    firefox_8_2,
    firefox_8_3,
    firefox_8_5,
    firefox_8_6,
    firefox_8_11,
    firefox_8_12,
    times,
    certid,
    presets,
    mongodb,
    robustness,
)


def build_cases(pki: PKI, staples: dict[str, str]) -> None:
    """All cases of one key type, given its PKI and its staples (name -> path)."""
    x = Context(pki, staples)
    for group in GROUPS:
        first = len(manifest.CASES)
        group.build(x)
        added = manifest.CASES[first:]
        assert added and all(c["category"] == group.CATEGORY for c in added), group.__name__
