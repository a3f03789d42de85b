"""Category firefox-8.5: the rows of test_ocsp_required.js (firefox-policy §8.5), fetch=hard.

Fetched answers, a responder that is down (SERVER_ERROR, firefox-policy §2.7, §4), and the
cases where hard-fail makes no fetch: a Good staple (§2.3), no OCSP URI (§2.6), a short-lived
end-entity (§2.5(b)).
"""

from __future__ import annotations

from ..expectations import BADSIG, DOWN2, MALFORMED, OLD, REVOKED, SRVERR, TRYLATER, ok_good
from ..manifest import add
from .context import C, Context, P

CATEGORY = "firefox-8.5"


def build(x: Context) -> None:
    kt, ch, st, resp = x.kt, x.ch, x.st, x.resp
    cat = CATEGORY
    src = "firefox-policy §8.5 (test_ocsp_required.js), fetch=hard"
    H_ = {"fetch": "hard"}
    add(
        kt,
        cat,
        "bad-signature-fetched",
        "hard-fail; no staple; responder returns a response with a bad signature",
        f"{src}, row 1",
        ch[P],
        None,
        "rejected",
        BADSIG,
        status="none",
        result=None,
        requests=1,
        sets=H_,
        responder=[resp("bad-signature"), resp("bad-signature")],
        comment="row 2 (same again: no request thanks to the 5-minute error cache) needs a warm cache; not expressible",
    )
    add(
        kt,
        cat,
        "empty-body-fetched",
        "hard-fail; no staple; responder returns HTTP 200 with an empty body",
        f"{src}, row 3",
        ch[P],
        None,
        "rejected",
        MALFORMED,
        status="none",
        result=None,
        requests=1,
        sets=H_,
        responder=[{"response": C + "empty.der"}, {"response": C + "empty.der"}],
    )
    add(
        kt,
        cat,
        "responder-down",
        "hard-fail; no staple; responder HTTP 500",
        "firefox-policy §2.7 step 2, firefox-policy §4 (SERVER_ERROR: any fetch failure in hard-fail)",
        ch[P],
        None,
        "rejected",
        SRVERR,
        status="none",
        result=None,
        requests=1,
        sets=H_,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "fetch-good",
        "hard-fail; no staple; fetched Good",
        "firefox-policy §2.7 step 3",
        ch[P],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=1,
        sets=H_,
        responder=[resp("good")],
    )
    add(
        kt,
        cat,
        "fetch-revoked",
        "hard-fail; no staple; fetched Revoked",
        "firefox-policy §2.7 step 3",
        ch[P],
        None,
        "rejected",
        REVOKED,
        status="none",
        result=None,
        requests=1,
        sets=H_,
        responder=[resp("revoked")],
    )
    add(
        kt,
        cat,
        "fetch-expired-good",
        "hard-fail; no staple; fetched Good is expired → OLD_RESPONSE",
        "firefox-policy §2.7 step 3 (hard-fail returns the verification error); "
        "1 request (Firefox's key-size retry pass is not reproduced)",
        ch[P],
        None,
        "rejected",
        OLD,
        status="none",
        result=None,
        requests=1,
        sets=H_,
        responder=[resp("expired"), resp("expired")],
    )
    add(
        kt,
        cat,
        "staple-good",
        "hard-fail; Good staple: no fetch",
        "firefox-policy §2.3",
        ch[P],
        st("good"),
        **ok_good(sets=H_),
    )
    add(
        kt,
        cat,
        "trylater-responder-down",
        "hard-fail; tryLater staple; responder 500 → the fetch error, not the staple's (HandleOCSPFailure hard)",
        "firefox-policy §2.7 HandleOCSPFailure",
        ch[P],
        C + "status-3-trylater.der",
        "rejected",
        SRVERR,
        status="invalid",
        result=TRYLATER,
        requests=1,
        sets=H_,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "no-aia-no-staple",
        "hard-fail; EE without AIA, no staple → Success",
        "firefox-policy §2.6 (Success even in hard-fail)",
        ch["ee-no-aia"],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=0,
        sets=H_,
    )
    add(
        kt,
        cat,
        "short-lived-no-staple",
        "hard-fail; short-lived EE, no staple → Success without fetch",
        "firefox-policy §2.5(b)",
        ch["ee-short-lived"],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=0,
        sets=H_,
        responder=DOWN2,
    )
