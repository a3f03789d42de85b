import Foundation
import StapleTLS
import StapleVerifier

/// `--format csv`: one row per target under a header, the columns fixed (docs/CONTRACT.md adds
/// columns only at the end). Empty cells where a value does not apply. RFC 4180 quoting.
enum CSVOutput {
    static let columns = [
        "target", "exit_code", "verdict", "error", "must_staple", "staple_present", "staple_status", "cert_status",
        "next_update", "staple_remaining_seconds", "firefox_remaining_seconds", "tls_version", "address", "total_ms",
    ]

    static var header: String { columns.joined(separator: ",") }

    static func row(_ t: CheckedTarget) -> String {
        let verdict: String
        switch t.baseStatus {
        case ExitStatus.accepted: verdict = "accepted"
        case ExitStatus.rejected: verdict = "rejected"
        default: verdict = "failed"
        }
        var connection: ConnectionReport?
        if case .connection(let report) = t.base { connection = report }
        let staple = t.verdict?.staple
        let cells: [String?] = [
            t.name,
            String(t.exitStatus),
            verdict,
            t.errorName,
            t.health.map { $0.mustStaple ? "true" : "false" },
            staple.map { $0.present ? "true" : "false" },
            staple?.status.rawValue,
            staple?.certStatus?.rawValue,
            staple?.nextUpdate.map(HumanReport.iso),
            t.health?.stapleRemainingSeconds.map(String.init),
            t.health?.firefoxRemainingSeconds.map(String.init),
            connection?.connection.tlsVersion,
            connection?.connection.address,
            connection.map { String(format: "%.1f", $0.timings.totalMs) },
        ]
        return cells.map { quote($0 ?? "") }.joined(separator: ",")
    }

    /// A cell quoted when it holds a comma, a quote or a line break (RFC 4180 §2).
    static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
