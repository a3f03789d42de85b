import Foundation

/// Firefox's `CertVerifier::OCSPStaplingStatus` (firefox-policy §2.3), with its telemetry numbers.
public enum StaplingStatus: String, Hashable, Sendable, Codable {
    /// Stapling is off, or revocation was never reached (0, OCSP_STAPLING_NEVER_CHECKED).
    case notChecked
    /// A fresh Good staple (1).
    case good
    /// No staple (2).
    case none
    /// An expired staple, whatever its status (3).
    case expired
    /// Any other staple that failed verification (4).
    case invalid
}

/// What the staple itself said and what verifying it produced — before any policy tolerance
/// (what the response says, kept apart from why we could or could not use it).
public struct StapleReport: Hashable, Sendable, Encodable {
    public package(set) var present: Bool
    public package(set) var size: Int?
    public package(set) var status: StaplingStatus
    /// What verifying the staple gave; nil when it was not checked.
    public package(set) var result: VerificationResult?
    public package(set) var message: String?
    public package(set) var responseStatus: OCSPResponseStatus?
    public package(set) var certStatus: CertStatus?
    public package(set) var producedAt: Date?
    public package(set) var thisUpdate: Date?
    public package(set) var nextUpdate: Date?
    /// Until when Firefox accepts it: min(nextUpdate, thisUpdate + max lifetime) + slop (firefox-policy §3.9).
    public package(set) var validThrough: Date?
    /// Who signed it.
    public package(set) var signer: Signer?
    public package(set) var signerSubject: String?

    /// Who signed an OCSP response (RFC 6960 §4.2.2.2): the certificate's issuer, or a responder
    /// the issuer delegated to.
    public enum Signer: String, Hashable, Sendable, Encodable {
        case issuer, delegated
    }

    static let absent = StapleReport(present: false, status: .none)

    init(present: Bool, size: Int? = nil, status: StaplingStatus) {
        self.present = present
        self.size = size
        self.status = status
    }
}

/// Whether the RFC 7633 TLS Feature applied.
public struct MustStapleReport: Hashable, Sendable, Encodable {
    /// The end-entity carries a TLS Feature extension.
    public package(set) var hasTLSFeature: Bool
    /// Its feature numbers (null for an element that is not a valid INTEGER).
    public package(set) var features: [Int?]?
    /// The policy enforces it (`stapling` and `mustStaple`, firefox-policy §1.4).
    public package(set) var enforced: Bool
    /// The certificate is must-staple and the policy enforces it.
    public var applied: Bool { hasTLSFeature && enforced }

    enum CodingKeys: String, CodingKey { case hasTLSFeature, features, enforced, applied }

    package init(hasTLSFeature: Bool, features: [Int?]?, enforced: Bool) {
        self.hasTLSFeature = hasTLSFeature
        self.features = features
        self.enforced = enforced
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hasTLSFeature, forKey: .hasTLSFeature)
        try c.encode(features, forKey: .features)
        try c.encode(enforced, forKey: .enforced)
        try c.encode(applied, forKey: .applied)
    }
}

/// One OCSP fetch made (or served from cache) while deciding.
public struct FetchRecord: Hashable, Sendable, Encodable {
    /// Written in JSON as `response`, `cache`, or the failure (`HTTP 500`, `timeout`, …).
    public enum Outcome: Hashable, Sendable, Encodable, CustomStringConvertible {
        /// The responder answered HTTP 200.
        case response
        /// The OCSP cache answered; no request was sent.
        case cache
        /// No usable answer.
        case failed(OCSPFetchFailure)

        public var description: String {
            switch self {
            case .response: return "response"
            case .cache: return "cache"
            case .failed(let failure): return failure.description
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(description)
        }
    }

    public package(set) var url: String
    public package(set) var requestBytes: Int
    /// Where the answer came from, or why there was none.
    public package(set) var outcome: Outcome
    /// What verifying the answer gave (a failed fetch gives its error).
    public package(set) var result: VerificationResult
    public package(set) var certStatus: CertStatus?
    /// The HTTP status, when the fetcher reports it.
    public package(set) var httpStatus: Int?
    /// How long the fetch took, when the fetcher reports it.
    public package(set) var durationMs: Int?
    /// The answer came from the OCSP cache (firefox-policy §2.4, §5.3): no request was sent.
    public package(set) var fromCache: Bool = false
    /// Where a cached or shared answer came from ("stapled by TARGET at T", "fetched for TARGET at
    /// T"), when it was not this verification's own request. Absent otherwise.
    public package(set) var origin: String? = nil
}
