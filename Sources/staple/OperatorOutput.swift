import Foundation
import StapleTLS
import StapleVerifier

/// One evaluated target, ready to print in any format: a `verify` verdict, or a `check` report
/// (which may have failed before the engine decided).
struct CheckedTarget {
    var name: String
    var verdict: Verdict?
    /// The status before operator adjustments (`ExitStatus`): accepted, rejected or could not evaluate.
    var baseStatus: Int32
    /// The error that decided (the verdict's, or the TLS layer's), by name.
    var errorName: String?
    var health: StapleHealth?
    var comparison: PolicyComparison?
    var report: ViolationReport?
    /// What `--format json` writes the operator fields beside (``TargetDocument``), and the text for
    /// people.
    var base: TargetDocument.Base
    var baseText: String

    init(
        verdict: Verdict,
        name: String,
        warnBeforeSeconds: Int64?,
        comparison: PolicyComparison?,
        report: ViolationReport?
    ) {
        self.name = name
        self.verdict = verdict
        baseStatus = verdict.isAccepted ? ExitStatus.accepted : ExitStatus.rejected
        errorName = verdict.error?.code.name
        health = StapleHealth(verdict: verdict, warnBeforeSeconds: warnBeforeSeconds)
        self.comparison = comparison
        self.report = report
        base = .verdict(verdict)
        baseText = HumanReport.verdict(verdict)
    }

    init(
        name: String,
        verdict: Verdict?,
        baseStatus: Int32,
        errorName: String?,
        warnBeforeSeconds: Int64?,
        comparison: PolicyComparison?,
        report: ViolationReport?,
        base: TargetDocument.Base,
        baseText: String
    ) {
        self.name = name
        self.verdict = verdict
        self.baseStatus = baseStatus
        self.errorName = errorName
        health = verdict.map { StapleHealth(verdict: $0, warnBeforeSeconds: warnBeforeSeconds) }
        self.comparison = comparison
        self.report = report
        self.base = base
        self.baseText = baseText
    }

    var isWarning: Bool { baseStatus == ExitStatus.accepted && health?.warning == true }

    /// `ExitStatus`, with `ExitStatus.warning` for an accepted target that warns.
    var exitStatus: Int32 { isWarning ? ExitStatus.warning : baseStatus }

    /// Nagios plugin exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    var nagiosStatus: Int32 {
        switch baseStatus {
        case ExitStatus.accepted: return isWarning ? 1 : 0
        case ExitStatus.rejected: return 2
        default: return 3
        }
    }

    /// Several targets: the worst status, a warning only when nothing is worse.
    static func worst(_ statuses: [Int32]) -> Int32 {
        let hard = statuses.filter { $0 != ExitStatus.warning }.max() ?? 0
        return hard == 0 && statuses.contains(ExitStatus.warning) ? ExitStatus.warning : hard
    }
}

enum OperatorOutput {
    static func json(_ t: CheckedTarget) throws -> String { try TargetDocument(t).jsonLine() }

    static func human(_ t: CheckedTarget) -> String {
        var lines = [t.baseText]
        guard let h = t.health else { return lines.joined(separator: "\n") }
        var health: [String] = []
        if let s = h.stapleRemainingSeconds {
            health.append("nextUpdate \(s >= 0 ? "in " + duration(s) : duration(-s) + " ago")")
        }
        if let f = h.firefoxRemainingSeconds {
            health.append(
                "Firefox accepts it \(f >= 0 ? "for " + duration(f) : "no longer (" + duration(-f) + " ago)")"
            )
        }
        if let u = h.updateIntervalSeconds { health.append("update interval \(duration(u))") }
        if !health.isEmpty {
            lines.append(
                "health:      " + health.joined(separator: ", ") + (h.warning ? " — WARNING: within --warn-before" : "")
            )
        }
        if let c = t.comparison { lines.append(comparisonTable(c)) }
        return lines.joined(separator: "\n")
    }

    static func comparisonTable(_ c: PolicyComparison) -> String {
        let width = max(8, c.rows.map(\.name.count).max() ?? 0) + 2
        var lines = ["compare:", "  " + "policy".padding(toLength: width, withPad: " ", startingAt: 0) + "verdict"]
        for row in c.rows {
            lines.append(
                "  " + row.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    + (row.error.map { "rejected  \($0.code.name)" } ?? "accepted")
            )
        }
        return lines.joined(separator: "\n")
    }

    /// `STAPLE OK - host: accepted … | perfdata` (Nagios plugin guidelines).
    static func nagios(_ t: CheckedTarget) -> String {
        let state = ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(t.nagiosStatus)]
        var text = "STAPLE \(state) - \(t.name): "
        if let e = t.errorName {
            text += (t.baseStatus == ExitStatus.rejected ? "rejected " : "could not evaluate: ") + e
        } else {
            text += "accepted, staple \(t.verdict?.staple.status.rawValue ?? "none")"
        }
        if let s = t.health?.stapleRemainingSeconds { text += ", nextUpdate in \(duration(s))" }
        var perf: [String] = []
        let warn = t.health?.warnBeforeSeconds.map(String.init) ?? ""
        if let s = t.health?.stapleRemainingSeconds { perf.append("staple_remaining=\(s)s;\(warn);0;;") }
        if let f = t.health?.firefoxRemainingSeconds { perf.append("firefox_remaining=\(f)s;;0;;") }
        return perf.isEmpty ? text : text + " | " + perf.joined(separator: " ")
    }

    /// Prometheus text exposition format 0.0.4, for a textfile collector.
    static func prometheus(_ targets: [CheckedTarget]) -> String {
        func label(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
        var out: [String] = []
        func metric(_ name: String, _ help: String, _ values: [(String, String)]) {
            guard !values.isEmpty else { return }
            out.append("# HELP \(name) \(help)")
            out.append("# TYPE \(name) gauge")
            for (labels, value) in values { out.append("\(name){\(labels)} \(value)") }
        }
        let l = { (t: CheckedTarget) in "target=\"\(label(t.name))\"" }
        metric(
            "staple_accepted",
            "1 when the policy accepts the connection, 0 when it does not.",
            targets.map { (l($0), $0.baseStatus == ExitStatus.accepted ? "1" : "0") }
        )
        metric(
            "staple_error",
            "1 for the error that rejected the connection or stopped the check.",
            targets.compactMap { t in t.errorName.map { ("\(l(t)),error=\"\(label($0))\"", "1") } }
        )
        metric(
            "staple_present",
            "1 when the server stapled an OCSP response.",
            targets.compactMap { t in t.verdict.map { (l(t), $0.staple.present ? "1" : "0") } }
        )
        metric(
            "staple_must_staple",
            "1 when the certificate carries the TLS Feature status_request.",
            targets.compactMap { t in t.health.map { (l(t), $0.mustStaple ? "1" : "0") } }
        )
        metric(
            "staple_remaining_seconds",
            "nextUpdate minus now.",
            targets.compactMap { t in t.health?.stapleRemainingSeconds.map { (l(t), String($0)) } }
        )
        metric(
            "staple_firefox_remaining_seconds",
            "How long Firefox would still accept the staple (validThrough minus now).",
            targets.compactMap { t in t.health?.firefoxRemainingSeconds.map { (l(t), String($0)) } }
        )
        metric(
            "staple_update_interval_seconds",
            "nextUpdate minus thisUpdate.",
            targets.compactMap { t in t.health?.updateIntervalSeconds.map { (l(t), String($0)) } }
        )
        return out.joined(separator: "\n") + "\n"
    }

    /// `2d 23h`, `5h 12m`, `42s`.
    static func duration(_ s: Int64) -> String {
        let d = s / 86_400
        let h = s % 86_400 / 3600
        let m = s % 3600 / 60
        if d > 0 { return "\(d)d \(h)h" }
        if h > 0 { return "\(h)h \(m)m" }
        if m > 0 { return "\(m)m \(s % 60)s" }
        return "\(s)s"
    }

    static func appendReport(_ report: ViolationReport, to path: String) throws {
        let line = try JSONEncoder.staple.encode(report) + Data("\n".utf8)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw InputError("--report-file '\(path)': cannot be created")
            }
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw InputError("--report-file '\(path)': cannot be opened for writing")
        }
        defer { try? h.close() }
        h.seekToEndOfFile()
        h.write(line)
    }
}
