"""Category firefox-8.6: test_ocsp_caching.js (firefox-policy §8.6), as far as one verification.

The rows that one verification with a cold cache can express, plus the neighbouring rules:
short-lived end-entities (firefox-policy §2.5(b), §5.4), end-entities without an OCSP URI
(§2.6), and fetching switched off (§2.5(a)).
"""

from __future__ import annotations

from ..expectations import DOWN2, INVSIGNER, OLD, REVOKED, TRYLATER, UNKNOWN, hard, ok_good
from ..manifest import add
from .context import C, Context, P

CATEGORY = "firefox-8.6"


def build(x: Context) -> None:
    kt, ch, st, resp = x.kt, x.ch, x.st, x.resp
    cat = CATEGORY
    src = "firefox-policy §8.6 (test_ocsp_caching.js)"
    add(
        kt,
        cat,
        "short-lifetime-12000",
        "shortLivedDays=12000 makes the 1-year EE short-lived: no fetch",
        f"{src}, row short_lifetime_in_days = 12000",
        ch[P],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=0,
        sets={"shortLivedDays": 12000},
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "short-lifetime-100",
        "shortLivedDays=100: the 1-year EE is fetched for (500, soft-fail)",
        f"{src}, row short_lifetime_in_days = 100",
        ch[P],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=1,
        sets={"shortLivedDays": 100},
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "stapled-unknown",
        "stapled Unknown",
        f"{src}, row stapled Unknown",
        ch[P],
        st("unknown"),
        **hard(UNKNOWN),
    )
    add(
        kt,
        cat,
        "no-staple-responder-down",
        "fresh cache; no staple; responder 500 → soft-fail Success",
        f"{src}, row (cache cleared) no staple, responder 500",
        ch[P],
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
        "stapled-revoked",
        "stapled Revoked",
        f"{src}, row stapled Revoked",
        ch[P],
        st("revoked"),
        **hard(REVOKED),
    )
    add(
        kt,
        cat,
        "sha1-delegated-fetched",
        "hard-fail; fetched response signed by a SHA-1-signed delegated signer",
        f"{src}, row OCSP.require = true / SHA-1 delegated signer",
        ch[P],
        None,
        "rejected",
        INVSIGNER,
        status="none",
        result=None,
        requests=1,
        sets={"fetch": "hard"},
        responder=[resp("delegated-sha1"), resp("delegated-sha1")],
    )
    add(
        kt,
        cat,
        "short-lived/no-staple",
        "EE valid 5 days: no fetch, Success",
        "firefox-policy §5.4, §2.5(b)",
        ch["ee-short-lived"],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=0,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "short-lived/good",
        "EE valid 5 days, Good staple",
        "firefox-policy §5.4, §2.3",
        ch["ee-short-lived"],
        st("short-lived-good"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "short-lived/trylater",
        "EE valid 5 days, tryLater staple: tolerated error ignored, no fetch",
        "firefox-policy §2.5(b) (a remembered tolerated staple error is ignored)",
        ch["ee-short-lived"],
        C + "status-3-trylater.der",
        "accepted",
        None,
        status="invalid",
        result=TRYLATER,
        requests=0,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "short-lived/expired",
        "EE valid 5 days, expired staple: no fetch, Success",
        "firefox-policy §2.5(b)",
        ch["ee-short-lived"],
        st("short-lived-expired"),
        "accepted",
        None,
        status="expired",
        result=OLD,
        requests=0,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "short-lived/invalid-signer",
        "EE valid 5 days, unauthorized signer: no fetch, Success",
        "firefox-policy §2.5(b)",
        ch["ee-short-lived"],
        st("short-lived-invalid-signer"),
        "accepted",
        None,
        status="invalid",
        result=INVSIGNER,
        requests=0,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "short-lived/revoked",
        "EE valid 5 days, fresh Revoked staple",
        "firefox-policy §2.3, §5.4",
        ch["ee-short-lived"],
        st("short-lived-revoked"),
        **hard(REVOKED),
    )
    add(
        kt,
        cat,
        "short-lived/unknown",
        "EE valid 5 days, fresh Unknown staple",
        "firefox-policy §2.3, §5.4",
        ch["ee-short-lived"],
        st("short-lived-unknown"),
        **hard(UNKNOWN),
    )
    add(
        kt,
        cat,
        "no-aia/no-staple",
        "EE without AIA, no staple → Success, nothing to fetch",
        "firefox-policy §2.6",
        ch["ee-no-aia"],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=0,
    )
    add(
        kt,
        cat,
        "no-aia/good",
        "EE without AIA, Good staple",
        "firefox-policy §2.3",
        ch["ee-no-aia"],
        st("no-aia-good"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "no-aia/trylater",
        "EE without AIA, tryLater staple → the remembered staple error",
        "firefox-policy §2.6",
        ch["ee-no-aia"],
        C + "status-3-trylater.der",
        "rejected",
        TRYLATER,
        status="invalid",
        result=TRYLATER,
        requests=0,
    )
    add(
        kt,
        cat,
        "no-aia/expired",
        "EE without AIA, expired staple → OLD_RESPONSE",
        "firefox-policy §2.6",
        ch["ee-no-aia"],
        st("no-aia-expired"),
        "rejected",
        OLD,
        status="expired",
        result=OLD,
        requests=0,
    )
    add(
        kt,
        cat,
        "no-aia/invalid-signer",
        "EE without AIA, unauthorized signer → INVALID_SIGNING_CERT",
        "firefox-policy §2.6",
        ch["ee-no-aia"],
        st("no-aia-invalid-signer"),
        "rejected",
        INVSIGNER,
        status="invalid",
        result=INVSIGNER,
        requests=0,
    )
    add(
        kt,
        cat,
        "fetch-off/trylater",
        "fetch=off, tryLater staple: local-only ignores the tolerated error",
        "firefox-policy §2.5(a)",
        ch[P],
        C + "status-3-trylater.der",
        "accepted",
        None,
        status="invalid",
        result=TRYLATER,
        requests=0,
        sets={"fetch": "off"},
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "fetch-off/expired",
        "fetch=off, expired staple → Success",
        "firefox-policy §2.5(a)",
        ch[P],
        st("expired"),
        "accepted",
        None,
        status="expired",
        result=OLD,
        requests=0,
        sets={"fetch": "off"},
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "fetch-off/no-staple",
        "fetch=off, no staple → Success",
        "firefox-policy §2.5(a)",
        ch[P],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=0,
        sets={"fetch": "off"},
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "fetch-off/revoked",
        "fetch=off, fresh Revoked staple",
        "firefox-policy §2.3",
        ch[P],
        st("revoked"),
        **hard(REVOKED, sets={"fetch": "off"}),
    )
