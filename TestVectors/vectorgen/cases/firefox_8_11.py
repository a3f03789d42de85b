"""Category firefox-8.11: the gtest pkixocsp_VerifyEncodedOCSPResponse (firefox-policy §8.11).

One staple per test: responseStatus (firefox-policy §3.1), responseType (§3.2), embedded
certificates (§3.3), ResponseData (§3.4), who may sign (§3.5), signature algorithms including
RSASSA-PSS (§3.6), and response and single extensions (§3.4, §3.10).
"""

from __future__ import annotations

from ..clock import T0, D, S
from ..expectations import (
    ALGDIS,
    BADSIG,
    CERTMISSING,
    CRITEXT,
    INVSIGNER,
    MALFORMED,
    MALREQ,
    NEEDSSIG,
    OLD,
    REVOKED,
    SRVERR,
    TRYLATER,
    UNAUTH,
    UNKNOWN,
    UNKSTATUS,
    fallback_down,
    hard,
    ok_good,
)
from ..manifest import add
from .context import C, Context, P

CATEGORY = "firefox-8.11"


def build(x: Context) -> None:
    kt, ch, st = x.kt, x.ch, x.st
    cat = CATEGORY
    src = "firefox-policy §8.11 (pkixocsp_VerifyEncodedOCSPResponse)"
    add(
        kt,
        cat,
        "without-response-bytes",
        "successful status without responseBytes",
        f"{src}, WithoutResponseBytes",
        ch[P],
        C + "no-responsebytes.der",
        **hard(MALFORMED),
    )
    for n, f, err in (
        (1, "status-1-malformedrequest", MALREQ),
        (2, "status-2-internalerror", SRVERR),
        (4, "status-4", UNKSTATUS),
        (5, "status-5-sigrequired", NEEDSSIG),
        (6, "status-6-unauthorized", UNAUTH),
        (7, "status-7", UNKSTATUS),
    ):
        add(
            kt,
            cat,
            f"status-{n}",
            f"responseStatus {n}",
            f"{src}, status {n}; firefox-policy §3.1",
            ch[P],
            C + f + ".der",
            **hard(err),
        )
    add(
        kt,
        cat,
        "status-3",
        "responseStatus 3 (tryLater): tolerated, fetch fails",
        f"{src}, status 3; firefox-policy §2.8",
        ch[P],
        C + "status-3-trylater.der",
        **fallback_down(TRYLATER),
    )
    add(kt, cat, "good-bykey", "issuer-signed, byKey", f"{src}, good_byKey", ch[P], st("good"), **ok_good())
    add(kt, cat, "good-byname", "issuer-signed, byName", f"{src}, good_byName", ch[P], st("good-byname"), **ok_good())
    add(
        kt,
        cat,
        "good-bykey-without-nextupdate",
        "no nextUpdate, thisUpdate = T0-1d",
        f"{src}, good_byKey_without_nextUpdate",
        ch[P],
        st("good-no-nextupdate"),
        **ok_good(),
    )
    add(kt, cat, "revoked", "Revoked", f"{src}, revoked", ch[P], st("revoked"), **hard(REVOKED))
    add(kt, cat, "unknown", "Unknown", f"{src}, unknown", ch[P], st("unknown"), **hard(UNKNOWN))
    add(
        kt,
        cat,
        "good-unsupported-signature-algorithm",
        "response signed with " + ("md5WithRSAEncryption" if kt == "rsa" else "ecdsa-with-SHA224"),
        f"{src}, good_unsupportedSignatureAlgorithm; firefox-policy §3.6",
        ch[P],
        st("weak-signature-alg"),
        **hard(ALGDIS),
    )
    add(
        kt,
        cat,
        "check-validthrough/at",
        "good.der at T0+7d = nextUpdate+1d = validThrough: still valid",
        f"{src}, check_validThrough",
        ch[P],
        st("good"),
        **ok_good(time=T0 + 7 * D),
    )
    add(
        kt,
        cat,
        "check-validthrough/after",
        "good.der at validThrough+1s: expired → fetch fails → OLD_RESPONSE",
        f"{src}, check_validThrough",
        ch[P],
        st("good"),
        **fallback_down(OLD, status="expired", time=T0 + 7 * D + S),
    )
    add(
        kt,
        cat,
        "ct-extension",
        "Good with an SCT-list single extension",
        f"{src}, ct_extension; firefox-policy §3.10",
        ch[P],
        st("sct-single-extension"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "delegated-good-bykey",
        "delegated responder, byKey",
        f"{src}, delegated good_byKey",
        ch[P],
        st("delegated-included-bykey"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "delegated-good-byname",
        "delegated responder, byName",
        f"{src}, delegated good_byName",
        ch[P],
        st("delegated-included"),
        **ok_good(),
    )
    for short, sname, row in [
        ("good-bykey-missing-signer", "delegated-missing-bykey", "good_byKey_missing_signer"),
        ("good-byname-missing-signer", "delegated-missing", "good_byName_missing_signer"),
        ("good-expired-signer", "delegated-expired", "good_expired"),
        ("good-future-signer", "delegated-not-yet-valid", "good_future"),
        ("good-no-eku", "delegated-no-eku", "good_no_eku"),
        ("good-indirect-wrong-eku", "delegated-serverauth-eku", "good_indirect_wrong_eku"),
        ("good-tampered-eku", "delegated-tampered-eku", "good_tampered_eku"),
        ("good-unknown-issuer", "delegated-unknown-key", "good_unknown_issuer"),
        ("good-indirect-subca-1-first", "delegated-subca-first", "good_indirect_subca_1_first"),
        ("good-indirect-subca-1-second", "delegated-subca-second", "good_indirect_subca_1_second"),
        (
            "good-unsupported-signature-algorithm-on-responder",
            "delegated-weak-alg",
            "good_unsupportedSignatureAlgorithmOnResponder",
        ),
    ]:
        add(
            kt,
            cat,
            short,
            f"signer rejected ({sname}); tolerated, fetch fails",
            f"{src}, {row}; firefox-policy §3.5",
            ch[P],
            st(sname),
            **fallback_down(INVSIGNER),
        )
    for short, sname, desc in [
        ("delegated-ca-true", "delegated-ca-true", "signer with cA=TRUE (CA_CERT_USED_AS_END_ENTITY, masked)"),
        ("delegated-sha1-signer", "delegated-sha1", "SHA-1-signed signer certificate (PSM policy)"),
        ("delegated-unrelated-ca", "delegated-unrelated-ca", "signer issued by an unrelated CA"),
    ]:
        add(
            kt,
            cat,
            short,
            f"{desc}; tolerated, fetch fails",
            "firefox-policy §3.5",
            ch[P],
            st(sname),
            **fallback_down(INVSIGNER),
        )
    add(
        kt,
        cat,
        "delegated-sha1-signer/sha1-allowed",
        "SHA-1-signed signer certificate with sha1=true",
        "docs/CONTRACT.md knob sha1; firefox-policy §3.5",
        ch[P],
        st("delegated-sha1"),
        **ok_good(sets={"sha1": True}),
    )
    add(
        kt,
        cat,
        "bad-signature",
        "signature bit flipped (signer = issuer)",
        "firefox-policy §2.3, §3.5",
        ch[P],
        st("bad-signature"),
        **hard(BADSIG),
    )
    add(
        kt,
        cat,
        "critical-single-extension",
        "unknown critical singleExtension",
        "firefox-policy §3.10",
        ch[P],
        st("critical-single-extension"),
        **hard(CRITEXT),
    )
    add(
        kt,
        cat,
        "noncritical-single-extension",
        "unknown non-critical singleExtension",
        "firefox-policy §3.10",
        ch[P],
        st("noncritical-single-extension"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "critical-response-extension",
        "unknown critical responseExtension",
        "firefox-policy §3.4",
        ch[P],
        st("critical-extension"),
        **hard(CRITEXT),
    )
    add(
        kt,
        cat,
        "nonce-extension",
        "non-critical nonce responseExtension",
        "firefox-policy §3.4",
        ch[P],
        st("noncritical-extension"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "empty-response-extensions",
        "empty responseExtensions SEQUENCE",
        "firefox-policy §3.4",
        ch[P],
        st("empty-extensions"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "version-v1-explicit",
        "explicit version v1",
        "firefox-policy §3.4",
        ch[P],
        st("version-v1"),
        **ok_good(),
    )
    add(kt, cat, "version-v2", "version v2", "firefox-policy §3.4", ch[P], st("version-v2"), **hard(MALFORMED))
    add(
        kt,
        cat,
        "empty-responses",
        "empty responses SEQUENCE",
        "firefox-policy §3.4",
        ch[P],
        st("empty-responses"),
        **hard(MALFORMED),
    )
    add(
        kt,
        cat,
        "wrong-response-type",
        "responseType is not id-pkix-ocsp-basic",
        "firefox-policy §3.2",
        ch[P],
        st("wrong-response-type"),
        **hard(MALFORMED),
    )
    add(kt, cat, "certs-8", "8 certificates embedded", "firefox-policy §3.3", ch[P], st("certs-8"), **ok_good())
    add(kt, cat, "certs-9", "9 certificates embedded", "firefox-policy §3.3", ch[P], st("certs-9"), **hard(MALFORMED))
    add(
        kt,
        cat,
        "good-with-issuer-embedded",
        "issuer-signed with the issuer certificate embedded",
        "firefox-policy §3.5 case 1",
        ch[P],
        st("good-with-issuer"),
        **ok_good(),
    )
    add(
        kt,
        cat,
        "good-other-ca",
        "signed by an unrelated CA",
        "firefox-policy §3.5, §8.1 good-other-ca",
        ch[P],
        st("good-other-ca"),
        **fallback_down(INVSIGNER),
    )
    add(
        kt,
        cat,
        "good-other",
        "Good for another certificate",
        "firefox-policy §3.7, §2.3 (MODERN)",
        ch[P],
        st("good-other"),
        **fallback_down(CERTMISSING),
    )
    if kt == "rsa":
        add(
            kt,
            cat,
            "pss-sha256-salt32",
            "RSASSA-PSS SHA-256/MGF1-SHA-256/salt 32",
            "firefox-policy §3.6",
            ch[P],
            st("pss-sha256-salt32"),
            **ok_good(),
        )
        add(
            kt,
            cat,
            "pss-sha384-salt48",
            "RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48",
            "firefox-policy §3.6",
            ch[P],
            st("pss-sha384-salt48"),
            **ok_good(),
        )
        add(
            kt,
            cat,
            "pss-sha256-salt20",
            "RSASSA-PSS SHA-256 with salt 20",
            "firefox-policy §3.6",
            ch[P],
            st("pss-sha256-salt20"),
            **hard(ALGDIS),
        )
        add(
            kt,
            cat,
            "pss-sha256-salt32-nonull",
            "RSASSA-PSS SHA-256/salt 32 encoded without NULL hash parameters (not byte-exact)",
            "firefox-policy §3.6 (byte-exact CA/B Forum encodings only)",
            ch[P],
            st("pss-sha256-salt32-nonull"),
            **hard(ALGDIS),
        )
