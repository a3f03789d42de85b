/// ```
/// OCSPResponse ::= SEQUENCE {
///    responseStatus         OCSPResponseStatus,
///    responseBytes          [0] EXPLICIT ResponseBytes OPTIONAL }
/// ```
/// RFC 6960 §4.2.1, read as mozilla::pkix `OCSPResponse` does (firefox-policy §3.1):
/// - the whole response is bounded by ``maximumSize`` before anything is read;
/// - a non-successful status is returned at once — nothing after it is examined;
/// - a successful response must carry responseBytes (absent → malformed);
/// - no byte may follow the outer SEQUENCE.
package struct OCSPResponse: Hashable, Sendable {
    /// mozpkix `Input` holds at most 65535 bytes and its DER reader supports two length bytes at
    /// most (firefox-policy §2.3 notes, firefox-policy §10); a larger staple is malformed.
    package static let maximumSize = 65_535

    package let status: OCSPResponseStatus
    /// Present exactly when `status` is `successful`.
    package let basic: BasicOCSPResponse?

    /// Parses a response. Errors carry Firefox's codes: structural problems are
    /// `SEC_ERROR_OCSP_MALFORMED_RESPONSE`; time and integer encodings keep their own codes (firefox-policy §3).
    package init<Bytes: Collection<UInt8>>(derEncoded bytes: Bytes) throws(VerificationError) {
        try self.init(derEncoded: ArraySlice(bytes))
    }

    /// The same, reading the array's own storage (the fields are slices of it: no copy).
    package init(derEncoded bytes: [UInt8]) throws(VerificationError) {
        try self.init(derEncoded: bytes[...])
    }

    package init(derEncoded bytes: ArraySlice<UInt8>) throws(VerificationError) {
        guard !bytes.isEmpty else {
            throw VerificationError(.ocspMalformedResponse, "the staple is empty (zero bytes)")
        }
        guard bytes.count <= Self.maximumSize else {
            throw VerificationError(
                .ocspMalformedResponse,
                "the staple is \(bytes.count) bytes; at most \(Self.maximumSize) are accepted"
            )
        }
        // Read the status before checking the rest: mozpkix returns a non-successful status
        // without looking further (firefox-policy §3.1).
        let status = try Self.peekStatus(bytes)
        if let error = status.error {
            self.status = status
            self.basic = nil
            throw error
        }
        let root = try DERStructure.root(bytes, what: "OCSPResponse", code: .ocspMalformedResponse)
        var c = try DERReader(root, path: "OCSPResponse")
        _ = try c.next("responseStatus", DERIdentifier.enumerated)
        guard let wrapper = try c.optional(DERIdentifier.context(0)) else {
            throw VerificationError(
                .ocspMalformedResponse,
                "OCSPResponse: status successful but responseBytes is absent"
            )
        }
        try c.end()
        var w = try DERReader(wrapper, expecting: DERIdentifier.context(0), path: "OCSPResponse.responseBytes")
        let responseBytes = try ResponseBytes(derEncoded: try w.next("ResponseBytes"))
        try w.end()
        self.status = status
        self.basic = try BasicOCSPResponse(derEncoded: responseBytes.response)
    }

    /// Reads `SEQUENCE { ENUMERATED x, ...` from the first bytes. The ENUMERATED must be a single
    /// byte 0…127 (firefox-policy §3.1).
    static func peekStatus(_ b: ArraySlice<UInt8>) throws(VerificationError) -> OCSPResponseStatus {
        var i = b.startIndex
        func fail(_ why: String) -> VerificationError {
            VerificationError(.ocspMalformedResponse, "OCSPResponse: \(why)")
        }
        guard i < b.endIndex else { throw fail("empty") }
        guard b[i] == 0x30 else { throw fail("expected a SEQUENCE (0x30), found tag 0x\(String(b[i], radix: 16))") }
        i += 1
        guard i < b.endIndex else { throw fail("truncated after the SEQUENCE tag") }
        let first = b[i]
        i += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let n = Int(first & 0x7F)
            guard n >= 1, n <= 2, i + n <= b.endIndex else { throw fail("unsupported or truncated length") }
            for _ in 0..<n {
                length = length << 8 | Int(b[i])
                i += 1
            }
            guard length >= (n == 1 ? 0x80 : 0x100) else { throw fail("length is not minimally encoded") }
        }
        guard b.endIndex - i >= length else {
            throw fail("truncated: the SEQUENCE says \(length) bytes, \(b.endIndex - i) remain")
        }
        let end = i + length
        guard length >= 2, b[i] == 0x0A else { throw fail("responseStatus must be an ENUMERATED") }
        // mozpkix der::Enumerated accepts one byte 0…127; a well-framed ENUMERATED with an empty,
        // longer or negative value is INVALID_INTEGER_ENCODING, not bad DER (firefox-policy §3.1, §4).
        let invalid = VerificationError(
            .invalidIntegerEncoding,
            "OCSPResponse: responseStatus is not an ENUMERATED 0…127 in one byte"
        )
        let valueLength = b[i + 1]
        if valueLength < 0x80 {
            guard end - (i + 2) >= Int(valueLength) else { throw fail("responseStatus is truncated") }
            guard valueLength == 1, b[i + 2] < 0x80 else { throw invalid }
            return OCSPResponseStatus(rawValue: b[i + 2])
        }
        // A long-form length: well framed (minimal, inside the SEQUENCE) it holds ≥ 128 bytes.
        let n = Int(valueLength & 0x7F)
        guard n >= 1, n <= 2, i + 2 + n <= end else { throw fail("responseStatus: unsupported or truncated length") }
        var valueBytes = 0
        for k in 0..<n { valueBytes = valueBytes << 8 | Int(b[i + 2 + k]) }
        guard valueBytes >= (n == 1 ? 0x80 : 0x100), end - (i + 2 + n) >= valueBytes else {
            throw fail("responseStatus: length is not minimal or runs past the SEQUENCE")
        }
        throw invalid
    }
}

extension OCSPResponse {
    /// The responseStatus of a response that could not be parsed whole, for display.
    package static func peekStatusForInspection(_ bytes: [UInt8]) throws(VerificationError) -> OCSPResponseStatus {
        guard !bytes.isEmpty, bytes.count <= maximumSize else {
            throw VerificationError(.ocspMalformedResponse, "size")
        }
        return try peekStatus(bytes[...])
    }
}
