"""Category robustness: staples that are not one DER OCSPResponse (firefox-policy §2.3, §3).

Empty, 70,000 bytes, truncated, trailing bytes, not DER, the wrong outer tag, BER indefinite
length: each is MALFORMED, a hard staple error, so no fetch is made.
"""

from __future__ import annotations

from ..expectations import DOWN2, MALFORMED, hard
from ..manifest import add
from .context import MS, C, Context, P

CATEGORY = "robustness"


def build(x: Context) -> None:
    kt, ch, st = x.kt, x.ch, x.st
    cat = CATEGORY
    src = "firefox-policy §2.3, §3"
    for short, sp, desc in [
        ("empty", C + "empty.der", "zero-byte staple (counts as present)"),
        ("oversized-70000", st("oversized-70000"), "70,000-byte staple (DER length > 65535)"),
        ("truncated", st("truncated"), "good.der without its last 10 bytes"),
        ("truncated-half", st("truncated-half"), "first half of good.der"),
        ("trailing-byte", st("trailing-byte"), "good.der + one trailing byte"),
        ("trailing-response", st("trailing-response"), "good.der twice"),
        ("garbage", C + "garbage.der", "ASCII text"),
        ("wrong-outer-tag", C + "wrong-outer-tag.der", "SET instead of SEQUENCE"),
        ("indefinite-length", st("indefinite-length"), "BER indefinite length outer SEQUENCE"),
    ]:
        add(kt, cat, short, f"{desc} → MALFORMED, no fetch", src, ch[P], sp, **hard(MALFORMED, responder=DOWN2))
    add(
        kt,
        cat,
        "must-staple-oversized",
        "must-staple EE with a 70,000-byte staple → MALFORMED",
        src,
        ch[MS],
        st("oversized-70000"),
        **hard(MALFORMED),
    )
