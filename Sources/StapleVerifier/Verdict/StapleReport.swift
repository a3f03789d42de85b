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
/// (STYLE.md habit 7: what the response says, apart from why we could or could not use it).
public struct StapleReport: Hashable, Sendable, Encodable {
    public package(set) var present: Bool
    public package(set) var size: Int?
    public package(set) var status: StaplingStatus
    /// `"SUCCESS"`, or the name of the error verifying the staple produced; nil when not checked.
    public package(set) var result: String?
    public package(set) var message: String?
    public package(set) var responseStatus: String?
    public package(set) var certStatus: CertStatus?
    public package(set) var producedAt: Date?
    public package(set) var thisUpdate: Date?
    public package(set) var nextUpdate: Date?
    /// Until when Firefox accepts it: min(nextUpdate, thisUpdate + max lifetime) + slop (firefox-policy §3.9).
    public package(set) var validThrough: Date?
    /// `issuer` or `delegated`.
    public package(set) var signer: String?
    public package(set) var signerSubject: String?

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
    public package(set) var url: String
    public package(set) var requestBytes: Int
    /// `response`, `HTTP 500`, `timeout`, …
    public package(set) var outcome: String
    /// `"SUCCESS"` or the error the fetched answer produced.
    public package(set) var result: String
    public package(set) var certStatus: CertStatus?
    /// The HTTP status, when the fetcher reports it.
    public package(set) var httpStatus: Int?
    /// How long the fetch took, when the fetcher reports it.
    public package(set) var durationMs: Int?
    /// The answer came from the OCSP cache (firefox-policy §2.4, §5.3): no request was sent.
    public package(set) var fromCache: Bool = false
}
