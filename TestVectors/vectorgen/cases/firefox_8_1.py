"""Category firefox-8.1: the rows of Firefox's test_ocsp_stapling.js (firefox-policy §8.1).

Every row's staple twice: with stapling disabled (the staple is not used, the fetch fails and
soft-fails) and enabled, with the responder answering HTTP 500 so that a tolerated staple error
(firefox-policy §2.3) ends as the staple's error; then a cA=TRUE certificate served as an
end-entity with a Revoked staple.
"""

from __future__ import annotations

from ..expectations import (
    CERTMISSING,
    CRITEXT,
    DOWN2,
    INVSIGNER,
    MALFORMED,
    MALREQ,
    NEEDSSIG,
    REVOKED,
    SRVERR,
    TRYLATER,
    UNAUTH,
    UNKNOWN,
    fallback_down,
    hard,
    ok_good,
)
from ..manifest import add
from .context import C, Context, P

CATEGORY = "firefox-8.1"


def build(x: Context) -> None:
    kt, ch, st = x.kt, x.ch, x.st
    cat = CATEGORY
    src = "firefox-policy §8.1 (test_ocsp_stapling.js)"
    off_rows = [
        ("good", st("good")),
        ("revoked", st("revoked")),
        ("good-other-ca", st("good-other-ca")),
        ("malformed", C + "status-1-malformedrequest.der"),
        ("srverr", C + "status-2-internalerror.der"),
        ("trylater", C + "status-3-trylater.der"),
        ("needssig", C + "status-5-sigrequired.der"),
        ("unauthorized", C + "status-6-unauthorized.der"),
        ("unknown", st("unknown")),
        ("good-other", st("good-other")),
        ("none", None),
        ("expired", st("expired")),
        ("expired-fresh-ca", st("expired-fresh-ca")),
        ("skip-responseBytes", C + "no-responsebytes.der"),
        ("critical-extension", st("critical-extension")),
        ("noncritical-extension", st("noncritical-extension")),
        ("empty-extensions", st("empty-extensions")),
    ]
    for row, sp in off_rows:
        add(
            kt,
            cat,
            f"stapling-off/{row}",
            f"enable_ocsp_stapling=false: the {row} staple is not used; fetch fails (500), soft-fail Success",
            f"{src}, stapling disabled, row {row}",
            ch[P],
            sp,
            "accepted",
            None,
            status="notChecked",
            result=None,
            requests=1,
            sets={"stapling": False},
            responder=DOWN2,
        )
    rows = [
        ("good", st("good"), ok_good()),
        ("revoked", st("revoked"), hard(REVOKED)),
        ("good-other-ca", st("good-other-ca"), fallback_down(INVSIGNER)),
        ("malformed", C + "status-1-malformedrequest.der", hard(MALREQ)),
        ("srverr", C + "status-2-internalerror.der", hard(SRVERR)),
        ("trylater", C + "status-3-trylater.der", fallback_down(TRYLATER)),
        ("needssig", C + "status-5-sigrequired.der", hard(NEEDSSIG)),
        ("unauthorized", C + "status-6-unauthorized.der", hard(UNAUTH)),
        ("unknown", st("unknown"), hard(UNKNOWN)),
        ("good-other", st("good-other"), fallback_down(CERTMISSING)),
        ("none", None, dict(verdict="accepted", error=None, status="none", result=None, requests=1, responder=DOWN2)),
        ("empty", C + "empty.der", hard(MALFORMED)),
        ("skip-responseBytes", C + "no-responsebytes.der", hard(MALFORMED)),
        ("critical-extension", st("critical-extension"), hard(CRITEXT)),
        ("noncritical-extension", st("noncritical-extension"), ok_good()),
        ("empty-extensions", st("empty-extensions"), ok_good()),
        ("delegated-included", st("delegated-included"), ok_good()),
        ("delegated-included-last", st("delegated-included-last"), ok_good()),
        ("delegated-missing", st("delegated-missing"), fallback_down(INVSIGNER)),
        ("delegated-missing-multiple", st("delegated-missing-multiple"), fallback_down(INVSIGNER)),
        ("delegated-no-extKeyUsage", st("delegated-no-eku"), fallback_down(INVSIGNER)),
        ("delegated-from-intermediate", st("delegated-unrelated-ca"), fallback_down(INVSIGNER)),
        ("delegated-keyUsage-crlSigning", st("delegated-crlsign"), fallback_down(INVSIGNER)),
        ("delegated-wrong-extKeyUsage", st("delegated-serverauth-eku"), fallback_down(INVSIGNER)),
        ("keysize-ocsp-delegated", st("delegated-rsa1016"), fallback_down(INVSIGNER)),
    ]
    for row, sp, e in rows:
        resp_ = e.pop("responder", DOWN2)
        add(
            kt,
            cat,
            row,
            f"stapled {row}; responder answers HTTP 500",
            f"{src}, row {row}",
            ch[P],
            sp,
            e["verdict"],
            e["error"],
            status=e["status"],
            result=e["result"],
            requests=e["requests"],
            responder=resp_,
            comment=(
                "other CA untrusted variant; the 'other CA trusted for SSL' variant needs a second "
                "trust anchor, which the manifest cannot express (same expectation)"
            )
            if row == "good-other-ca"
            else (
                "our reading: the signer has keyUsage cRLSign and no EKU (the Firefox certspec was not read, "
                "firefox-policy §8.1 marks the rejecting check UNCONFIRMED)"
            )
            if row == "delegated-keyUsage-crlSigning"
            else ("signer issued by an unrelated CA")
            if row == "delegated-from-intermediate"
            else None,
        )
    e = hard(REVOKED)
    add(
        kt,
        cat,
        "revoked-ca-cert-used-as-end-entity",
        "a cA=TRUE certificate served as end-entity with a Revoked staple",
        f"{src}, row revoked-ca-cert-used-as-end-entity",
        ch["ee-ca-as-ee"],
        st("ca-as-ee-revoked"),
        e["verdict"],
        e["error"],
        status=e["status"],
        result=e["result"],
        requests=0,
        responder=DOWN2,
    )
