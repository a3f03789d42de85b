#!/usr/bin/env python3
"""Compare a generated corpus with reference runs, exactly wherever the generator is deterministic.

    python3 TestVectors/compare.py NEW REF1 REF2 [REF3 ...]

Each argument is a TestVectors folder that generate.py has written into (manifest.json, pki/,
staples/). REF1, REF2, ... are runs of the reference generator; NEW is the run under test.

Every run makes new keys, so signatures, public keys and key hashes change from run to run, and
with ECDSA so do some lengths. Everything else is fixed by the generator. The comparison:

* The set of files under pki/ and staples/, plus manifest.json, is the same in NEW and REF1.
* .json files are byte-identical.
* .der files (and each block of a .pem file, whose label must match) are parsed as a DER tree:
  tag, nesting and the bytes of every primitive element. An OCTET STRING whose content is DER
  itself (extension values, responseBytes) is parsed further; a BIT STRING is not. BER
  indefinite lengths, truncated elements and trailing bytes that are not DER are kept as such.
  An element is *masked* when it differs between REF1 and any other reference run: the first
  differing element on its path (tag, child count or bytes), with all it contains. NEW must equal
  REF1 in every element outside a masked one.

With two or more reference runs, a masked element is one whose value really depends on the keys;
a few more runs only make a spurious mismatch less likely (for example where a truncation point
depends on an ECDSA signature's length). Exit status 0 when NEW matches.
"""

from __future__ import annotations

import base64
import collections
import re
import sys
from pathlib import Path

TAG_NAMES = {
    0x01: "BOOLEAN",
    0x02: "INTEGER",
    0x03: "BIT STRING",
    0x04: "OCTET STRING",
    0x05: "NULL",
    0x06: "OBJECT IDENTIFIER",
    0x0A: "ENUMERATED",
    0x0C: "UTF8String",
    0x13: "PrintableString",
    0x17: "UTCTime",
    0x18: "GeneralizedTime",
    0x30: "SEQUENCE",
    0x31: "SET",
}
PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.S)


def tag_name(tag: int | None) -> str:
    if tag is None:
        return "bytes that are not DER"
    if tag in TAG_NAMES:
        return TAG_NAMES[tag]
    cls = ("universal", "application", "context", "private")[tag >> 6]
    return f"[{tag & 0x1F}] {cls}{' constructed' if tag & 0x20 else ''}"


# A node is (kind, tag, payload): kind "cons" (payload: tuple of nodes), "prim" (payload: bytes),
# "der-in-octets" (an OCTET STRING whose content parsed as DER; payload: tuple of nodes), "raw"
# (bytes that are not DER; tag None). A "!" suffix on the kind marks an element cut short.


def parse(buf: bytes, pos: int = 0, end: int | None = None, until_eoc: bool = False) -> tuple[tuple, int]:
    """The elements in buf[pos:end]; with until_eoc, up to and including an end-of-contents 00 00."""
    end = len(buf) if end is None else end
    nodes = []
    while pos < end:
        if until_eoc and buf[pos : pos + 2] == b"\x00\x00":
            return tuple(nodes), pos + 2
        header = read_header(buf, pos, end)
        if header is None:
            nodes.append(("raw", None, bytes(buf[pos:end])))
            return tuple(nodes), end
        tag, hlen, clen = header
        start = pos + hlen
        if clen is None:  # BER indefinite length (constructed only)
            children, pos = parse(buf, start, end, until_eoc=True)
            nodes.append(("cons-indefinite", tag, children))
            continue
        stop, cut = start + clen, ""
        if stop > end:
            stop, cut = end, "!"
        if tag & 0x20:
            children, _ = parse(buf, start, stop)
            nodes.append(("cons" + cut, tag, children))
        else:
            content = bytes(buf[start:stop])
            inner = parse(content)[0] if tag == 0x04 and content else ()
            if inner and not any(n[0] == "raw" or n[0].endswith("!") for n in inner):
                nodes.append(("der-in-octets" + cut, tag, inner))
            else:
                nodes.append(("prim" + cut, tag, content))
        pos = stop
    return tuple(nodes), pos


def read_header(buf: bytes, pos: int, end: int) -> tuple[int, int, int | None] | None:
    """(tag, header length, content length or None for indefinite), or None if this is not DER."""
    if end - pos < 2 or buf[pos] == 0 or buf[pos] & 0x1F == 0x1F:  # tag 0 is end-of-contents only
        return None
    tag, first = buf[pos], buf[pos + 1]
    if first < 0x80:
        return tag, 2, first
    if first == 0x80:
        return (tag, 2, None) if tag & 0x20 else None
    n = first & 0x7F
    if n > 4 or end - pos < 2 + n:
        return None
    return tag, 2 + n, int.from_bytes(buf[pos + 2 : pos + 2 + n], "big")


def tree(path: Path) -> tuple:
    """The DER tree of a .der file, or of each block of a .pem file (label first)."""
    data = path.read_bytes()
    if path.suffix == ".pem":
        blocks = PEM_BLOCK.findall(data)
        if not blocks or PEM_BLOCK.sub(b"", data).strip():
            return (("raw", None, data),)
        return tuple(("pem", label, parse(base64.b64decode(body))[0]) for label, body in blocks)
    return parse(data)[0]


def differences(a: tuple, b: tuple, path: tuple = ()) -> list[tuple]:
    """Paths of the first differing elements of two node lists (a difference in length is at path)."""
    if len(a) != len(b):
        return [path]
    out = []
    for i, (x, y) in enumerate(zip(a, b)):
        if x[0] != y[0] or x[1] != y[1]:
            out.append(path + (i,))
        elif isinstance(x[2], tuple):
            out.extend(differences(x[2], y[2], path + (i,)))
        elif x[2] != y[2]:
            out.append(path + (i,))
    return out


def node_at(nodes: tuple, path: tuple):
    node = None
    for i in path:
        if i >= len(nodes):
            return None
        node = nodes[i]
        nodes = node[2] if isinstance(node[2], tuple) else ()
    return node


def count(nodes: tuple) -> int:
    return sum(1 + (count(n[2]) if isinstance(n[2], tuple) else 0) for n in nodes)


def files(root: Path) -> dict[str, Path]:
    found = {"manifest.json": root / "manifest.json"}
    for sub in ("pki", "staples"):
        for p in sorted((root / sub).rglob("*")):
            if p.is_file():
                found[str(p.relative_to(root))] = p
    return found


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    new, refs = Path(argv[0]), [Path(a) for a in argv[1:]]
    ref_files = [files(r) for r in refs]
    new_files = files(new)
    problems = []
    for r, fs in zip(refs[1:], ref_files[1:]):
        if set(fs) != set(ref_files[0]):
            problems.append(f"reference runs {refs[0]} and {r} do not have the same files")
    if set(new_files) != set(ref_files[0]):
        extra, missing = sorted(set(new_files) - set(ref_files[0])), sorted(set(ref_files[0]) - set(new_files))
        problems.append(f"files differ: only in {new}: {extra}; only in {refs[0]}: {missing}")
    kinds = collections.Counter(Path(rel).suffix for rel in ref_files[0])
    masked: collections.Counter[str] = collections.Counter()
    compared = masked_total = 0
    for rel in sorted(set(new_files) & set(ref_files[0])):
        if rel.endswith(".json"):
            base = ref_files[0][rel].read_bytes()
            for fs in ref_files[1:] + [new_files]:
                if fs[rel].read_bytes() != base:
                    problems.append(f"{rel}: not byte-identical to {refs[0] / rel}")
            continue
        base = tree(ref_files[0][rel])
        mask = set()
        for fs in ref_files[1:]:
            if rel in fs:
                mask.update(differences(base, tree(fs[rel])))
        for m in mask:
            node = node_at(base, m)
            masked[tag_name(node[1]) if node and node[0] != "pem" else "a whole PEM block"] += 1
            masked_total += count((node,)) if node else 0
        compared += count(base)
        for d in differences(base, tree(new_files[rel])):
            if not any(d[: len(m)] == m for m in mask):
                node = node_at(base, d)
                what = tag_name(node[1]) if node else "element count"
                problems.append(f"{rel}: differs at element {'.'.join(map(str, d)) or '(top)'} ({what})")
    print(f"{len(ref_files[0])} files: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    print(
        f"DER elements in {refs[0]}: {compared}, {masked_total} of them masked (they vary between the "
        f"{len(refs)} reference runs); the masked subtrees start at: "
        + ", ".join(f"{k} {n}" for k, n in masked.most_common())
    )
    if problems:
        for p in problems[:50]:
            print("  -", p)
        print(f"{new}: {len(problems)} difference(s) from the reference runs")
        return 1
    print(f"{new}: identical to {refs[0]} outside the masked elements; json files byte-identical")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
