import Foundation
import StapleTLS
import StapleVerifier

/// One target as `staple verify --json` prints it, and each line of `staple check --json`: the
/// verdict (verify) or the connection report (check), with the operator fields (docs/CONTRACT.md
/// "Operator fields") among its own keys, in one object.
struct TargetDocument: JSONDocument {
    enum Base {
        case verdict(Verdict)
        case connection(ConnectionReport)
    }

    var base: Base
    /// Written beside a verdict; a connection report names its target itself (the same text).
    var target: String
    var health: StapleHealth?
    var comparison: [PolicyComparison.Row]?
    var report: ViolationReport?

    enum CodingKeys: String, CodingKey {
        case target, health, comparison, report
    }

    init(_ t: CheckedTarget) {
        base = t.base
        target = t.name
        health = t.health
        comparison = t.comparison?.rows
        report = t.report
    }

    func encode(to encoder: any Encoder) throws {
        // The base and the operator fields share the encoder's one keyed container, so their keys
        // land in one object, sorted together.
        switch base {
        case .verdict(let verdict):
            try verdict.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(target, forKey: .target)
        case .connection(let report):
            try report.encode(to: encoder)
        }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(health, forKey: .health)
        try c.encodeIfPresent(comparison, forKey: .comparison)
        try c.encodeIfPresent(report, forKey: .report)
    }
}
