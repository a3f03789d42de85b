"""The corpus's fixed times: T0, the default validity period, and the producedAt substitute.

Every time in the corpus is fixed relative to T0 = 2026-06-01T12:00:00Z; nothing reads the wall
clock. Certificates are valid NB -> NA unless a case needs otherwise. Staples default to
thisUpdate = producedAt = T0-1d and nextUpdate = T0+6d, i.e. a validThrough of T0+7d under
firefox-policy §3.9 (nextUpdate + 1 day of slop).

cryptography's OCSPResponseBuilder stamps producedAt (RFC 6960 §4.2.1 ResponseData) with
datetime.datetime.now(). To keep the corpus independent of the wall clock, importing this module
replaces datetime.datetime with a subclass whose now() returns the producedAt chosen by
set_produced_at(). This must happen before cryptography is imported, which is why the package's
__init__ imports this module first.
"""

from __future__ import annotations

import datetime as _dt

_REAL_DATETIME = _dt.datetime
_PRODUCED_AT = [_REAL_DATETIME(2026, 6, 1, 12, 0, 0, tzinfo=_dt.timezone.utc)]


class _FixedNowDatetime(_REAL_DATETIME):
    @classmethod
    def now(cls, tz=None):
        v = _PRODUCED_AT[0]
        return v if tz is not None else v.replace(tzinfo=None)

    @classmethod
    def utcnow(cls):
        return _PRODUCED_AT[0].replace(tzinfo=None)


_dt.datetime = _FixedNowDatetime  # type: ignore[misc]

UTC = _dt.timezone.utc


def set_produced_at(t: _REAL_DATETIME) -> None:
    """The time that the next OCSPResponseBuilder.sign() writes as producedAt."""
    _PRODUCED_AT[0] = t


def dt(*a) -> _REAL_DATETIME:
    return _FixedNowDatetime(*a, tzinfo=UTC)


def iso(t) -> str:
    """The manifest's time format, e.g. 2026-06-01T12:00:00Z."""
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


T0 = dt(2026, 6, 1, 12, 0, 0)
D = _dt.timedelta(days=1)
H = _dt.timedelta(hours=1)
S = _dt.timedelta(seconds=1)
NB = dt(2026, 1, 1, 0, 0, 0)  # default notBefore
NA = dt(2027, 1, 1, 0, 0, 0)  # default notAfter
