import Foundation
import StapleVerifier

/// Short reports for people. JSON is for machines; this explains the decision in a sentence or two.
enum HumanReport {
    static func verdict(_ v: Verdict) -> String {
        var lines: [String] = []
        let head = v.isAccepted ? "ACCEPTED" : "REJECTED \(v.error!.code.name) (\(v.error!.code.number))"
        lines.append("verdict:     \(head)")
        lines.append("why:         \(v.explanation)")
        var staple =
            v.staple.present ? "present (\(v.staple.size ?? 0) bytes), status \(v.staple.status.rawValue)" : "none"
        if let r = v.staple.result { staple += ", result \(r)" }
        if let s = v.staple.certStatus { staple += ", certStatus \(s.rawValue)" }
        lines.append("staple:      \(staple)")
        if let t = v.staple.thisUpdate {
            var times = "thisUpdate \(iso(t))"
            if let n = v.staple.nextUpdate { times += ", nextUpdate \(iso(n))" }
            if let vt = v.staple.validThrough { times += ", valid through \(iso(vt))" }
            lines.append("             \(times)")
        }
        if let signer = v.staple.signer {
            lines.append("signer:      \(signer)\(v.staple.signerSubject.map { " (\($0))" } ?? "")")
        }
        lines.append(
            "must-staple: \(v.mustStaple.hasTLSFeature ? "yes" : "no")\(v.mustStaple.hasTLSFeature ? (v.mustStaple.enforced ? ", enforced" : ", not enforced by this policy") : "")"
        )
        lines.append("policy:      \(v.policy.preset.rawValue), at \(iso(v.time))")
        for f in v.fetches { lines.append("fetch:       \(f.url) → \(f.outcome), \(f.result)") }
        for w in v.warnings { lines.append("warning:     \(w)") }
        lines.append("trace:")
        for step in v.trace { lines.append("  \(step)") }
        return lines.joined(separator: "\n")
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
