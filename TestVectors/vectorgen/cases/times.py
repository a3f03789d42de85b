"""Category times: the time boundaries of firefox-policy §3.9, each at and one second past it.

thisUpdate in the future beyond the slop; validThrough from nextUpdate, from thisUpdate when
there is no nextUpdate, and from the maximum lifetime; malformed times; the slopSeconds and
maxLifetimeDays knobs; the signer certificate's validity (firefox-policy §3.5) and the
short-lived threshold of the end-entity (§2.5(b)).
"""

from __future__ import annotations

from ..clock import T0, D, S
from ..expectations import DOWN2, FUTURE, INVSIGNER, INVTIME, MALFORMED, OLD, fallback_down, hard, ok_good
from ..manifest import add
from .context import Context, P

CATEGORY = "times"


def build(x: Context) -> None:
    kt, ch, st, resp = x.kt, x.ch, x.st, x.resp
    cat = CATEGORY
    src = "firefox-policy §3.9"
    add(
        kt,
        cat,
        "this-update-plus-1d",
        "thisUpdate = T0+1d exactly: not in the future (slop)",
        f"{src} (thisUpdate > now + SLOP is future)",
        ch[P],
        st("t-this-plus-1d"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "this-update-plus-1d-1s",
        "thisUpdate = T0+1d+1s → FUTURE_RESPONSE, hard failure",
        f"{src}; firefox-policy §2.3",
        ch[P],
        st("t-this-plus-1d-1s"),
        **hard(FUTURE),
    )
    add(
        kt,
        cat,
        "future-revoked",
        "Revoked with thisUpdate T0+1d+1s → FUTURE_RESPONSE wins",
        f"{src}; firefox-policy §3.11",
        ch[P],
        st("t-future-revoked"),
        **hard(FUTURE),
    )
    add(
        kt,
        cat,
        "validthrough-eq-t0",
        "validThrough = nextUpdate + 1d = T0 exactly: accepted",
        f"{src} (expired = now > validThrough)",
        ch[P],
        st("t-validthrough-eq-t0"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "validthrough-t0-minus-1s",
        "validThrough = T0-1s: expired, fetch fails",
        f"{src}; firefox-policy §2.3",
        ch[P],
        st("t-validthrough-t0-minus-1s"),
        **fallback_down(OLD, status="expired"),
    )
    add(
        kt,
        cat,
        "validthrough-t0-minus-1s/fetch-good",
        "validThrough = T0-1s: expired, fetched Good",
        f"{src}; firefox-policy §2.3, §2.7",
        ch[P],
        st("t-validthrough-t0-minus-1s"),
        "accepted",
        None,
        status="expired",
        result=OLD,
        requests=1,
        responder=[resp("good")],
    )
    add(
        kt,
        cat,
        "no-nextupdate-eq",
        "no nextUpdate, thisUpdate T0-2d: validThrough = thisUpdate+1d+slop = T0",
        src,
        ch[P],
        st("t-no-next-eq"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "no-nextupdate-minus-1s",
        "no nextUpdate, thisUpdate T0-2d-1s: expired",
        src,
        ch[P],
        st("t-no-next-minus-1s"),
        **fallback_down(OLD, status="expired"),
    )
    add(
        kt,
        cat,
        "max-lifetime-eq",
        "thisUpdate T0-11d, nextUpdate T0+30d: window ends at thisUpdate+10d+1d = T0",
        f"{src} (maxLifetimeInDays 10)",
        ch[P],
        st("t-maxlife-eq"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "max-lifetime-minus-1s",
        "thisUpdate T0-11d-1s, nextUpdate T0+30d: expired",
        f"{src} (maxLifetimeInDays 10)",
        ch[P],
        st("t-maxlife-minus-1s"),
        **fallback_down(OLD, status="expired"),
    )
    add(
        kt,
        cat,
        "max-lifetime-days-20",
        "maxLifetimeDays=20 extends t-maxlife-minus-1s's window: accepted",
        f"{src}; docs/CONTRACT.md knob maxLifetimeDays",
        ch[P],
        st("t-maxlife-minus-1s"),
        **ok_good(sets={"maxLifetimeDays": 20}),
    )
    add(
        kt,
        cat,
        "ancient-valid",
        "thisUpdate T0-640d, nextUpdate T0+30d: expired; fetch fails",
        f"{src} (ocsp-stapling-ancient-valid)",
        ch[P],
        st("ancient-valid"),
        **fallback_down(OLD, status="expired"),
    )
    add(
        kt,
        cat,
        "next-update-eq-this-update",
        "nextUpdate = thisUpdate = T0-1h: accepted",
        f"{src} (only nextUpdate < thisUpdate is malformed)",
        ch[P],
        st("t-next-eq-this"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "next-update-before-this-update",
        "nextUpdate < thisUpdate → MALFORMED",
        src,
        ch[P],
        st("next-before-this"),
        **hard(MALFORMED),
    )
    add(
        kt,
        cat,
        "this-update-fractional-seconds",
        "thisUpdate with fractional seconds → INVALID_TIME",
        src,
        ch[P],
        st("thisupdate-fractional"),
        **hard(INVTIME),
    )
    add(
        kt,
        cat,
        "this-update-offset",
        "thisUpdate with +0000 instead of Z → INVALID_TIME",
        src,
        ch[P],
        st("thisupdate-offset"),
        **hard(INVTIME),
    )
    add(
        kt,
        cat,
        "time-validthrough-exact",
        "good.der (validThrough T0+7d) verified at T0+7d",
        src,
        ch[P],
        st("good"),
        **ok_good(time=T0 + 7 * D),
    )
    add(
        kt,
        cat,
        "time-earliest",
        "good.der (thisUpdate T0-1d) verified at T0-2d: thisUpdate = now + slop",
        src,
        ch[P],
        st("good"),
        **ok_good(time=T0 - 2 * D),
    )
    add(
        kt,
        cat,
        "time-before-earliest",
        "good.der verified at T0-2d-1s: thisUpdate > now + slop → FUTURE",
        src,
        ch[P],
        st("good"),
        **hard(FUTURE, time=T0 - 2 * D - S),
    )
    add(
        kt,
        cat,
        "slop-0",
        "slopSeconds=0: t-validthrough-eq-t0 (nextUpdate T0-1d) is expired",
        f"{src}; docs/CONTRACT.md knob slopSeconds",
        ch[P],
        st("t-validthrough-eq-t0"),
        **fallback_down(OLD, status="expired", sets={"slopSeconds": 0}),
    )
    add(
        kt,
        cat,
        "signer-notafter-t0",
        "delegated signer notAfter = T0: valid (no slop, inclusive)",
        "firefox-policy §3.5 (notBefore ≤ time ≤ notAfter, no slop)",
        ch[P],
        st("delegated-notafter-t0"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "signer-notafter-t0-minus-1s",
        "delegated signer notAfter = T0-1s: invalid signer",
        "firefox-policy §3.5",
        ch[P],
        st("delegated-notafter-t0-minus-1s"),
        **fallback_down(INVSIGNER),
    )
    add(
        kt,
        cat,
        "signer-notbefore-t0",
        "delegated signer notBefore = T0: valid",
        "firefox-policy §3.5",
        ch[P],
        st("delegated-notbefore-t0"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "ee-validity-10d",
        "EE validity exactly 10 days is not short-lived: fetch (500, soft-fail)",
        "firefox-policy §2.5(b) (strictly less)",
        ch["ee-life-10d"],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=1,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "ee-validity-10d-minus-1s",
        "EE validity 10 days - 1 s is short-lived: no fetch",
        "firefox-policy §2.5(b)",
        ch["ee-life-10d-minus-1s"],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=0,
        responder=DOWN2,
    )
