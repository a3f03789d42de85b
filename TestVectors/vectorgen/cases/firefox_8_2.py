"""Category firefox-8.2: the rows of test_ocsp_stapling_expired.js (firefox-policy §8.2).

Expired, revoked-old, unknown-old and ancient-valid staples against each answer of the
responder. An expired staple is a tolerated error (firefox-policy §2.3): the fetched answer
decides, and with the responder down the staple's own error is returned (firefox-policy §2.7).
"""

from __future__ import annotations

from ..expectations import DOWN2, INVSIGNER, OLD, REVOKED, TRYLATER, UNKNOWN
from ..manifest import add
from .context import MS, C, Context, P

CATEGORY = "firefox-8.2"


def build(x: Context) -> None:
    kt, ch, st, resp = x.kt, x.ch, x.st, x.resp
    cat = CATEGORY
    src = "firefox-policy §8.2 (test_ocsp_stapling_expired.js)"
    for host in ("expired", "expired-fresh-ca"):
        sp = st(host)
        add(
            kt,
            cat,
            f"{host}/fetch-good",
            f"expired staple ({host}); fetched fresh Good → Success",
            f"{src}, row {host} / fresh Good",
            ch[P],
            sp,
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
            f"{host}/fetch-expired-good",
            f"expired staple ({host}); fetched Good is expired too",
            f"{src}, row {host} / expired Good "
            "(1 request: Firefox's second key-size pass would refetch; we make one pass)",
            ch[P],
            sp,
            "rejected",
            OLD,
            status="expired",
            result=OLD,
            requests=1,
            responder=[resp("expired"), resp("expired")],
        )
        add(
            kt,
            cat,
            f"{host}/fetch-old-validity",
            f"expired staple ({host}); fetched Good with an old validity period",
            f"{src}, row {host} / Good with old validity period",
            ch[P],
            sp,
            "rejected",
            OLD,
            status="expired",
            result=OLD,
            requests=1,
            responder=[resp("old-validity"), resp("old-validity")],
        )
        add(
            kt,
            cat,
            f"{host}/fetch-revoked",
            f"expired staple ({host}); fetched Revoked",
            f"{src}, row {host} / Revoked",
            ch[P],
            sp,
            "rejected",
            REVOKED,
            status="expired",
            result=OLD,
            requests=1,
            responder=[resp("revoked")],
        )
        add(
            kt,
            cat,
            f"{host}/fetch-unknown",
            f"expired staple ({host}); fetched Unknown",
            f"{src}, row {host} / Unknown",
            ch[P],
            sp,
            "rejected",
            UNKNOWN,
            status="expired",
            result=OLD,
            requests=1,
            responder=[resp("unknown"), resp("unknown")],
        )
    add(
        kt,
        cat,
        "expired/responder-down",
        "expired staple; responder HTTP 500 → the staple's error",
        f"{src}, row expired (twice) / HTTP 500",
        ch[P],
        st("expired"),
        "rejected",
        OLD,
        status="expired",
        result=OLD,
        requests=1,
        responder=DOWN2,
        comment="the Firefox row connects twice; the second connection (0 requests, negative cache) needs a "
        "warm cache and is not expressible",
    )
    add(
        kt,
        cat,
        "revoked-old/responder-down",
        "expired Revoked staple; responder HTTP 500",
        f"{src}, row revoked-old / HTTP 500",
        ch[P],
        st("revoked-old"),
        "rejected",
        REVOKED,
        status="expired",
        result=REVOKED,
        requests=1,
        responder=DOWN2,
    )
    add(
        kt,
        cat,
        "unknown-old/responder-down",
        "expired Unknown staple; responder HTTP 500",
        f"{src}, row unknown-old / HTTP 500",
        ch[P],
        st("unknown-old"),
        "rejected",
        UNKNOWN,
        status="expired",
        result=UNKNOWN,
        requests=1,
        responder=DOWN2,
    )
    for host, err in (("revoked-old", REVOKED), ("unknown-old", UNKNOWN)):
        add(
            kt,
            cat,
            f"{host}/fetch-good",
            f"expired {host} staple; fetched fresh Good → Success",
            f"{src}, row revoked-old / unknown-old / fresh Good",
            ch[P],
            st(host),
            "accepted",
            None,
            status="expired",
            result=err,
            requests=1,
            responder=[resp("good")],
        )
        add(
            kt,
            cat,
            f"{host}/fetch-expired-good",
            f"expired {host} staple; fetched expired Good → staple's error",
            f"{src}, row {host} / expired Good",
            ch[P],
            st(host),
            "rejected",
            err,
            status="expired",
            result=err,
            requests=1,
            responder=[resp("expired"), resp("expired")],
        )
    add(
        kt,
        cat,
        "ancient-valid/fetch-good",
        "ancient-valid staple (thisUpdate T0-640d); fetched Good",
        f"{src}, row ancient-valid / Good",
        ch[P],
        st("ancient-valid"),
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
        "ancient-valid/fetch-revoked",
        "ancient-valid staple; fetched Revoked",
        f"{src}, row ancient-valid / Revoked",
        ch[P],
        st("ancient-valid"),
        "rejected",
        REVOKED,
        status="expired",
        result=OLD,
        requests=1,
        responder=[resp("revoked")],
    )
    add(
        kt,
        cat,
        "ancient-valid/fetch-unknown",
        "ancient-valid staple; fetched Unknown",
        f"{src}, row ancient-valid / Unknown",
        ch[P],
        st("ancient-valid"),
        "rejected",
        UNKNOWN,
        status="expired",
        result=OLD,
        requests=1,
        responder=[resp("unknown"), resp("unknown")],
    )
    add(
        kt,
        cat,
        "must-staple-expired/fetch-good",
        "must-staple EE, expired staple; fetched Good → Success",
        f"{src}, row must-staple-expired / Good",
        ch[MS],
        st("ms-expired"),
        "accepted",
        None,
        status="expired",
        result=OLD,
        requests=1,
        responder=[resp("ms-good")],
    )
    add(
        kt,
        cat,
        "must-staple-try-later/fetch-good",
        "must-staple EE, tryLater staple; fetched Good → Success",
        f"{src}, row must-staple-try-later / Good",
        ch[MS],
        C + "status-3-trylater.der",
        "accepted",
        None,
        status="invalid",
        result=TRYLATER,
        requests=1,
        responder=[resp("ms-good")],
    )
    add(
        kt,
        cat,
        "must-staple-invalid-signer/fetch-good",
        "must-staple EE, staple from an unauthorized signer; fetched Good → Success",
        f"{src}, row must-staple-invalid-signer / Good",
        ch[MS],
        st("ms-invalid-signer"),
        "accepted",
        None,
        status="invalid",
        result=INVSIGNER,
        requests=1,
        responder=[resp("ms-good")],
    )
