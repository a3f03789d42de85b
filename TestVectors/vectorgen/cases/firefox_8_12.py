"""Category firefox-8.12: the gtest pkixcheck_TLSFeaturesSatisfiedInternal (firefox-policy §8.12).

Each TLS Feature value of the test, on an end-entity with a Good staple and without a staple
(firefox-policy §1.3); an undecodable extension (§1.1), a critical one, and mustStaple=false
(§1.4).
"""

from __future__ import annotations

from ..expectations import BADDER, DOWN2, EXTINVALID, TLSMISSING, ok_good
from ..manifest import add
from .context import MS, Context

CATEGORY = "firefox-8.12"


def build(x: Context) -> None:
    kt, ch, st = x.kt, x.ch, x.st
    cat = CATEGORY
    src = "firefox-policy §8.12 (pkixcheck_TLSFeaturesSatisfiedInternal), firefox-policy §1.3"
    for row, ee_, err in [
        ("empty", "ee-tlsfeat-empty-seq", BADDER),
        ("seq-5", MS, None),
        ("seq-6", "ee-tlsfeat-6", TLSMISSING),
        ("seq-5-6", "ee-tlsfeat-5-6", TLSMISSING),
        ("seq-5-5", "ee-tlsfeat-5-5", None),
        ("seq-integer-05-05", "ee-tlsfeat-int-0505", TLSMISSING),
        ("seq-integer-zero-length", "ee-tlsfeat-int-empty", TLSMISSING),
        ("not-der", "ee-tlsfeat-not-der", BADDER),
    ]:
        sname = "ms-good" if ee_ == MS else ee_[3:] + "-good"
        cm = (
            "'empty' is read as an empty SEQUENCE (30 00) in a decodable certificate"
            if row == "empty"
            else "extnValue 30 03 02 01 (truncated SEQUENCE), an extra row"
            if row == "not-der"
            else None
        )
        add(
            kt,
            cat,
            f"{row}/with-staple",
            f"TLS feature {row}, Good staple",
            f"{src}, row {row}, with staple",
            ch[ee_],
            st(sname),
            "rejected" if err else "accepted",
            err,
            status="good",
            result="SUCCESS",
            requests=0,
            comment=cm,
        )
        add(
            kt,
            cat,
            f"{row}/without-staple",
            f"TLS feature {row}, no staple (fetch 500, soft-fail first)",
            f"{src}, row {row}, without staple",
            ch[ee_],
            None,
            "rejected",
            err or TLSMISSING,
            status="none",
            result=None,
            requests=1,
            responder=DOWN2,
            comment=cm,
        )
    for ws, sp in (("with-staple", st("tlsfeat-empty-value-good")), ("without-staple", None)):
        add(
            kt,
            cat,
            f"empty-extnvalue/{ws}",
            "TLS feature extension with a zero-length extnValue: the certificate cannot be decoded",
            "firefox-policy §1.1",
            ch["ee-tlsfeat-empty-value"],
            sp,
            "rejected",
            EXTINVALID,
            requests=0,
            responder=DOWN2,
        )
    add(
        kt,
        cat,
        "seq-5-critical/with-staple",
        "critical TLS feature {5}: criticality has no effect",
        "firefox-policy §1.1",
        ch["ee-must-staple-critical"],
        st("ms-critical-good"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "seq-5-critical/without-staple",
        "critical TLS feature {5}, no staple",
        "firefox-policy §1.1, §1.3",
        ch["ee-must-staple-critical"],
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
        "seq-6/must-staple-off",
        "TLS feature {6}, mustStaple=false: the check is skipped",
        "firefox-policy §1.4",
        ch["ee-tlsfeat-6"],
        None,
        "accepted",
        None,
        status="none",
        result=None,
        requests=1,
        sets={"mustStaple": False},
        responder=DOWN2,
    )
