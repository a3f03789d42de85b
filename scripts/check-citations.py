#!/usr/bin/env python3
"""Check that every section citation in the repository resolves.

Run from the repository root:  python3 scripts/check-citations.py

Files: those tracked by git under Sources, Tests, Fuzz, scripts and docs; under TestVectors only .py, .md and .json;
and README.md, Makefile, Package.swift, .ci/run. Binary files and *.der, *.pem, *.key are skipped.

1. Every "§N[.M…]" token belongs to a document. The document is the nearest marker before it on the same line
   ("RFC NNNN", "X.690", "firefox-policy") when nothing but a list separator (a comma, an en dash, a hyphen, a
   slash, "and", "or") stands between the two; a token that follows another token with only a separator in between
   continues that token's document ("RFC 6960 §4.2.1, §4.2.2", "firefox-policy §2.3, §3"). A token with no such
   marker belongs to firefox-policy.
2. A firefox-policy token has to name a heading of docs/firefox-policy.md ("## N." or "### N.M"), digit for digit:
   a three-part number needs a heading with that three-part number. RFC and X.690 tokens are not checked.
3. No file refers to documents that are not part of the repository.
4. No file uses work-process wording (files under Tests/**/Fixtures/ excepted).

Prints "file:line: message" for each problem and a summary line; exits 1 when there is a problem, 0 otherwise.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICY = "docs/firefox-policy.md"
FIREFOX = "firefox-policy"

DIRECTORIES = ("Sources/", "Tests/", "Fuzz/", "scripts/", "docs/")
VECTOR_DIRECTORY = "TestVectors/"
VECTOR_SUFFIXES = (".py", ".md", ".json")
SINGLE_FILES = frozenset({"README.md", "Makefile", "Package.swift", ".ci/run"})
SKIPPED_SUFFIXES = (".der", ".pem", ".key")

# A § token: "§2.3", "§ 8.1", "§10". A trailing "." (end of a sentence) is not part of the number.
TOKEN = re.compile(r"§[ \u00a0]?(\d+(?:\.\d+)*)")
# Document markers. "firefox-policy.md" counts as "firefox-policy".
MARKER = re.compile(r"\b(RFC)[ \u00a0]?(\d{3,5})\b|\b(X\.690)\b|\b(firefox-policy)(?:\.md)?\b")
# What may stand between a marker (or a token) and the token that continues it.
SEPARATOR = re.compile(r"\s*(?:,|\u2013|-|/|,?\s*and|,?\s*or)?\s*", re.IGNORECASE)
# Headings of the policy document: "## 3. Title", "### 3.9 Title" (deeper levels accepted too).
HEADING = re.compile(r"^#{2,6}[ \t]+(\d+(?:\.\d+)*)\.?(?:[ \t]|$)")

# Written in pieces so that this file does not match its own checks.
FORBIDDEN = ("shared" + "/docs", "STYLE" + ".md", "DESIGN" + ".md", "README-fetch" + ".md", "README-tls" + ".md")
WORK_WORDS = re.compile("issue" + r" ?#?[0-9]|this " + "issue", re.IGNORECASE)
FIXTURES = re.compile(r"^Tests/(?:.*/)?Fixtures/")


def is_checked(path: str) -> bool:
    """Whether a tracked file is one this check reads."""
    if not path or path.endswith(SKIPPED_SUFFIXES):
        return False
    if path.startswith(VECTOR_DIRECTORY):
        return path.endswith(VECTOR_SUFFIXES)
    return path in SINGLE_FILES or path.startswith(DIRECTORIES)


def tracked_files() -> list[str]:
    """The files git tracks that this check reads, as paths relative to the repository root."""
    result = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True)
    listing = result.stdout.decode("utf-8", errors="surrogateescape")
    return sorted(path for path in listing.split("\0") if is_checked(path))


def read_text(path: str) -> str | None:
    """The file's text, or None for a binary file or one missing from the working tree."""
    try:
        data = (ROOT / path).read_bytes()
    except OSError:
        return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def policy_sections() -> set[str] | None:
    """The section numbers of docs/firefox-policy.md, or None when the file is missing."""
    text = read_text(POLICY)
    if text is None:
        return None
    return {match.group(1) for line in text.splitlines() if (match := HEADING.match(line))}


def attributed_tokens(line: str) -> list[tuple[str, str, bool]]:
    """Each § token of a line as (document, number, a marker of another document stands earlier on the line)."""
    events = [(m.start(), m.end(), "marker", m) for m in MARKER.finditer(line)]
    events += [(m.start(), m.end(), "token", m) for m in TOKEN.finditer(line)]
    events.sort(key=lambda event: event[0])
    tokens = []
    document = None  # the document of the last marker or token, while a list can still continue it
    last_end = 0
    other_marker_seen = False
    for start, end, kind, match in events:
        if kind == "marker":
            if match.group(1):
                document = f"RFC {match.group(2)}"
                other_marker_seen = True
            elif match.group(3):
                document = "X.690"
                other_marker_seen = True
            else:
                document = FIREFOX
            last_end = end
            continue
        if start < last_end:  # a token inside a marker cannot happen, but stay safe
            continue
        if document is None or not SEPARATOR.fullmatch(line[last_end:start]):
            document = FIREFOX
        tokens.append((document, match.group(1), other_marker_seen))
        last_end = end
    return tokens


def check_file(path: str, text: str, sections: set[str]) -> tuple[int, int, list[str]]:
    """Check one file: (tokens checked, firefox-policy tokens that do not resolve, problems)."""
    checked = 0
    unresolved = 0
    problems = []
    skip_work_words = bool(FIXTURES.match(path))
    for number, line in enumerate(text.splitlines(), start=1):
        for document, section, other_marker_seen in attributed_tokens(line):
            checked += 1
            if document != FIREFOX or section in sections:
                continue
            unresolved += 1
            hint = " (an RFC/X.690 name earlier on the line does not reach it)" if other_marker_seen else ""
            problems.append(f"{path}:{number}: firefox-policy §{section} names no heading of {POLICY}{hint}")
        problems.extend(
            f"{path}:{number}: refers to {name!r}, which is not part of the repository"
            for name in FORBIDDEN
            if name in line
        )
        if not skip_work_words and (match := WORK_WORDS.search(line)):
            problems.append(f"{path}:{number}: work-process wording {match.group(0)!r}")
    return checked, unresolved, problems


def main() -> int:
    """Check every file, print the problems and a summary; 1 when there is a problem."""
    problems: list[str] = []
    sections = policy_sections()
    if sections is None:
        problems.append(f"{POLICY}:1: missing, so no firefox-policy citation can resolve")
        sections = set()

    checked = 0
    unresolved = 0
    for path in tracked_files():
        text = read_text(path)
        if text is None:
            continue
        file_checked, file_unresolved, file_problems = check_file(path, text, sections)
        checked += file_checked
        unresolved += file_unresolved
        problems += file_problems

    for problem in problems:
        print(problem)
    others = len(problems) - unresolved
    print(f"citations: {checked} checked, {unresolved} unresolved" + (f"; {others} other problems" if others else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
