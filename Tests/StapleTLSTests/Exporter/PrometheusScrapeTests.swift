import Foundation
import StapleExporter
import StapleForge
import StapleTLS
import StapleTestSupport
import StapleVerifier
import Testing

/// A real Prometheus (Debian's `prometheus`) scraping the exporter, configured as
/// blackbox_exporter's documentation configures a probe job: the targets relabelled onto
/// `__param_target`, the exporter as `__address__`. What Prometheus's own HTTP API then answers
/// is what an operator's alert would see.
@Suite(.serialized) final class PrometheusScrapeTests {
    let responder: TestOCSPResponder
    let pki: FetchPKI
    let servers: [String: InProcessTLSServer]

    init() throws {
        let t0 = Int64(Fixtures.t0.timeIntervalSince1970)
        responder = try TestOCSPResponder()
        responder.script([], fallback: .status(500))
        pki = try FetchPKI()
        let mustStaple = try pki.leaf("must", serial: [0x7f, 0x01], ocspURL: responder.url, mustStaple: true)
        let plain = try pki.leaf("plain", serial: [0x7f, 0x02], ocspURL: responder.url)
        let good = pki.pki.response(for: mustStaple.der, thisUpdate: t0 - 3600, nextUpdate: t0 + 2 * FetchPKI.day)
        let revoked = pki.pki.response(
            for: plain.der,
            status: .revoked(at: t0 - 7200),
            thisUpdate: t0 - 3600,
            nextUpdate: t0 + FetchPKI.day
        )
        servers = [
            "good": try InProcessTLSServer(.tls(mustStaple.identity, staple: .bytes(good.der()), version: .tls13)),
            "noStaple": try InProcessTLSServer(.tls(mustStaple.identity, staple: .none, version: .tls13)),
            "revoked": try InProcessTLSServer(.tls(plain.identity, staple: .bytes(revoked.der()), version: .tls13)),
        ]
    }

    deinit {
        servers.values.forEach { $0.stop() }
        responder.stop()
        pki.remove()
    }

    /// One instant vector of Prometheus's `/api/v1/query`: labels → value.
    func query(_ port: Int, _ promQL: String) async throws -> [(labels: [String: String], value: String)] {
        let encoded = promQL.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let answer = try await HTTPGet.get("http://127.0.0.1:\(port)/api/v1/query?query=\(encoded)")
        #expect(answer.status == 200, "\(promQL): \(answer.body)")
        let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        let data = json?["data"] as? [String: Any]
        let result = data?["result"] as? [[String: Any]] ?? []
        return result.map { sample in
            let labels = sample["metric"] as? [String: String] ?? [:]
            let value = (sample["value"] as? [Any])?.last as? String ?? ""
            return (labels, value)
        }
    }

    @Test("Prometheus scrapes /probe and its query API returns each target's verdict")
    func prometheusScrapesTheExporter() async throws {
        let binary = try ExternalServer.locate("prometheus", installHint: "apt-get install prometheus")
        let module = ExporterConfiguration.Module(
            caFile: pki.rootPath,
            builtInRoots: "none",
            allow: [try TargetPattern(parsing: "127.0.0.1")]
        )
        let exporter = try ProbeExporter(configuration: ExporterConfiguration(modules: ["default": module])) {
            $0.pinTime(Fixtures.t0)
        }
        let server = try await ExporterServer.start(exporter, listen: Endpoint(host: "127.0.0.1", port: 0))
        defer { Task { await server.shutdown() } }

        let directory = try ExternalServer.temporaryDirectory("prometheus")
        defer { try? FileManager.default.removeItem(at: directory) }
        let instances = ["good", "noStaple", "revoked"].map { ($0, "127.0.0.1:\(servers[$0]!.port)") }
        let config = """
            global:
              scrape_interval: 4s
              scrape_timeout: 4s
            scrape_configs:
              - job_name: staple
                metrics_path: /probe
                params:
                  module: [default]
                  servername: [localhost]
                static_configs:
                  - targets: [\(instances.map { "\"\($0.1)\"" }.joined(separator: ", "))]
                relabel_configs:
                  - source_labels: [__address__]
                    target_label: __param_target
                  - source_labels: [__param_target]
                    target_label: instance
                  - target_label: __address__
                    replacement: "\(server.address)"
            """
        let configFile = directory.appendingPathComponent("prometheus.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let port = try FreePort.pick()
        let prometheus = try ExternalServer(
            executable: binary,
            arguments: [
                "--config.file=\(configFile.path)",
                "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(port)",
            ],
            port: port,
            directory: directory
        )
        defer { prometheus.stop() }

        // Prometheus listens before its storage is ready, and answers 503 until then.
        let deadline = Date().addingTimeInterval(90)  // hang guard only: a slow machine just waits longer
        while Date() < deadline, (try? await HTTPGet.get("http://127.0.0.1:\(port)/-/ready"))?.status != 200 {
            try await Task.sleep(for: .milliseconds(200))
        }
        // Two scrapes of each target, at least.
        var scraped: [(labels: [String: String], value: String)] = []
        while Date() < deadline {
            scraped = try await query(port, "count_over_time(probe_success[5m]) >= 2")
            if scraped.count == 3 { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(scraped.count == 3, "Prometheus's log: \(prometheus.log)")

        func byInstance(_ promQL: String) async throws -> [String: [String: String]] {
            var result: [String: [String: String]] = [:]
            for sample in try await query(port, promQL) {
                var labels = sample.labels
                labels["value"] = sample.value
                result[labels["instance"] ?? "?"] = labels
            }
            return result
        }
        let success = try await byInstance("probe_success")
        let errors = try await byInstance("staple_error")
        let mustStaple = try await byInstance("staple_must_staple")
        let name = Dictionary(uniqueKeysWithValues: instances.map { ($0.0, $0.1) })
        #expect(success[name["good"]!]?["value"] == "1")
        #expect(success[name["noStaple"]!]?["value"] == "0")
        #expect(success[name["revoked"]!]?["value"] == "0")
        #expect(errors[name["good"]!] == nil)
        #expect(errors[name["noStaple"]!]?["error"] == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING")
        #expect(errors[name["revoked"]!]?["error"] == "SEC_ERROR_REVOKED_CERTIFICATE")
        #expect(mustStaple[name["good"]!]?["value"] == "1")
        #expect(mustStaple[name["revoked"]!]?["value"] == "0")
        let remaining = try await byInstance("staple_remaining_seconds")
        #expect(remaining[name["good"]!]?["value"] == "\(2 * FetchPKI.day)")
        let up = try await byInstance("up")
        #expect(up.values.allSatisfy { $0["value"] == "1" }, "every scrape answered")
    }
}
