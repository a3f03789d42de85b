import Foundation
import Prometheus
import StapleTLS

/// The exporter's own metrics (`GET /metrics`): probes by outcome, refusals by reason, probe
/// durations, probes in flight, OCSP requests sent, and the process's memory and descriptors.
final class ExporterMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let inFlightGauge: Gauge
    private let durations: DurationHistogram

    /// The buckets of `staple_exporter_probe_duration_seconds`: a loopback handshake takes
    /// milliseconds, a soft-fail fetch up to 2 s, a timeout up to the probe's limit.
    static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30),
    ]

    init() {
        inFlightGauge = registry.makeGauge(
            descriptor: .named("staple_exporter_probes_in_flight", "Probes being run now.")
        )
        durations = registry.makeDurationHistogram(
            descriptor: .named("staple_exporter_probe_duration_seconds", "How long probes took, in seconds."),
            buckets: Self.buckets
        )
        // Every label value exists from the start, so that rate() sees the first increment.
        for outcome in ["accepted", "rejected", "failed", "timeout"] { _ = probes(outcome) }
        for reason in ["bad_request", "not_allowed", "busy"] { _ = refusals(reason) }
        _ = fetches("response")
        _ = fetches("failed")
        _ = ProcessMetrics.startTime
    }

    private func probes(_ outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: .named(
                "staple_exporter_probes_total",
                "Probes run, by outcome (accepted, rejected, failed, timeout)."
            ),
            labels: [("outcome", outcome)]
        )
    }

    private func refusals(_ reason: String) -> Counter {
        registry.makeCounter(
            descriptor: .named(
                "staple_exporter_refused_probes_total",
                "Probe requests refused before a check, by reason (bad_request, not_allowed, busy)."
            ),
            labels: [("reason", reason)]
        )
    }

    private func fetches(_ result: String) -> Counter {
        registry.makeCounter(
            descriptor: .named(
                "staple_exporter_ocsp_fetches_total",
                "OCSP requests sent by probes, by result (response: HTTP 200; failed: anything else)."
            ),
            labels: [("result", result)]
        )
    }

    func started() { inFlightGauge.increment() }

    func finished(_ result: ProbeMetrics.Result, duration: Duration) {
        inFlightGauge.decrement()
        durations.record(duration)
        switch result {
        case .timedOut: probes("timeout").increment()
        case .report(let report):
            probes(report.outcome.rawValue).increment()
            for fetch in report.verify?.fetches ?? [] where !fetch.fromCache {
                if case .response = fetch.outcome {
                    fetches("response").increment()
                } else {
                    fetches("failed").increment()
                }
            }
        }
    }

    func refused(_ reason: String) { refusals(reason).increment() }

    /// The text of `/metrics`.
    func render() -> String {
        registry.emitToString() + ProcessMetrics.render()
    }
}

/// The process metrics Prometheus's client libraries export under these names, from /proc/self.
enum ProcessMetrics {
    /// When the exporter started (its metrics were first made).
    static let startTime = Date()

    static func render() -> String {
        var lines: [String] = []
        func add(_ name: String, _ help: String, _ value: Double) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) gauge")
            lines.append("\(name) \(value)")
        }
        if let rss = residentBytes {
            add("process_resident_memory_bytes", "Resident memory size in bytes.", Double(rss))
        }
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            add("process_open_fds", "Number of open file descriptors.", Double(fds.count))
        }
        add(
            "process_start_time_seconds",
            "Start time of the process since 1970 in seconds.",
            startTime.timeIntervalSince1970
        )
        return lines.joined(separator: "\n") + "\n"
    }

    /// VmRSS of /proc/self/status.
    static var residentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
    }
}
