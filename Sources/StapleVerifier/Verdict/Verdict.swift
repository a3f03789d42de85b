import Foundation

/// The answer: accepted or rejected, why, and how it was reached. A policy outcome is a value,
/// never a thrown error.
public struct Verdict: Hashable, Sendable, Encodable {
    public enum Decision: String, Hashable, Sendable, Codable {
        case accepted, rejected
    }

    /// The part of the verification a step belongs to, written in JSON by name; new stages may
    /// be added.
    public struct Stage: Hashable, Sendable, Encodable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(name)
        }

        /// The chain's links and validity.
        public static let chain = Stage("chain")
        /// The TLS Feature extension (firefox-policy §1).
        public static let tlsFeature = Stage("tlsFeature")
        /// The stapled response (firefox-policy §2.3).
        public static let staple = Stage("staple")
        /// The OCSP cache (firefox-policy §2.4) or the verdict cache.
        public static let cache = Stage("cache")
        /// An OCSP fetch (firefox-policy §2.7).
        public static let fetch = Stage("fetch")
        /// The must-staple check (firefox-policy §1.3).
        public static let mustStaple = Stage("mustStaple")
        /// The policy's own adjustments (report-only).
        public static let policy = Stage("policy")
    }

    /// One decision taken, in order.
    public struct Step: Hashable, Sendable, Encodable, CustomStringConvertible {
        public package(set) var stage: Stage
        public package(set) var detail: String
        public var description: String { "[\(stage)] \(detail)" }
    }

    /// The JSON schema of this document (docs/CONTRACT.md); bumped only for incompatible changes.
    public static let schemaVersion = "swift-must-staple/verdict/1"
    public package(set) var schema: String = Verdict.schemaVersion
    public package(set) var decision: Decision
    public package(set) var error: VerificationError?
    /// In report-only mode: the error that was reported instead of failing the connection.
    public package(set) var reportedError: VerificationError?
    public package(set) var mustStaple: MustStapleReport
    public package(set) var staple: StapleReport
    public package(set) var fetches: [FetchRecord]
    public package(set) var warnings: [String]
    public package(set) var trace: [Step]
    public package(set) var policy: RevocationPolicy
    public package(set) var time: Date

    public var isAccepted: Bool { decision == .accepted }

    /// The times the fresh Good staple this verdict rests on holds for (not encoded).
    var goodStapleWindow: ClosedRange<EpochSeconds>?

    enum CodingKeys: String, CodingKey {
        case schema
        case decision = "verdict"
        case error, reportedError, mustStaple, staple, fetches, warnings, trace, policy, time
    }

    package init(
        decision: Decision,
        error: VerificationError?,
        mustStaple: MustStapleReport,
        staple: StapleReport,
        fetches: [FetchRecord],
        warnings: [String],
        trace: [Step],
        policy: RevocationPolicy,
        time: Date
    ) {
        self.decision = decision
        self.error = error
        self.mustStaple = mustStaple
        self.staple = staple
        self.fetches = fetches
        self.warnings = warnings
        self.trace = trace
        self.policy = policy
        self.time = time
    }

    /// `error` is always written, as null when accepted (a stable shape for JSON consumers).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(decision, forKey: .decision)
        if let error { try c.encode(error, forKey: .error) } else { try c.encodeNil(forKey: .error) }
        try c.encodeIfPresent(reportedError, forKey: .reportedError)
        try c.encode(mustStaple, forKey: .mustStaple)
        try c.encode(staple, forKey: .staple)
        try c.encode(fetches, forKey: .fetches)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(trace, forKey: .trace)
        try c.encode(policy, forKey: .policy)
        try c.encode(time, forKey: .time)
    }

    /// One or two sentences for people.
    public var explanation: String {
        if let error {
            var s = "Rejected: \(error.code.name) (\(error.code.number)) — \(error.reason)"
            if staple.result == .failure(error.code), let fetch = fetches.last(where: { !$0.fromCache }),
                !fetch.result.isSuccess
            {
                // firefox-policy §2.7 HandleOCSPFailure: the tolerated staple's error stands.
                s +=
                    "; the staple was tolerated, but the fallback fetch gave no Good answer (\(fetch.outcome == .response ? fetch.result.name : fetch.outcome.description)), so its error stands"
            }
            return s + "."
        }
        var s = "Accepted"
        switch staple.status {
        case .good: s += ": the stapled OCSP response is Good and fresh"
        case .none: s += staple.present ? "" : ": no staple was sent"
        case .notChecked: s += ": stapling is off in this policy"
        case .expired, .invalid: s += ": the staple (\(staple.result?.name ?? "?")) was tolerated by the policy"
        }
        if fetches.contains(where: { $0.fromCache && $0.result.isSuccess }) {
            s += "; a cached OCSP answer is Good"
        } else if fetches.contains(where: { !$0.fromCache && $0.result.isSuccess }) {
            s += "; a fetched OCSP response is Good"
        } else if fetches.contains(where: { !$0.fromCache }) {
            s += "; the OCSP fetch failed and the policy soft-fails"
        }
        if mustStaple.applied { s += "; the certificate is must-staple and a staple was present" }
        return s + "."
    }
}
