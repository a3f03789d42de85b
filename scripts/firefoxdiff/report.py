"""The table the run prints, one row per scenario and TLS version, and the summary line."""

from __future__ import annotations

from dataclasses import dataclass

HEADERS = ("scenario", "TLS", "responder", "requests", "Firefox", "staple", "agree")


@dataclass
class Row:
    scenario: str
    tls: str
    responder: str
    firefox_requests: int
    staple_requests: int
    firefox: str  # "accepted" or the error code string
    staple: str
    agree: str  # "yes", "expected" or "NO"


class Table:
    def __init__(self, scenario_width: int) -> None:
        self.widths = [max(scenario_width, len(HEADERS[0])), 3, 12, 8, 48, 48, 8]
        self.rows: list[Row] = []

    def header(self) -> str:
        return self._line(HEADERS) + "\n" + self._line(["-" * w for w in self.widths])

    def add(self, row: Row) -> str:
        """Record row and return its line."""
        self.rows.append(row)
        requests = f"{row.firefox_requests}/{row.staple_requests}"
        return self._line((row.scenario, row.tls, row.responder, requests, row.firefox, row.staple, row.agree))

    def counts(self) -> tuple[int, int, int]:
        agree = sum(r.agree == "yes" for r in self.rows)
        expected = sum(r.agree == "expected" for r in self.rows)
        return agree, expected, len(self.rows) - agree - expected

    def _line(self, cells) -> str:
        return " | ".join(str(c).ljust(w) for c, w in zip(cells, self.widths)).rstrip()


def summary(scenarios: int, versions: int, agree: int, expected: int, disagree: int) -> str:
    return (
        f"firefox: {scenarios} scenarios x {versions} TLS versions, {agree} agree, "
        f"{expected} expected differences, {disagree} disagree"
    )
