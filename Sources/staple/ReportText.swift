import Foundation
import StapleTLS
import StapleVerifier

/// The human form of a ``ConnectionReport``: a short block per target.
enum ReportText {
    static func human(_ r: ConnectionReport) -> String {
        var lines: [String] = []
        let status: String
        switch r.outcome {
        case .accepted: status = "ACCEPTED"
        case .rejected: status = "REJECTED (\(r.error?.code.name ?? "?"))"
        case .failed: status = "FAILED (\(r.error?.code.name ?? "?"))"
        }
        lines.append("\(r.target) — \(status)")
        let c = r.connection
        if let address = c.address {
            var parts = [address]
            // RFC 6066 §3: no SNI is sent for an IP address; the address is still verified.
            if let name = c.serverName {
                parts.append(Endpoint.isIPAddress(name) ? "no SNI (IP address \(name) verified)" : "SNI \(name)")
            }
            if let version = c.tlsVersion { parts.append(version) }
            if let cipher = c.cipher { parts.append(cipher) }
            if let alpn = c.alpn { parts.append("ALPN \(alpn)") }
            lines.append(row("connection", parts.joined(separator: ", ")))
        }
        if !c.chain.isEmpty {
            lines.append(
                row(
                    "chain",
                    c.chain.map(\.shortName).joined(separator: " ← ")
                        + (c.chainVerified ? " (verified)" : " (as sent, not verified)")
                )
            )
            let leaf = c.chain[0]
            lines.append(
                row(
                    "leaf",
                    "valid \(day(leaf.notBefore)) → \(day(leaf.notAfter)), serial \(leaf.serial), must-staple \(leaf.mustStaple ? "yes" : "no")"
                )
            )
        }
        // Nothing to say of a staple when the server never got as far as its certificates.
        if let staple = c.staple, staple.present || !c.chain.isEmpty {
            lines.append(row("staple", stapleText(staple, r.verify?.staple)))
        }
        for fetch in r.verify?.fetches ?? [] {
            lines.append(row("ocsp fetch", fetchText(fetch)))
        }
        if let verdict = r.verify {
            lines.append(row("verdict", verdict.explanation))
            if !verdict.warnings.isEmpty { lines.append(row("warnings", verdict.warnings.joined(separator: "; "))) }
        }
        if let error = r.error, error.code != .rejectedByPolicy {
            lines.append(row("error", "\(error.code.name): \(error.reason)"))
        }
        if let alert = c.alertsSent.last(where: { $0 != .closeNotify }) ?? r.error?.alertSent {
            lines.append(row("alert sent", alert.description))
        }
        if let alert = c.alertsReceived.last(where: { $0 != .closeNotify }) ?? r.error?.alertReceived {
            lines.append(row("alert recvd", alert.description))
        }
        var timing: [String] = []
        if let ms = r.timings.connectMs { timing.append("connect \(ms) ms") }
        if let ms = r.timings.handshakeMs { timing.append("handshake \(ms) ms") }
        if let ms = r.timings.verificationMs { timing.append("engine \(ms) ms") }
        if let ms = r.timings.fetchMs { timing.append("waiting for OCSP \(ms) ms") }
        timing.append("total \(r.timings.totalMs) ms")
        lines.append(row("timings", timing.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    private static func row(_ label: String, _ value: String) -> String {
        "  " + label.padding(toLength: 12, withPad: " ", startingAt: 0) + value
    }

    private static func day(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day())
    }

    /// `URL → HTTP 200, SUCCESS (good), 3 ms`, or `URL → from the OCSP cache: …`.
    private static func fetchText(_ f: FetchRecord) -> String {
        let result = f.result.name + (f.certStatus.map { " (\($0.rawValue))" } ?? "")
        let origin = f.origin.map { " (\($0))" } ?? ""
        if f.fromCache { return "\(f.url) → from the OCSP cache\(origin): \(result)" }
        var parts = [f.outcome == .response ? "HTTP \(f.httpStatus ?? 200)" : f.outcome.description, result]
        if let ms = f.durationMs, f.origin == nil { parts.append("\(ms) ms") }
        return "\(f.url) → " + parts.joined(separator: ", ") + origin
    }

    private static func stapleText(_ s: HandshakeReport.StapleSummary, _ evaluation: StapleReport?) -> String {
        guard s.requested else { return "not requested" }
        guard s.present else { return "requested; none sent" }
        var text = "requested; \(s.size ?? 0) bytes"
        if let e = evaluation {
            text += ": \(e.status.rawValue) (\(e.result?.name ?? "not checked"))"
            if let status = e.certStatus { text += ", certStatus \(status)" }
            if let next = e.nextUpdate { text += ", nextUpdate \(next.formatted(.iso8601))" }
        }
        return text
    }
}
