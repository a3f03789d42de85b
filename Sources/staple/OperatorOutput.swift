import Foundation
import StapleVerifier

/// One evaluated target, ready to print in any format.
struct CheckedTarget {
    var name: String
    var verdict: Verdict
    var health: StapleHealth
    var comparison: PolicyComparison?
    var report: ViolationReport?
    /// Connection facts (TLS version, cipher…) for `check`; empty for `verify`.
    var extra: [String: Any] = [:]

    /// DESIGN.md exit codes, plus 4 for a warning.
    var exitStatus: Int32 {
        if !verdict.isAccepted { return ExitStatus.rejected }
        return health.warning ? ExitStatus.warning : ExitStatus.accepted
    }

    /// Nagios plugin exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    var nagiosStatus: Int32 {
        if !verdict.isAccepted { return 2 }
        return health.warning ? 1 : 0
    }
}

enum OperatorOutput {
    static func jsonObject(_ t: CheckedTarget) throws -> [String: Any] {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder.staple.encode(t.verdict)) as! [String: Any]
        object["target"] = t.name
        object["health"] = try JSONSerialization.jsonObject(with: JSONEncoder.staple.encode(t.health))
        if let c = t.comparison { object["comparison"] = try JSONSerialization.jsonObject(with: JSONEncoder.staple.encode(c.rows)) }
        if let r = t.report { object["report"] = try JSONSerialization.jsonObject(with: JSONEncoder.staple.encode(r)) }
        for (k, v) in t.extra { object[k] = v }
        return object
    }

    static func json(_ t: CheckedTarget) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: jsonObject(t), options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    static func human(_ t: CheckedTarget) -> String {
        var lines = [HumanReport.verdict(t.verdict)]
        let h = t.health
        var health: [String] = []
        if let s = h.stapleRemainingSeconds { health.append("nextUpdate \(s >= 0 ? "in " + duration(s) : duration(-s) + " ago")") }
        if let f = h.firefoxRemainingSeconds { health.append("Firefox accepts it \(f >= 0 ? "for " + duration(f) : "no longer (" + duration(-f) + " ago)")") }
        if let u = h.updateIntervalSeconds { health.append("update interval \(duration(u))") }
        if !health.isEmpty { lines.append("health:      " + health.joined(separator: ", ") + (h.warning ? " — WARNING: within --warn-before" : "")) }
        if let c = t.comparison { lines.append(comparisonTable(c)) }
        return lines.joined(separator: "\n")
    }

    static func comparisonTable(_ c: PolicyComparison) -> String {
        let width = max(8, c.rows.map(\.name.count).max() ?? 0) + 2
        var lines = ["compare:", "  " + "policy".padding(toLength: width, withPad: " ", startingAt: 0) + "verdict"]
        for row in c.rows {
            lines.append("  " + row.name.padding(toLength: width, withPad: " ", startingAt: 0) + (row.error.map { "rejected  \($0.code.name)" } ?? "accepted"))
        }
        return lines.joined(separator: "\n")
    }

    /// `STAPLE OK - host: accepted … | perfdata` (Nagios plugin guidelines).
    static func nagios(_ t: CheckedTarget) -> String {
        let state = ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(t.nagiosStatus)]
        var text = "STAPLE \(state) - \(t.name): "
        if let e = t.verdict.error { text += "rejected \(e.code.name)" } else { text += "accepted, staple \(t.verdict.staple.status.rawValue)" }
        if let s = t.health.stapleRemainingSeconds { text += ", nextUpdate in \(duration(s))" }
        var perf: [String] = []
        let warn = t.health.warnBeforeSeconds.map(String.init) ?? ""
        if let s = t.health.stapleRemainingSeconds { perf.append("staple_remaining=\(s)s;\(warn);0;;") }
        if let f = t.health.firefoxRemainingSeconds { perf.append("firefox_remaining=\(f)s;;0;;") }
        return perf.isEmpty ? text : text + " | " + perf.joined(separator: " ")
    }

    /// Prometheus text exposition format 0.0.4, for a textfile collector.
    static func prometheus(_ targets: [CheckedTarget]) -> String {
        func label(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") }
        var out: [String] = []
        func metric(_ name: String, _ help: String, _ values: [(String, String)]) {
            guard !values.isEmpty else { return }
            out.append("# HELP \(name) \(help)")
            out.append("# TYPE \(name) gauge")
            for (labels, value) in values { out.append("\(name){\(labels)} \(value)") }
        }
        let l = { (t: CheckedTarget) in "target=\"\(label(t.name))\"" }
        metric("staple_accepted", "1 when the policy accepts the connection, 0 when it rejects it.", targets.map { (l($0), $0.verdict.isAccepted ? "1" : "0") })
        metric("staple_error", "1 for the error that rejected the connection.", targets.compactMap { t in t.verdict.error.map { ("\(l(t)),error=\"\($0.code.name)\"", "1") } })
        metric("staple_present", "1 when the server stapled an OCSP response.", targets.map { (l($0), $0.verdict.staple.present ? "1" : "0") })
        metric("staple_must_staple", "1 when the certificate carries the TLS Feature status_request.", targets.map { (l($0), $0.health.mustStaple ? "1" : "0") })
        metric("staple_remaining_seconds", "nextUpdate minus now.", targets.compactMap { t in t.health.stapleRemainingSeconds.map { (l(t), String($0)) } })
        metric("staple_firefox_remaining_seconds", "How long Firefox would still accept the staple (validThrough minus now).", targets.compactMap { t in t.health.firefoxRemainingSeconds.map { (l(t), String($0)) } })
        metric("staple_update_interval_seconds", "nextUpdate minus thisUpdate.", targets.compactMap { t in t.health.updateIntervalSeconds.map { (l(t), String($0)) } })
        return out.joined(separator: "\n") + "\n"
    }

    /// `2d 23h`, `5h 12m`, `42s`.
    static func duration(_ s: Int64) -> String {
        let d = s / 86_400, h = s % 86_400 / 3600, m = s % 3600 / 60
        if d > 0 { return "\(d)d \(h)h" }
        if h > 0 { return "\(h)h \(m)m" }
        if m > 0 { return "\(m)m \(s % 60)s" }
        return "\(s)s"
    }

    static func appendReport(_ report: ViolationReport, to path: String) throws {
        let line = try JSONEncoder.staple.encode(report) + Data("\n".utf8)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw InputError("--report-file '\(path)': cannot be created") }
        }
        guard let h = FileHandle(forWritingAtPath: path) else { throw InputError("--report-file '\(path)': cannot be opened for writing") }
        defer { try? h.close() }
        h.seekToEndOfFile()
        h.write(line)
    }
}
