import Foundation
import SwiftASN1

/// ```
/// ResponseData ::= SEQUENCE {
///    version              [0] EXPLICIT Version DEFAULT v1,
///    responderID              ResponderID,
///    producedAt               GeneralizedTime,
///    responses                SEQUENCE OF SingleResponse,
///    responseExtensions   [1] EXPLICIT Extensions OPTIONAL }
/// ```
/// RFC 6960 §4.2.1, read as mozilla::pkix `ResponseData` (firefox-policy.md §3.4):
/// - version absent or an explicit v1 (0). Leniency: DER forbids encoding the DEFAULT, but mozpkix
///   accepts an explicit v1, and so do we; any other version is malformed.
/// - producedAt must be a valid GeneralizedTime and is otherwise unused.
/// - responses may not be empty.
/// - responseExtensions: an empty SEQUENCE is tolerated (bug 997994); critical ones are judged by
///   the verifier, after the responses, in mozpkix's order.
public struct ResponseData: Hashable, Sendable {
    public let version: Int
    public let responderID: ResponderID
    let producedAtSeconds: EpochSeconds
    public let responses: [SingleResponse]
    public let extensions: [OCSPExtension]

    public var producedAt: Date { Date(epochSeconds: producedAtSeconds) }

    /// The fields after responderID, kept as nodes until the signature has been checked.
    struct Remainder: Hashable, Sendable {
        let nodes: [ASN1Node]
    }

    /// "[0]", "[1]"…: the names of the list's elements in messages, made once.
    private static let elementNames = (0..<SingleResponse.maximumCount).map { "[\($0)]" }

    /// Reads version and responderID — all that may be read before the signature is verified.
    static func readHead(_ node: ASN1Node) throws(VerificationError) -> (Int, ResponderID, Remainder) {
        var c = try DERCursor(node, path: "ResponseData")
        var version = 0
        if let v = c.optional(.contextConstructed(0)) {
            var w = try DERCursor(v, expecting: .contextConstructed(0), path: "ResponseData.version")
            let n = try w.next("Version", .integer)
            try w.end()
            guard let bytes = n.primitiveBytes, bytes.count == 1 else {
                throw VerificationError(.ocspMalformedResponse, "ResponseData.version: not a one-byte INTEGER")
            }
            version = Int(bytes.first!)
            // Only v1 (0) exists (RFC 6960 §4.2.1); mozpkix rejects anything else as bad DER.
            guard version == 0 else {
                throw VerificationError(.ocspMalformedResponse, "ResponseData.version is v\(version + 1); only v1 is defined")
            }
        }
        let responderID = try ResponderID(derEncoded: try c.next("responderID"))
        var rest: [ASN1Node] = []
        while !c.isAtEnd { rest.append(try c.next("remainder")) }
        return (version, responderID, Remainder(nodes: rest))
    }

    init(version: Int, responderID: ResponderID, remainder: Remainder) throws(VerificationError) {
        self.version = version
        self.responderID = responderID
        var nodes = remainder.nodes[...]
        func take(_ field: String) throws(VerificationError) -> ASN1Node {
            guard let n = nodes.popFirst() else {
                throw VerificationError(.ocspMalformedResponse, "ResponseData.\(field) is missing")
            }
            return n
        }
        self.producedAtSeconds = try strictGeneralizedTime(try take("producedAt"), field: "ResponseData.producedAt")
        var list = try DERCursor(try take("responses"), path: "ResponseData.responses")
        var responses: [SingleResponse] = []
        while !list.isAtEnd {
            guard responses.count < SingleResponse.maximumCount else {
                throw VerificationError(.ocspMalformedResponse, "ResponseData.responses: more than \(SingleResponse.maximumCount) SingleResponses")
            }
            responses.append(try SingleResponse(derEncoded: try list.next(Self.elementNames[responses.count]), index: responses.count))
        }
        guard !responses.isEmpty else {
            throw VerificationError(.ocspMalformedResponse, "ResponseData.responses is empty")
        }
        self.responses = responses
        var extensions: [OCSPExtension] = []
        if let ext = nodes.first, ext.identifier == .contextConstructed(1) {
            nodes.removeFirst()
            var w = try DERCursor(ext, expecting: .contextConstructed(1), path: "ResponseData.responseExtensions")
            extensions = try OCSPExtension.list(try w.next("Extensions", .sequence), path: "ResponseData.responseExtensions")
            try w.end()
        }
        if let extra = nodes.first {
            throw VerificationError(.ocspMalformedResponse, "ResponseData: unexpected trailing element \(extra.identifier)")
        }
        self.extensions = extensions
    }
}

extension Date {
    init(epochSeconds: EpochSeconds) { self.init(timeIntervalSince1970: TimeInterval(epochSeconds)) }

    /// Whole seconds since 1970 (rounded down): OCSP times have one-second resolution.
    var epochSeconds: EpochSeconds { EpochSeconds(timeIntervalSince1970.rounded(.down)) }
}
