import Foundation

/// ```
/// SingleResponse ::= SEQUENCE {
///    certID                       CertID,
///    certStatus                   CertStatus,
///    thisUpdate                   GeneralizedTime,
///    nextUpdate         [0]       EXPLICIT GeneralizedTime OPTIONAL,
///    singleExtensions   [1]       EXPLICIT Extensions OPTIONAL }
/// ```
/// RFC 6960 §4.2.1. mozpkix skips a SingleResponse whose CertID does not match without examining
/// its status, times or extensions (firefox-policy §3.7), so only the CertID is read eagerly;
/// ``details()`` interprets the rest.
package struct SingleResponse: Hashable, Sendable {
    /// Bound on SingleResponses per response: the input is already bounded by 64 KiB; this keeps the
    /// matching loop short whatever the server sends (a work budget, as rustls-webpki keeps one).
    package static let maximumCount = 64

    package let certID: CertID
    /// The fields after certID, as bytes: read by ``details()`` only for the matching response.
    let tail: ArraySlice<UInt8>
    let paths: Paths
    var path: String { paths.base }

    /// The names of one SingleResponse's fields in messages ("ResponseData.responses[0].thisUpdate").
    struct Paths: Hashable, Sendable {
        let base, certID, hashAlgorithm, certStatus, thisUpdate, nextUpdate, singleExtensions: String

        init(index: Int) {
            let p = "ResponseData.responses[\(index)]"
            base = p
            certID = "\(p).certID"
            hashAlgorithm = "\(p).certID.hashAlgorithm"
            certStatus = "\(p).certStatus"
            thisUpdate = "\(p).thisUpdate"
            nextUpdate = "\(p).nextUpdate"
            singleExtensions = "\(p).singleExtensions"
        }

        /// Made once for every index a response may use: reading a response then builds no text.
        static let table = (0..<SingleResponse.maximumCount).map(Paths.init(index:))

        static func at(_ index: Int) -> Paths { index < table.count ? table[index] : Paths(index: index) }
    }

    init(derEncoded element: DERElement, index: Int) throws(VerificationError) {
        let paths = Paths.at(index)
        var c = try DERReader(element, path: paths.base)
        self.certID = try CertID(
            derEncoded: try c.next("certID", DERIdentifier.sequence),
            path: paths.certID,
            hashAlgorithmPath: paths.hashAlgorithm
        )
        self.tail = c.remaining
        self.paths = paths
    }

    /// What the SingleResponse says beyond its CertID.
    package struct Details: Hashable, Sendable {
        package let certStatus: CertStatus
        let thisUpdateSeconds: EpochSeconds
        let nextUpdateSeconds: EpochSeconds?
        package let extensions: [OCSPExtension]

        package var thisUpdate: Date { Date(epochSeconds: thisUpdateSeconds) }
        package var nextUpdate: Date? { nextUpdateSeconds.map(Date.init(epochSeconds:)) }
    }

    package func details() throws(VerificationError) -> Details {
        try details(afterThisUpdate: { _ in }, afterNextUpdate: { _, _ in })
    }

    /// Reads the fields in mozpkix's order, with the verifier's time rules where mozpkix applies
    /// them: `afterThisUpdate` before nextUpdate is read, `afterNextUpdate` before the extensions
    /// (firefox-policy §3.9), so that the first fault met is the one mozpkix meets.
    func details(
        afterThisUpdate: (EpochSeconds) throws(VerificationError) -> Void,
        afterNextUpdate: (EpochSeconds, EpochSeconds?) throws(VerificationError) -> Void
    ) throws(VerificationError) -> Details {
        var c = DERReader(contents: tail, path: paths.base)
        let status = try CertStatus(derEncoded: try c.next("certStatus"), path: paths.certStatus)
        let thisUpdate = try strictGeneralizedTime(try c.next("thisUpdate"), field: paths.thisUpdate)
        try afterThisUpdate(thisUpdate)
        var nextUpdate: EpochSeconds?
        if let n = try c.optional(DERIdentifier.context(0)) {
            var w = try DERReader(n, expecting: DERIdentifier.context(0), path: paths.nextUpdate)
            nextUpdate = try strictGeneralizedTime(try w.next("GeneralizedTime"), field: paths.nextUpdate)
            try w.end()
        }
        try afterNextUpdate(thisUpdate, nextUpdate)
        var extensions: [OCSPExtension] = []
        if let e = try c.optional(DERIdentifier.context(1)) {
            var w = try DERReader(e, expecting: DERIdentifier.context(1), path: paths.singleExtensions)
            extensions = try OCSPExtension.list(
                try w.next("Extensions", DERIdentifier.sequence),
                path: paths.singleExtensions
            )
            try w.end()
        }
        try c.end()
        return Details(
            certStatus: status,
            thisUpdateSeconds: thisUpdate,
            nextUpdateSeconds: nextUpdate,
            extensions: extensions
        )
    }
}
