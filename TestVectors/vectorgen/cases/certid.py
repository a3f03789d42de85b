"""Category certid: CertID matching (firefox-policy §3.7) and responder IDs (firefox-policy §3.5).

The four CertID hashes mozilla::pkix supports, byKey and byName; SHA-224 (skipped); several
SingleResponses (firefox-policy §3.8); short hashes; a non-minimal serial; a re-encoded Name.
"""

from __future__ import annotations

from ..expectations import BADINT, CERTMISSING, INVSIGNER, MALFORMED, REVOKED, fallback_down, hard, ok_good
from ..manifest import add
from .context import Context, P

CATEGORY = "certid"


def build(x: Context) -> None:
    kt, ch, st, resp = x.kt, x.ch, x.st, x.resp
    cat = CATEGORY
    src = "firefox-policy §3.5, §3.7"
    for hn in ("sha1", "sha256", "sha384", "sha512"):
        for r in ("bykey", "byname"):
            add(
                kt,
                cat,
                f"{hn}-{r}",
                f"{hn.upper()} CertID, responderID {r}",
                src,
                ch[P],
                st(f"certid-{hn}-{r}"),
                **ok_good(),
            )
    add(
        kt,
        cat,
        "sha224",
        "SHA-224 CertID is skipped → RESPONSE_FOR_CERT_MISSING (tolerated, fetch fails)",
        "firefox-policy §3.7 step 1",
        ch[P],
        st("certid-sha224"),
        **fallback_down(CERTMISSING),
    )
    add(
        kt,
        cat,
        "sha224/fetch-good",
        "SHA-224 CertID staple; fetched Good",
        "firefox-policy §3.7, §2.3",
        ch[P],
        st("certid-sha224"),
        "accepted",
        None,
        status="invalid",
        result=CERTMISSING,
        requests=1,
        responder=[resp("good")],
    )
    add(
        kt,
        cat,
        "issuer-signed-without-certs",
        "issuer-signed, no certificates embedded",
        "firefox-policy §3.5 case 1",
        ch[P],
        st("good"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "issuer-signed-with-issuer",
        "issuer-signed, issuer certificate embedded",
        "firefox-policy §3.5 case 1",
        ch[P],
        st("good-with-issuer"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "bykey-19-bytes",
        "byKey hash of 19 bytes → MALFORMED",
        "firefox-policy §3.5",
        ch[P],
        st("bykey-19"),
        **hard(MALFORMED),
    )
    add(
        kt,
        cat,
        "byname-reencoded",
        "byName with the issuer Name re-encoded (PrintableString) does not match",
        "firefox-policy §3.5 (byte-identical Name)",
        ch[P],
        st("byname-reencoded"),
        **fallback_down(INVSIGNER),
    )
    add(
        kt,
        cat,
        "two-responses-other-first",
        "SingleResponse for another cert first, then ours",
        "firefox-policy §3.7 (non-matching responses skipped)",
        ch[P],
        st("certid-two-other-first"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "good-and-revoked",
        "two matching SingleResponses Good and Revoked: revoked wins",
        "firefox-policy §3.8",
        ch[P],
        st("certid-good-and-revoked"),
        **hard(REVOKED),
    )
    add(
        kt,
        cat,
        "unknown-and-good",
        "two matching SingleResponses Unknown and Good: good wins",
        "firefox-policy §3.8",
        ch[P],
        st("certid-unknown-and-good"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "name-hash-19-bytes",
        "issuerNameHash of 19 bytes with a matching serial → MALFORMED",
        "firefox-policy §3.7 step 4",
        ch[P],
        st("certid-namehash-short"),
        **hard(MALFORMED),
    )
    add(
        kt,
        cat,
        "wrong-key-hash",
        "issuerKeyHash of another key → no match → RESPONSE_FOR_CERT_MISSING",
        "firefox-policy §3.7 step 5",
        ch[P],
        st("certid-wrong-keyhash"),
        **fallback_down(CERTMISSING),
    )
    add(
        kt,
        cat,
        "serial-nonminimal",
        "serialNumber with a superfluous leading zero → INVALID_INTEGER_ENCODING",
        "firefox-policy §3.7 step 2, firefox-policy §3 (returned unmapped)",
        ch[P],
        st("certid-serial-nonminimal"),
        **hard(BADINT),
    )
    add(
        kt,
        cat,
        "other-certificate",
        "response only for another certificate (serial mismatch)",
        "firefox-policy §3.7 step 3",
        ch[P],
        st("good-other"),
        **fallback_down(CERTMISSING),
    )
