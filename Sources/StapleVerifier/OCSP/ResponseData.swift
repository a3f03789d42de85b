import Foundation

/// ```
/// ResponseData ::= SEQUENCE {
///    version              [0] EXPLICIT Version DEFAULT v1,
///    responderID              ResponderID,
///    producedAt               GeneralizedTime,
///    responses                SEQUENCE OF SingleResponse,
///    responseExtensions   [1] EXPLICIT Extensions OPTIONAL }
/// ```
/// RFC 6960 §4.2.1, read as mozilla::pkix `ResponseData` (firefox-policy §3.4):
/// - version absent or an explicit v1 (0). Leniency: DER forbids encoding the DEFAULT, but mozpkix
///   accepts an explicit v1, and so do we; any other version is malformed.
/// - producedAt must be a valid GeneralizedTime and is otherwise unused.
/// - responses may not be empty.
/// - responseExtensions: an empty SEQUENCE is tolerated (bug 997994); critical ones are judged by
///   the verifier, after the responses, in mozpkix's order.
package struct ResponseData: Hashable, Sendable {
    package let version: Int
    package let responderID: ResponderID
    let producedAtSeconds: EpochSeconds
    package let responses: [SingleResponse]
    package let extensions: [OCSPExtension]

    package var producedAt: Date { Date(epochSeconds: producedAtSeconds) }

    /// The fields after responderID, kept as bytes until the signature has been checked.
    struct Remainder: Hashable, Sendable {
        let bytes: ArraySlice<UInt8>
    }

    /// Reads version and responderID — all that may be read before the signature is verified.
    static func readHead(_ element: DERElement) throws(VerificationError) -> (Int, ResponderID, Remainder) {
        var c = try DERReader(element, path: "ResponseData")
        var version = 0
        if let v = try c.optional(DERIdentifier.context(0)) {
            var w = try DERReader(v, expecting: DERIdentifier.context(0), path: "ResponseData.version")
            let n = try w.next("Version", DERIdentifier.integer)
            guard let bytes = n.primitiveContent else {
                throw VerificationError(.ocspMalformedResponse, "ResponseData.version: not a primitive INTEGER")
            }
            // mozpkix der::Integer reads a value 0…127 in one byte; an empty, longer or negative
            // value is INVALID_INTEGER_ENCODING, which reaches the caller unmapped (firefox-policy §3.4, §4).
            guard bytes.count == 1, let first = bytes.first, first < 0x80 else {
                throw VerificationError(
                    .invalidIntegerEncoding,
                    "ResponseData.version: not an INTEGER 0…127 in one byte (\(bytes.count) content bytes)"
                )
            }
            try w.end()
            version = Int(first)
            // Only v1 (0) exists (RFC 6960 §4.2.1); mozpkix rejects anything else as bad DER.
            guard version == 0 else {
                throw VerificationError(
                    .ocspMalformedResponse,
                    "ResponseData.version is v\(version + 1); only v1 is defined"
                )
            }
        }
        let responderID = try ResponderID(derEncoded: try c.next("responderID"))
        return (version, responderID, Remainder(bytes: c.remaining))
    }

    init(version: Int, responderID: ResponderID, remainder: Remainder) throws(VerificationError) {
        self.version = version
        self.responderID = responderID
        var c = DERReader(contents: remainder.bytes, path: "ResponseData")
        self.producedAtSeconds = try strictGeneralizedTime(try c.next("producedAt"), field: "ResponseData.producedAt")
        var list = try DERReader(try c.next("responses"), path: "ResponseData.responses")
        var responses: [SingleResponse] = []
        while !list.isAtEnd {
            guard responses.count < SingleResponse.maximumCount else {
                throw VerificationError(
                    .ocspMalformedResponse,
                    "ResponseData.responses: more than \(SingleResponse.maximumCount) SingleResponses"
                )
            }
            responses.append(
                try SingleResponse(derEncoded: try list.next("[\(responses.count)]"), index: responses.count)
            )
        }
        guard !responses.isEmpty else {
            throw VerificationError(.ocspMalformedResponse, "ResponseData.responses is empty")
        }
        self.responses = responses
        var extensions: [OCSPExtension] = []
        if let ext = try c.optional(DERIdentifier.context(1)) {
            var w = try DERReader(ext, expecting: DERIdentifier.context(1), path: "ResponseData.responseExtensions")
            extensions = try OCSPExtension.list(
                try w.next("Extensions", DERIdentifier.sequence),
                path: "ResponseData.responseExtensions"
            )
            try w.end()
        }
        try c.end()
        self.extensions = extensions
    }
}

extension Date {
    init(epochSeconds: EpochSeconds) { self.init(timeIntervalSince1970: TimeInterval(epochSeconds)) }

    /// Whole seconds since 1970 (rounded down): OCSP times have one-second resolution.
    var epochSeconds: EpochSeconds { EpochSeconds(timeIntervalSince1970.rounded(.down)) }
}
