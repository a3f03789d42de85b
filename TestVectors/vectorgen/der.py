"""A minimal DER encoder and reader, and the object identifiers the corpus needs.

The encoder builds the OCSP structures of RFC 6960 §4.2.1 that neither cryptography nor the
openssl CLI can express (explicit versions, short hashes, BER lengths, several SingleResponses,
...); the reader finds elements inside DER made by either. Nothing here validates: the point is
to write malformed input on purpose. The encoder's output is checked against cryptography's for
the baseline good.der (see staples.build_staples).
"""

from __future__ import annotations

OID_OCSP_BASIC = "1.3.6.1.5.5.7.48.1.1"  # id-pkix-ocsp-basic, RFC 6960 §4.2.1
OID_OCSP_NONCE = "1.3.6.1.5.5.7.48.1.2"  # id-pkix-ocsp-nonce, RFC 6960 §4.4.1
OID_SCT_LIST = "1.3.6.1.4.1.11129.2.4.5"  # RFC 6962 §3.3, as an OCSP single extension
OID_UNKNOWN_EXT = "1.3.6.1.4.1.55555.1.1"  # private arc: an extension nobody understands
OID_PADDING_EXT = "1.3.6.1.4.1.55555.1.2"


def der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + der_len(len(content)) + content


def seq(*items: bytes) -> bytes:
    return tlv(0x30, b"".join(items))


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        body.extend(reversed(chunk))
    return tlv(0x06, bytes(body))


def integer(n: int) -> bytes:
    length = max(1, (n.bit_length() + 8) // 8)
    return tlv(0x02, n.to_bytes(length, "big", signed=True))


def enumerated(n: int) -> bytes:
    return tlv(0x0A, bytes([n]))


def octets(b: bytes) -> bytes:
    return tlv(0x04, b)


def bitstring(b: bytes) -> bytes:
    return tlv(0x03, b"\x00" + b)


def null() -> bytes:
    return b"\x05\x00"


def boolean(v: bool) -> bytes:
    return tlv(0x01, b"\xff" if v else b"\x00")


def explicit(n: int, content: bytes) -> bytes:
    return tlv(0xA0 + n, content)


def gentime(t, raw: str | None = None) -> bytes:
    s = raw if raw is not None else t.strftime("%Y%m%d%H%M%SZ")
    return tlv(0x18, s.encode("ascii"))


def der_read(buf: bytes, pos: int = 0):
    """Return (tag, header_len, content_len) of the TLV at pos."""
    tag = buf[pos]
    first = buf[pos + 1]
    if first < 0x80:
        return tag, 2, first
    n = first & 0x7F
    return tag, 2 + n, int.from_bytes(buf[pos + 2 : pos + 2 + n], "big")


def der_children(buf: bytes, pos: int = 0):
    """Children (start, end) of the constructed TLV at pos."""
    _, hl, cl = der_read(buf, pos)
    out, p, end = [], pos + hl, pos + hl + cl
    while p < end:
        _, h, c = der_read(buf, p)
        out.append((p, p + h + c))
        p += h + c
    return out
