"""Firefox's error names and the shapes of expected result that recur across the cases.

The names are those of firefox-policy §4 (as docs/CONTRACT.md lists them), plus
STAPLE_ERROR_STAPLE_REQUIRED, which is docs/CONTRACT.md's own. An expectation is the keyword
arguments of manifest.add(): verdict, error, and the staple status, staple result and request
count that firefox-policy §2.3–§2.7 prescribe.

OMIT leaves a field out of `expect`: stapleStatus is omitted where the chain fails before
revocation checking, and where an `ignore`/`accept` treatment applies (docs/CONTRACT.md does not
say what status such a staple reports). DOWN2 is a responder that answers HTTP 500 twice.
"""

from __future__ import annotations

REVOKED = "SEC_ERROR_REVOKED_CERTIFICATE"
UNKNOWN = "SEC_ERROR_OCSP_UNKNOWN_CERT"
OLD = "SEC_ERROR_OCSP_OLD_RESPONSE"
FUTURE = "SEC_ERROR_OCSP_FUTURE_RESPONSE"
TRYLATER = "SEC_ERROR_OCSP_TRY_SERVER_LATER"
MALREQ = "SEC_ERROR_OCSP_MALFORMED_REQUEST"
SRVERR = "SEC_ERROR_OCSP_SERVER_ERROR"
NEEDSSIG = "SEC_ERROR_OCSP_REQUEST_NEEDS_SIG"
UNAUTH = "SEC_ERROR_OCSP_UNAUTHORIZED_REQUEST"
UNKSTATUS = "SEC_ERROR_OCSP_UNKNOWN_RESPONSE_STATUS"
MALFORMED = "SEC_ERROR_OCSP_MALFORMED_RESPONSE"
BADSIG = "SEC_ERROR_OCSP_BAD_SIGNATURE"
INVSIGNER = "SEC_ERROR_OCSP_INVALID_SIGNING_CERT"
CERTMISSING = "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING"
TLSMISSING = "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
BADINT = "MOZILLA_PKIX_ERROR_INVALID_INTEGER_ENCODING"
CRITEXT = "SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION"
EXTINVALID = "SEC_ERROR_EXTENSION_VALUE_INVALID"
INVTIME = "SEC_ERROR_INVALID_TIME"
ALGDIS = "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED"
BADDER = "SEC_ERROR_BAD_DER"
STAPLEREQ = "STAPLE_ERROR_STAPLE_REQUIRED"

OMIT = object()
DOWN2 = [{"http": 500}, {"http": 500}]


def ok_good(**kw):
    """Accepted on a verified Good staple: no cache lookup, no fetch (firefox-policy §2.3)."""
    return dict(verdict="accepted", error=None, status="good", result="SUCCESS", requests=0, **kw)


def hard(err, status="invalid", **kw):
    """A staple error outside the tolerated list: returned at once, no fetch (firefox-policy §2.3)."""
    return dict(verdict="rejected", error=err, status=status, result=err, requests=0, **kw)


def fallback_down(err, status="invalid", **kw):
    """Tolerated staple error; fetch fails (HTTP 500) → the staple's error.

    firefox-policy §2.3, §2.7 HandleOCSPFailure. One request: the failure is cached for 5 minutes,
    so Firefox's second (1024-bit) pass does not fetch.
    """
    return dict(verdict="rejected", error=err, status=status, result=err, requests=1, responder=DOWN2, **kw)
