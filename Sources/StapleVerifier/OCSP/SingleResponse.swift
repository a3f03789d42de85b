import Foundation
import SwiftASN1

/// ```
/// SingleResponse ::= SEQUENCE {
///    certID                       CertID,
///    certStatus                   CertStatus,
///    thisUpdate                   GeneralizedTime,
///    nextUpdate         [0]       EXPLICIT GeneralizedTime OPTIONAL,
///    singleExtensions   [1]       EXPLICIT Extensions OPTIONAL }
/// ```
/// RFC 6960 §4.2.1. mozpkix skips a SingleResponse whose CertID does not match without examining
/// its status, times or extensions (firefox-policy.md §3.7), so only the CertID is read eagerly;
/// ``details()`` interprets the rest.
public struct SingleResponse: Hashable, Sendable {
    /// Bound on SingleResponses per response: the input is already bounded by 64 KiB; this keeps the
    /// matching loop short whatever the server sends (STYLE.md habit 10; webpki-style budget).
    public static let maximumCount = 64

    public let certID: CertID
    let tail: [ASN1Node]
    let path: String

    init(derEncoded node: ASN1Node, index: Int) throws(VerificationError) {
        let path = "ResponseData.responses[\(index)]"
        var c = try DERCursor(node, path: path)
        self.certID = try CertID(derEncoded: try c.next("certID", .sequence), path: "\(path).certID")
        var tail: [ASN1Node] = []
        while !c.isAtEnd { tail.append(try c.next("tail")) }
        self.tail = tail
        self.path = path
    }

    /// What the SingleResponse says beyond its CertID.
    public struct Details: Hashable, Sendable {
        public let certStatus: CertStatus
        let thisUpdateSeconds: EpochSeconds
        let nextUpdateSeconds: EpochSeconds?
        public let extensions: [OCSPExtension]

        public var thisUpdate: Date { Date(epochSeconds: thisUpdateSeconds) }
        public var nextUpdate: Date? { nextUpdateSeconds.map(Date.init(epochSeconds:)) }
    }

    public func details() throws(VerificationError) -> Details {
        var nodes = tail[...]
        guard let statusNode = nodes.popFirst() else {
            throw VerificationError(.ocspMalformedResponse, "\(path).certStatus is missing")
        }
        let status = try CertStatus(derEncoded: statusNode, path: "\(path).certStatus")
        guard let thisNode = nodes.popFirst() else {
            throw VerificationError(.ocspMalformedResponse, "\(path).thisUpdate is missing")
        }
        let thisUpdate = try strictGeneralizedTime(thisNode, field: "\(path).thisUpdate")
        var nextUpdate: EpochSeconds?
        if let n = nodes.first, n.identifier == .contextConstructed(0) {
            nodes.removeFirst()
            var w = try DERCursor(n, expecting: .contextConstructed(0), path: "\(path).nextUpdate")
            nextUpdate = try strictGeneralizedTime(try w.next("GeneralizedTime"), field: "\(path).nextUpdate")
            try w.end()
        }
        var extensions: [OCSPExtension] = []
        if let e = nodes.first, e.identifier == .contextConstructed(1) {
            nodes.removeFirst()
            var w = try DERCursor(e, expecting: .contextConstructed(1), path: "\(path).singleExtensions")
            extensions = try OCSPExtension.list(try w.next("Extensions", .sequence), path: "\(path).singleExtensions")
            try w.end()
        }
        if let extra = nodes.first {
            throw VerificationError(.ocspMalformedResponse, "\(path): unexpected trailing element \(extra.identifier)")
        }
        return Details(certStatus: status, thisUpdateSeconds: thisUpdate, nextUpdateSeconds: nextUpdate, extensions: extensions)
    }
}
