"""Category presets: docs/CONTRACT.md's four presets and four tryLater treatments.

Nine inputs under each preset (firefox, firefox2016, strict, permissive) and under the firefox
preset with each tryLater treatment (fallback, fail, ignore, accept), the responder down. The
outcomes come from expect_preset(), which follows firefox-policy §2.3–§2.7 and §1.3 for the
firefox treatments and docs/CONTRACT.md for the others.
"""

from __future__ import annotations

from ..expectations import CERTMISSING, DOWN2, INVSIGNER, OLD, OMIT, REVOKED, SRVERR, STAPLEREQ, TLSMISSING, TRYLATER
from ..manifest import add
from .context import MS, C, Context, P

CATEGORY = "presets"


# The staple error, staple status and docs/CONTRACT.md knob of each input with a tolerated error.
STAPLE_ERR = {
    "trylater": (TRYLATER, "invalid", "tryLater"),
    "must-staple-trylater": (TRYLATER, "invalid", "tryLater"),
    "expired": (OLD, "expired", "expiredStaple"),
    "invalid-signer": (INVSIGNER, "invalid", "invalidSigner"),
    "good-other": (CERTMISSING, "invalid", "wrongCertificate"),
}
# The knobs of each preset (docs/CONTRACT.md).
PRESETS = {
    "firefox": dict(
        mustStaple=True,
        fetch="soft",
        tryLater="fallback",
        invalidSigner="fallback",
        wrongCertificate="fallback",
        expiredStaple="fallback",
        requireStaple=False,
    ),
    "firefox2016": dict(
        mustStaple=True,
        fetch="soft",
        tryLater="fail",
        invalidSigner="fail",
        wrongCertificate="fail",
        expiredStaple="fallback",
        requireStaple=False,
    ),
    "strict": dict(
        mustStaple=True,
        fetch="off",
        tryLater="fail",
        invalidSigner="fail",
        wrongCertificate="fail",
        expiredStaple="fail",
        requireStaple=True,
    ),
    "permissive": dict(
        mustStaple=False,
        fetch="soft",
        tryLater="ignore",
        invalidSigner="fallback",
        wrongCertificate="ignore",
        expiredStaple="ignore",
        requireStaple=False,
    ),
}


def expect_preset(inp: str, ee_: str, pol: dict) -> dict:
    """The outcome with the responder down (HTTP 500).

    Derived from firefox-policy §2.3–§2.7 and the treatments of docs/CONTRACT.md.
    """
    fetch = pol["fetch"]
    must = pol["mustStaple"] and ee_ == MS
    no_staple_req = 1 if fetch != "off" else 0

    def no_staple_outcome(status, result):
        # revocation: no staple → fetch fails → soft-fail Success (or local-only Success)
        if must:
            return dict(verdict="rejected", error=TLSMISSING, status=status, result=result, requests=no_staple_req)
        if pol["requireStaple"]:
            return dict(verdict="rejected", error=STAPLEREQ, status=status, result=result, requests=no_staple_req)
        return dict(verdict="accepted", error=None, status=status, result=result, requests=no_staple_req)

    if inp == "good":
        return dict(verdict="accepted", error=None, status="good", result="SUCCESS", requests=0)
    if inp == "revoked":
        return dict(verdict="rejected", error=REVOKED, status="invalid", result=REVOKED, requests=0)
    if inp in ("none", "must-staple-missing"):
        return no_staple_outcome("none", None)
    err, status, knob = STAPLE_ERR[inp]
    treat = pol[knob]
    if treat == "fail":
        return dict(verdict="rejected", error=err, status=status, result=err, requests=0)
    if treat == "accept":
        return dict(verdict="accepted", error=None, status=OMIT, result=err, requests=0)
    if treat == "ignore":
        return no_staple_outcome(OMIT, err)
    # fallback
    if fetch == "off":
        return dict(verdict="accepted", error=None, status=status, result=err, requests=0)
    if fetch == "hard":
        return dict(verdict="rejected", error=SRVERR, status=status, result=err, requests=1)
    return dict(verdict="rejected", error=err, status=status, result=err, requests=1)


def build(x: Context) -> None:
    kt, ch, st = x.kt, x.ch, x.st
    cat = CATEGORY
    inputs = [
        ("good", P, st("good")),
        ("none", P, None),
        ("trylater", P, C + "status-3-trylater.der"),
        ("expired", P, st("expired")),
        ("invalid-signer", P, st("delegated-no-eku")),
        ("good-other", P, st("good-other")),
        ("revoked", P, st("revoked")),
        ("must-staple-missing", MS, None),
        ("must-staple-trylater", MS, C + "status-3-trylater.der"),
    ]
    for pname, pol in PRESETS.items():
        for inp, ee_, sp in inputs:
            o = expect_preset(inp, ee_, pol)
            cm = None
            if pname == "strict" and inp == "must-staple-missing":
                cm = (
                    "CONTRACT.md does not order requireStaple against Firefox's must-staple check; we expect "
                    "Firefox's own error (firefox-policy §1.4) since STAPLE_ERROR_* is for outcomes Firefox has "
                    "no name for"
                )
            if o["status"] is OMIT and o["result"] is not None:
                cm = "stapleStatus omitted: CONTRACT.md does not say what status an ignored/accepted staple reports"
            add(
                kt,
                cat,
                f"{pname}/{inp}",
                f"preset {pname}, input {inp}, responder HTTP 500",
                f"docs/CONTRACT.md preset {pname}; firefox-policy §2.3–§2.7, §1.3",
                ch[ee_],
                sp,
                o["verdict"],
                o["error"],
                status=o["status"],
                result=o["result"],
                requests=o["requests"],
                preset=pname,
                responder=DOWN2,
                comment=cm,
            )
    for treat in ("fallback", "fail", "ignore", "accept"):
        pol = dict(PRESETS["firefox"], tryLater=treat)
        for inp, ee_, sp in inputs:
            o = expect_preset(inp, ee_, pol)
            cm = (
                "stapleStatus omitted: CONTRACT.md does not say what status an ignored/accepted staple reports"
                if o["status"] is OMIT and o["result"] is not None
                else None
            )
            add(
                kt,
                cat,
                f"trylater-{treat}/{inp}",
                f"preset firefox with tryLater={treat}, input {inp}, responder HTTP 500",
                "docs/CONTRACT.md tryLater treatments; firefox-policy §2.3, §2.8",
                ch[ee_],
                sp,
                o["verdict"],
                o["error"],
                status=o["status"],
                result=o["result"],
                requests=o["requests"],
                sets={"tryLater": treat},
                responder=DOWN2,
                comment=cm,
            )
