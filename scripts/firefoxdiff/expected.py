"""The expected differences: where Firefox and `staple check --policy firefox` may answer differently.

Only a difference that the DocC article "Differences from Firefox"
(Sources/StapleVerifier/StapleVerifier.docc/DifferencesFromFirefox.md) documents may be listed
here, with that article's heading as its reason. Any other difference fails the run: it is either
a bug or an undocumented difference, and the fix is in the code or in that article first, never
here alone.

An entry names the scenario (an id of scenarios.py), the TLS version or None for both, and the
two answers exactly as the table prints them ("accepted" or the error name). A listed entry that
no longer occurs is reported at the end of the run, so that the list does not outlive its cause.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Expected:
    scenario: str
    tls: str | None
    firefox: str
    staple: str
    reason: str


# None of the documented differences changes a verdict or an error name in the scenarios of this
# run. The request counts differ where the article says so ("One pass": Firefox's second
# verification pass fetches again after Unknown or OLD_RESPONSE); the table shows them and they
# are not compared.
EXPECTED: list[Expected] = []


def lookup(scenario: str, tls: str, firefox: str, staple: str) -> Expected | None:
    for entry in EXPECTED:
        if entry.scenario != scenario or entry.tls not in (None, tls):
            continue
        if entry.firefox == firefox and entry.staple == staple:
            return entry
    return None
