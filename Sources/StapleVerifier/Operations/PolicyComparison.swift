import Foundation

/// One chain and staple judged under several policies side by side: "which clients would break?"
/// Every policy sees the same inputs and the same responder answers (each distinct request is sent
/// once and its answer replayed), and each starts from an empty OCSP cache so that no policy's
/// answer leaks into another's.
public struct PolicyComparison: Hashable, Sendable, Encodable {
    public struct Row: Hashable, Sendable, Encodable {
        /// `firefox`, `firefox2016`, `strict`, `permissive`, or `firefox+tryLater=fail` …
        public var name: String
        public var verdict: Verdict.Decision
        public var error: VerificationError?
        public var explanation: String
    }

    public var rows: [Row]

    /// The four presets, then Firefox with each other tryLater treatment.
    public static let standardPolicies: [(name: String, policy: RevocationPolicy)] = {
        var list: [(String, RevocationPolicy)] = RevocationPolicy.Preset.allCases.filter { $0 != .custom }
            .map { ($0.rawValue, RevocationPolicy.preset($0)) }
        for t in StapleTreatment.allCases where t != RevocationPolicy.firefox.tryLater {
            var p = RevocationPolicy.firefox
            p.tryLater = t
            list.append(("firefox+tryLater=\(t.rawValue)", p))
        }
        return list
    }()

    public static func compare(
        chainDER: [[UInt8]],
        staple: [UInt8]?,
        at time: Date,
        fetcher: (any OCSPFetcher)?,
        policies: [(name: String, policy: RevocationPolicy)] = standardPolicies,
        builtInRoots: BuiltInRoots = .none,
        checked: Verdict? = nil
    ) async throws(StapleVerifierError) -> PolicyComparison {
        let shared = fetcher.map { SharedFetches($0).fetcher(for: "the comparison") }
        var rows: [Row] = []
        for (name, policy) in policies {
            // The verdict already given under this very policy is that row: a comparison can never
            // contradict the check it accompanies.
            if let checked, checked.policy == policy, checked.reportedError == nil {
                rows.append(
                    Row(name: name, verdict: checked.decision, error: checked.error, explanation: checked.explanation)
                )
                continue
            }
            var engine = StapleEngine(
                policy: policy,
                cache: OCSPCache(),
                verdictCache: nil,
                chainCache: PreparedChainCache()
            )
            engine.builtInRoots = builtInRoots
            let v = try await engine.verify(chainDER: chainDER, staple: staple, at: time, fetcher: shared)
            rows.append(Row(name: name, verdict: v.decision, error: v.error, explanation: v.explanation))
        }
        return PolicyComparison(rows: rows)
    }

    /// "Firefox today: accepted; Firefox 2016: SEC_ERROR_OCSP_TRY_SERVER_LATER; strict: rejected …"
    public var summary: String {
        rows.map { "\($0.name): \($0.error?.code.name ?? "accepted")" }.joined(separator: "; ")
    }
}
