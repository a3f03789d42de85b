import Foundation
import Prometheus
import StapleTLS
import StapleVerifier

/// The metrics of one probe, in Prometheus's text format 0.0.4: blackbox_exporter's `probe_success`
/// and `probe_duration_seconds`, and ours, prefixed `staple_` — named as `staple check --format
/// prometheus` names the same facts (`staple_present`, `staple_must_staple`, `staple_error`,
/// `staple_remaining_seconds`, …), without its `target` label: Prometheus adds `instance`. A fresh registry per probe, as
/// blackbox_exporter's, so that nothing of one target shows in another's answer.
enum ProbeMetrics {
    /// What a probe ended with.
    enum Result {
        case report(ConnectionReport)
        /// No verdict within the probe's timeout.
        case timedOut(Duration)
    }

    static func render(_ result: Result, duration: Duration) -> String {
        let registry = PrometheusCollectorRegistry()
        func gauge(_ name: String, _ help: String, _ value: Double, labels: [(String, String)] = []) {
            registry.makeGauge(descriptor: .named(name, help), labels: labels).set(value)
        }
        func flag(_ value: Bool) -> Double { value ? 1 : 0 }
        func seconds(_ ms: Double?) -> Double? { ms.map { $0 / 1000 } }

        let report: ConnectionReport?
        if case .report(let r) = result { report = r } else { report = nil }
        gauge(
            "probe_success",
            "1 when the handshake completed and the policy accepted the staple (staple check exit 0).",
            flag(report?.outcome == .accepted)
        )
        gauge(
            "probe_duration_seconds",
            "How long the probe took, in seconds.",
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        )

        guard let report else {
            gauge("staple_exit_code", "staple check's exit code for this target (docs/CONTRACT.md).", 3)
            gauge(
                "staple_error",
                "Why the target failed: the Firefox error name, or the connection error's code.",
                1,
                labels: [("error", "probeTimeout"), ("category", "transport")]
            )
            return registry.emitToString()
        }

        gauge(
            "staple_exit_code",
            "staple check's exit code for this target (docs/CONTRACT.md).",
            Double(report.exitCode)
        )
        if let (name, category) = errorLabels(report) {
            gauge(
                "staple_error",
                "Why the target failed: the Firefox error name, or the connection error's code.",
                1,
                labels: [("error", name), ("category", category)]
            )
        }
        if let version = report.connection.tlsVersion {
            gauge("staple_tls_version_info", "The TLS version negotiated.", 1, labels: [("version", version)])
        }
        for (name, help, ms) in [
            ("staple_connect_duration_seconds", "The TCP connect, in seconds.", report.timings.connectMs),
            (
                "staple_handshake_duration_seconds", "The TLS handshake up to the verdict, in seconds.",
                report.timings.handshakeMs
            ),
            ("staple_verification_duration_seconds", "The engine's work, in seconds.", report.timings.verificationMs),
            (
                "staple_ocsp_fetch_duration_seconds", "OCSP fetching during the verdict, in seconds.",
                report.timings.fetchMs
            ),
        ] {
            if let s = seconds(ms) { gauge(name, help, s) }
        }
        if let leaf = report.connection.chain.first {
            gauge(
                "staple_certificate_not_after_timestamp_seconds",
                "The server certificate's notAfter, in seconds since 1970.",
                leaf.notAfter.timeIntervalSince1970
            )
        }

        guard let verdict = report.verify else {
            gauge(
                "staple_present",
                "1 when the server stapled an OCSP response.",
                flag(report.connection.staple?.present == true)
            )
            return registry.emitToString()
        }
        let health = StapleHealth(verdict: verdict)
        gauge(
            "staple_must_staple",
            "1 when the certificate carries the RFC 7633 TLS Feature status_request.",
            flag(health.mustStaple)
        )
        gauge("staple_present", "1 when the server stapled an OCSP response.", flag(verdict.staple.present))
        var statusLabels = [("status", verdict.staple.status.rawValue)]
        if let cert = verdict.staple.certStatus { statusLabels.append(("cert_status", cert.rawValue)) }
        gauge(
            "staple_status_info",
            "What the staple was (good, none, expired, invalid, notChecked) and the certificate status it gave.",
            1,
            labels: statusLabels
        )
        if let left = health.stapleRemainingSeconds {
            gauge("staple_remaining_seconds", "The staple's nextUpdate minus now, in seconds.", Double(left))
        }
        if let left = health.firefoxRemainingSeconds {
            gauge(
                "staple_firefox_remaining_seconds",
                "How long Firefox would still accept the staple (validThrough minus now, slop included), in seconds.",
                Double(left)
            )
        }
        if let interval = health.updateIntervalSeconds {
            gauge(
                "staple_update_interval_seconds",
                "The staple's nextUpdate minus thisUpdate, in seconds.",
                Double(interval)
            )
        }
        let requests = verdict.fetches.filter { !$0.fromCache }
        gauge("staple_ocsp_fetches", "OCSP requests sent for this probe.", Double(requests.count))
        gauge(
            "staple_warnings",
            "Warnings in the verdict (tolerated failures, policy notes).",
            Double(verdict.warnings.count)
        )
        return registry.emitToString()
    }

    /// The Firefox name when the engine decided, the connection error's code otherwise.
    static func errorLabels(_ report: ConnectionReport) -> (String, String)? {
        if let error = report.verify?.error { return (error.code.name, "certificate") }
        if let error = report.error { return (error.code.name, error.code.category.rawValue) }
        return nil
    }
}
