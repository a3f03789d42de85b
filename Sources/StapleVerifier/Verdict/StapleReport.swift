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
public struct StapleReport: Hashable, Sendable, Codable {
    public var present: Bool
    public var size: Int?
    public var status: StaplingStatus
    /// `"SUCCESS"`, or the name of the error verifying the staple produced; nil when not checked.
    public var result: String?
    public var message: String?
    public var responseStatus: String?
    public var certStatus: CertStatus?
    public var producedAt: Date?
    public var thisUpdate: Date?
    public var nextUpdate: Date?
    /// Until when Firefox accepts it: min(nextUpdate, thisUpdate + max lifetime) + slop (firefox-policy §3.9).
    public var validThrough: Date?
    /// `issuer` or `delegated`.
    public var signer: String?
    public var signerSubject: String?

    static let absent = StapleReport(present: false, status: .none)

    init(present: Bool, size: Int? = nil, status: StaplingStatus) {
        self.present = present
        self.size = size
        self.status = status
    }
}

/// Whether the RFC 7633 TLS Feature applied.
public struct MustStapleReport: Hashable, Sendable, Codable {
    /// The end-entity carries a TLS Feature extension.
    public var hasTLSFeature: Bool
    /// Its feature numbers (null for an element that is not a valid INTEGER).
    public var features: [Int?]?
    /// The policy enforces it (`stapling` and `mustStaple`, firefox-policy §1.4).
    public var enforced: Bool
    /// The certificate is must-staple and the policy enforces it.
    public var applied: Bool { hasTLSFeature && enforced }

    enum CodingKeys: String, CodingKey { case hasTLSFeature, features, enforced, applied }

    public init(hasTLSFeature: Bool, features: [Int?]?, enforced: Bool) {
        self.hasTLSFeature = hasTLSFeature
        self.features = features
        self.enforced = enforced
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(hasTLSFeature: try c.decode(Bool.self, forKey: .hasTLSFeature),
                  features: try c.decodeIfPresent([Int?].self, forKey: .features),
                  enforced: try c.decode(Bool.self, forKey: .enforced))
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
public struct FetchRecord: Hashable, Sendable, Codable {
    public var url: String
    public var requestBytes: Int
    /// `response`, `HTTP 500`, `timeout`, …
    public var outcome: String
    /// `"SUCCESS"` or the error the fetched answer produced.
    public var result: String
    public var certStatus: CertStatus?
    /// The HTTP status, when the fetcher reports it.
    public var httpStatus: Int?
    /// How long the fetch took, when the fetcher reports it.
    public var durationMs: Int?
    /// The answer came from the OCSP cache (firefox-policy §2.4, §5.3): no request was sent.
    public var fromCache: Bool = false
}
