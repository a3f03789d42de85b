/// Checks that a buffer is one well-formed DER value, accepting exactly what swift-asn1's
/// `DER.parse` accepts — the tokenizer the engine used before it read staples in place — without
/// building a tree: a single pass over the bytes, no allocation.
///
/// The rules, as swift-asn1 1.x applies them with DER's encoding rules (X.690 §8.1, §10.1):
/// - identifier: low tag numbers in one octet; the high-tag-number form (low bits 0x1F) only for
///   numbers ≥ 31, in at most 9 base-128 digits, the first not 0x80 (no leading zero digit);
///   `[UNIVERSAL 0]` (end-of-contents) is refused;
/// - length: definite only (0x80, indefinite, is refused); the long form only for lengths ≥ 128, in
///   the fewest octets, at most 8 of them; the content must fit inside the enclosing value;
/// - a constructed value's content is a sequence of such values, recursively, to a nesting depth of
///   50 (the outermost value is depth 1); a primitive value's content is not examined;
/// - nothing may follow the outermost value.
///
/// Every later read (``DERReader``) then walks bytes that are known to be well formed, and an input
/// is refused before any field is interpreted, as it was when `DER.parse` came first.
/// `DERStructureTests` compares this with `DER.parse` on every input it mutates.
enum DERStructure {
    /// swift-asn1's `ASN1.ParseResult._maximumNodeDepth`.
    static let maximumDepth = 50

    /// The outermost element of `bytes`, after checking the whole buffer. `what` names the value in
    /// the error ("OCSPResponse is not valid DER: …"), which carries `code`.
    static func root(
        _ bytes: ArraySlice<UInt8>,
        what: String,
        code: VerificationError.Code
    ) throws(VerificationError) -> DERElement {
        let failure: Failure? = bytes.withUnsafeBufferPointer { buffer in
            var position = 0
            if let failure = Self.value(buffer, &position, end: buffer.count, depth: 1) { return failure }
            if position != buffer.count {
                return Failure(offset: position, reason: "trailing data after the outermost value")
            }
            return nil
        }
        if let failure {
            throw VerificationError(code, "\(what) is not valid DER: at byte \(failure.offset), \(failure.reason)")
        }
        var reader = DERReader(contents: bytes, path: what, code: code)
        return try reader.next("value")
    }

    /// True when `bytes` is one well-formed DER value (what `DER.parse` accepts).
    static func isValid(_ bytes: ArraySlice<UInt8>) -> Bool {
        (try? root(bytes, what: "value", code: .badDER)) != nil
    }

    struct Failure {
        let offset: Int
        let reason: String
    }

    /// Checks one TLV starting at `position` and ending at or before `end`; moves `position` past it.
    /// Returns the first problem found (a return value rather than a throw keeps the recursion cheap).
    private static func value(_ p: UnsafeBufferPointer<UInt8>, _ position: inout Int, end: Int, depth: Int) -> Failure?
    {
        let start = position
        guard depth <= maximumDepth else {
            return Failure(offset: start, reason: "values nested deeper than \(maximumDepth)")
        }
        guard position < end else { return Failure(offset: start, reason: "truncated: an identifier is missing") }
        let first = p[position]
        position += 1
        let constructed = first & DERIdentifier.constructedBit != 0
        if first & 0x1F == 0x1F {
            // High-tag-number form: base-128 digits, the last with bit 8 clear.
            guard position < end, p[position] != 0x80 else {
                return Failure(offset: start, reason: "high tag number truncated or with a leading zero digit")
            }
            var number: UInt = 0
            var digits = 0
            while true {
                guard position < end else { return Failure(offset: start, reason: "truncated high tag number") }
                let digit = p[position]
                position += 1
                digits += 1
                guard digits <= 9 else { return Failure(offset: start, reason: "high tag number longer than 9 digits") }
                number = number << 7 | UInt(digit & 0x7F)
                if digit & 0x80 == 0 { break }
            }
            guard number >= 0x1F else {
                return Failure(offset: start, reason: "tag number \(number) in the high-tag-number form")
            }
        } else if first & 0xC0 == 0 && first & 0x1F == 0 {
            return Failure(offset: start, reason: "[UNIVERSAL 0] (end-of-contents) is not a value")
        }

        guard position < end else { return Failure(offset: start, reason: "truncated: the length is missing") }
        let lengthOctet = p[position]
        position += 1
        var length: Int
        if lengthOctet < 0x80 {
            length = Int(lengthOctet)
        } else if lengthOctet == 0x80 {
            return Failure(offset: start, reason: "indefinite length (not DER)")
        } else {
            let count = Int(lengthOctet & 0x7F)
            guard end - position >= count else { return Failure(offset: start, reason: "truncated length") }
            guard count <= 8 else { return Failure(offset: start, reason: "a length of \(count) octets") }
            var wide: UInt = 0
            for _ in 0..<count {
                wide = wide << 8 | UInt(p[position])
                position += 1
            }
            // DER: the long form only when the short one cannot say it, in the fewest octets.
            let bits = UInt.bitWidth - wide.leadingZeroBitCount
            guard bits >= 8, count <= (bits + 7) / 8 else {
                return Failure(offset: start, reason: "length \(wide) is not minimally encoded")
            }
            guard let exact = Int(exactly: wide) else {
                return Failure(offset: start, reason: "length \(wide) is too large")
            }
            length = exact
        }
        guard end - position >= length else {
            return Failure(
                offset: start,
                reason: "truncated: \(length) content bytes announced, \(end - position) remain"
            )
        }
        let contentEnd = position + length
        if constructed {
            while position < contentEnd {
                if let failure = value(p, &position, end: contentEnd, depth: depth + 1) { return failure }
            }
        } else {
            position = contentEnd
        }
        return nil
    }
}
