"""Category mongodb: a MongoDB-style OCSP matrix (firefox-policy §2.3, §2.7, §1.3).

valid/revoked certificate × staple/none × must-staple/plain × responder up/down ×
CA-signed/delegated responses, 32 cases per key type.
"""

from __future__ import annotations

from ..expectations import DOWN2, REVOKED, TLSMISSING, hard, ok_good
from ..manifest import add
from .context import MS, Context, P

CATEGORY = "mongodb"


def build(x: Context) -> None:
    kt, ch, st, resp = x.kt, x.ch, x.st, x.resp
    cat = CATEGORY
    src = "firefox-policy §2.3, §2.7, §1.3 (MongoDB-style OCSP matrix)"
    for signer in ("ca", "delegated"):
        pre = "" if signer == "ca" else "delegated-"
        mpre = "ms-" if signer == "ca" else "ms-delegated-"
        for cert_status in ("valid", "revoked"):
            for must in (False, True):
                ee_ = MS if must else P
                good_f = (mpre + "good") if must else (pre + "good" if signer == "ca" else "delegated-included")
                rev_f = (mpre + "revoked") if must else (pre + "revoked")
                staple_f = good_f if cert_status == "valid" else rev_f
                for stapled in (True, False):
                    for up in (True, False):
                        responder = [resp(staple_f), resp(staple_f)] if up else DOWN2
                        short = (
                            f"{cert_status}-{'staple' if stapled else 'no-staple'}-"
                            f"{'must-staple' if must else 'plain'}-{'responder-up' if up else 'responder-down'}-"
                            f"{signer}"
                        )
                        if stapled:
                            e = ok_good() if cert_status == "valid" else hard(REVOKED)
                        elif cert_status == "revoked" and up:
                            e = dict(verdict="rejected", error=REVOKED, status="none", result=None, requests=1)
                        elif must:
                            e = dict(verdict="rejected", error=TLSMISSING, status="none", result=None, requests=1)
                        else:
                            e = dict(verdict="accepted", error=None, status="none", result=None, requests=1)
                        add(
                            kt,
                            cat,
                            short,
                            f"{cert_status} certificate, {'stapled' if stapled else 'no staple'}, "
                            f"{'must-staple' if must else 'no must-staple'}, responder "
                            f"{'answers ' + ('Good' if cert_status == 'valid' else 'Revoked') if up else 'HTTP 500'}, "
                            f"{'CA-signed' if signer == 'ca' else 'delegated'} responses",
                            src,
                            ch[ee_],
                            st(staple_f) if stapled else None,
                            e["verdict"],
                            e["error"],
                            status=e["status"],
                            result=e["result"],
                            requests=e["requests"],
                            responder=responder,
                        )
