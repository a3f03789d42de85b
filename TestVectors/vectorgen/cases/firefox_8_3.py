"""Category firefox-8.3: the rows of test_ocsp_must_staple.js (firefox-policy §8.3).

Must-staple end-entities and intermediates (the chain rule of firefox-policy §1.2, the
end-entity rule of §1.3), with and without a staple, and the stapling, mustStaple and fetch
knobs (firefox-policy §1.4, §1.6, §2.5(a)).
"""

from __future__ import annotations

from ..expectations import DOWN2, INVSIGNER, MALFORMED, OLD, REVOKED, TLSMISSING, TRYLATER, fallback_down, hard, ok_good
from ..manifest import add
from .context import MS, C, Context

CATEGORY = "firefox-8.3"


def build(x: Context) -> None:
    kt, ch, st = x.kt, x.ch, x.st
    cat = CATEGORY
    src = "firefox-policy §8.3 (test_ocsp_must_staple.js)"
    add(
        kt,
        cat,
        "must-staple-ee-with-must-staple-int",
        "must-staple intermediate, EE copies {5}, Good staple",
        f"{src}, row ocsp-stapling-must-staple-ee-with-must-staple-int",
        ch["ee-msint-must-staple"],
        st("msint-must-staple-good"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "must-staple-ee-with-must-staple-int/no-staple",
        "must-staple intermediate, EE copies {5}, no staple: fetch (500, soft-fail) then must-staple fails",
        f"firefox-policy §1.2, §1.3; {src}",
        ch["ee-msint-must-staple"],
        None,
        "rejected",
        TLSMISSING,
        status="none",
        result=None,
        requests=1,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "plain-ee-with-must-staple-int",
        "must-staple intermediate, EE without the extension: chain rule fails before revocation",
        f"{src}, row ocsp-stapling-plain-ee-with-must-staple-int; firefox-policy §1.2",
        ch["ee-msint-plain"],
        st("msint-plain-good"),
        "rejected",
        TLSMISSING,
        requests=0,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "multi-tls-feature-good",
        "EE copies the intermediate's {5,17}; stapling off",
        f"{src}, row multi-tls-feature-good",
        ch["ee-multi-good"],
        None,
        "accepted",
        None,
        status="notChecked",
        result=None,
        requests=1,
        sets={"stapling": False},
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "multi-tls-feature-bad",
        "EE {5} under a {5,17} intermediate; stapling off",
        f"{src}, row multi-tls-feature-bad; firefox-policy §1.2",
        ch["ee-multi-bad"],
        None,
        "rejected",
        TLSMISSING,
        requests=0,
        sets={"stapling": False},
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "multi-tls-feature-bad/stapling-on",
        "EE {5} under a {5,17} intermediate, Good staple, stapling on: the chain rule fails first",
        f"{src}, row multi-tls-feature-bad; firefox-policy §1.2",
        ch["ee-multi-bad"],
        st("multi-bad-good"),
        "rejected",
        TLSMISSING,
        requests=0,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "multi-tls-feature-good/stapling-on",
        "EE {5,17} with a Good staple and stapling on: feature 17 is not honoured",
        "firefox-policy §1.3, §6 (status_request_v2 not supported)",
        ch["ee-multi-good"],
        st("multi-good-good"),
        "rejected",
        TLSMISSING,
        status="good",
        result="SUCCESS",
        requests=0,
    )
    add(
        kt,
        cat,
        "must-staple",
        "must-staple EE, Good staple",
        f"{src}, row ocsp-stapling-must-staple",
        ch[MS],
        st("ms-good"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "must-staple-revoked",
        "must-staple EE, Revoked staple",
        f"{src}, row must-staple-revoked",
        ch[MS],
        st("ms-revoked"),
        **hard(REVOKED),
    )
    add(
        kt,
        cat,
        "must-staple-missing",
        "must-staple EE, no staple; fetch (500) soft-fails, then must-staple fails",
        f"{src}, row must-staple-missing (on)",
        ch[MS],
        None,
        "rejected",
        TLSMISSING,
        status="none",
        result=None,
        requests=1,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "must-staple-empty",
        "must-staple EE, zero-byte staple",
        f"{src}, row must-staple-empty",
        ch[MS],
        C + "empty.der",
        **hard(MALFORMED),
    )
    add(
        kt,
        cat,
        "must-staple-missing/stapling-off",
        "must-staple EE, no staple, stapling off",
        f"{src}, row must-staple-missing (off)",
        ch[MS],
        None,
        "accepted",
        None,
        status="notChecked",
        result=None,
        requests=1,
        sets={"stapling": False},
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "must-staple-expired",
        "must-staple EE, expired staple; fetch fails",
        f"{src}, row must-staple-expired",
        ch[MS],
        st("ms-expired"),
        **fallback_down(OLD, status="expired"),
    )
    add(
        kt,
        cat,
        "must-staple-try-later",
        "must-staple EE, tryLater staple; fetch fails",
        f"{src}, row must-staple-try-later",
        ch[MS],
        C + "status-3-trylater.der",
        **fallback_down(TRYLATER),
    )
    add(
        kt,
        cat,
        "must-staple-invalid-signer",
        "must-staple EE, unauthorized signer; fetch fails",
        f"{src}, row must-staple-invalid-signer",
        ch[MS],
        st("ms-invalid-signer"),
        **fallback_down(INVSIGNER),
    )
    add(
        kt,
        cat,
        "must-staple-missing/must-staple-pref-off",
        "must-staple EE, no staple, mustStaple=false",
        f"{src}, row enable_ocsp_must_staple=false / must-staple-missing",
        ch[MS],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=1,
        sets={"mustStaple": False},
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "must-staple-try-later/fetch-off",
        "must-staple EE, tryLater staple, fetching off: presence suffices, tolerated error ignored",
        "firefox-policy §1.6 (TODO: must-staple with fetching disabled), firefox-policy §2.5(a)",
        ch[MS],
        C + "status-3-trylater.der",
        "accepted",
        None,
        status="invalid",
        result=TRYLATER,
        requests=0,
        sets={"fetch": "off"},
    )
