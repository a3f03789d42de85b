import Foundation
import StapleExporter
import StapleForge
import StapleTLS
import StapleTestSupport
import StapleVerifier
import Testing

/// `staple exporter` over HTTP against real loopback servers, at a pinned time: the metrics of a
/// good, a must-staple-without-staple and a revoked target; every refusal; the concurrency bound;
/// Prometheus's scrape timeout; each probe a first visit; a graceful stop.
@Suite(.serialized) final class ExporterProbeTests {
    let responder: TestOCSPResponder
    let pki: FetchPKI
    let t0 = Int64(Fixtures.t0.timeIntervalSince1970)
    /// good, noStaple, revoked, tryLater (the good one's certificate), silent.
    let servers: [String: InProcessTLSServer]

    init() throws {
        responder = try TestOCSPResponder()
        responder.script([], fallback: .status(500))
        pki = try FetchPKI()
        let mustStaple = try pki.leaf("must", serial: [0x7e, 0x01], ocspURL: responder.url, mustStaple: true)
        let plain = try pki.leaf("plain", serial: [0x7e, 0x02], ocspURL: responder.url)
        let good = pki.pki.response(for: mustStaple.der, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * FetchPKI.day).der()
        let revoked = pki.pki.response(
            for: plain.der,
            status: .revoked(at: t0 - 7200),
            thisUpdate: t0 - 3600,
            nextUpdate: t0 + FetchPKI.day
        )
        .der()
        servers = [
            "good": try InProcessTLSServer(.tls(mustStaple.identity, staple: .bytes(good), version: .tls13)),
            "noStaple": try InProcessTLSServer(.tls(mustStaple.identity, staple: .none, version: .tls13)),
            "revoked": try InProcessTLSServer(.tls(plain.identity, staple: .bytes(revoked), version: .tls12)),
            "tryLater": try InProcessTLSServer(
                .tls(mustStaple.identity, staple: .bytes(ResponseForge.unsuccessful(3)), version: .tls13)
            ),
            "silent": try InProcessTLSServer(.neverAnswer),
        ]
    }

    deinit {
        servers.values.forEach { $0.stop() }
        responder.stop()
        pki.remove()
    }

    func start(
        maximumConcurrentProbes: Int = 8,
        timeout: Duration = .seconds(20)
    ) async throws -> ExporterServer {
        let module = ExporterConfiguration.Module(
            caFile: pki.rootPath,
            builtInRoots: "none",
            timeout: timeout,
            allow: [try TargetPattern(parsing: "127.0.0.1")]
        )
        let configuration = ExporterConfiguration(
            modules: ["default": module],
            trustStores: ["fetchpki": pki.rootPath],
            maximumConcurrentProbes: maximumConcurrentProbes
        )
        let exporter = try ProbeExporter(configuration: configuration) { $0.pinTime(Fixtures.t0) }
        return try await ExporterServer.start(exporter, listen: Endpoint(host: "127.0.0.1", port: 0))
    }

    func probe(
        _ server: ExporterServer,
        _ name: String,
        extra: String = "&servername=localhost",
        headers: [String: String] = [:]
    ) async throws -> PrometheusText {
        let port = servers[name]!.port
        let answer = try await HTTPGet.get(
            "http://\(server.address)/probe?target=127.0.0.1:\(port)\(extra)",
            headers: headers
        )
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        return PrometheusText(answer.body)
    }

    @Test("a good, a must-staple-without-staple and a revoked target give their metrics")
    func metricsOfThreeTargets() async throws {
        let server = try await start()
        defer { Task { await server.shutdown() } }

        let good = try await probe(server, "good")
        #expect(good.value("probe_success") == 1)
        #expect(good.value("staple_exit_code") == 0)
        #expect(good.value("staple_must_staple") == 1)
        #expect(good.value("staple_present") == 1)
        #expect(good.value("staple_status_info", ["status": "good", "cert_status": "good"]) == 1)
        #expect(good.value("staple_remaining_seconds") == Double(3 * FetchPKI.day))
        // validThrough = nextUpdate, then the slop (firefox-policy §3.9).
        #expect(good.value("staple_firefox_remaining_seconds") == Double(3 * FetchPKI.day + 86_400))
        #expect(good.value("staple_tls_version_info", ["version": "TLSv1.3"]) == 1)
        #expect(good.labels("staple_error", "error").isEmpty)
        #expect(good.value("staple_ocsp_fetches") == 0)
        #expect((good.value("probe_duration_seconds") ?? 0) > 0)

        let missing = try await probe(server, "noStaple")
        #expect(missing.value("probe_success") == 0)
        #expect(missing.value("staple_exit_code") == 1)
        #expect(missing.value("staple_must_staple") == 1)
        #expect(missing.value("staple_present") == 0)
        #expect(missing.labels("staple_error", "error") == ["MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"])
        #expect(missing.value("staple_ocsp_fetches") == 1, "Firefox fetches before the must-staple error (§1.4)")

        let revoked = try await probe(server, "revoked")
        #expect(revoked.value("probe_success") == 0)
        #expect(revoked.value("staple_must_staple") == 0)
        #expect(revoked.labels("staple_error", "error") == ["SEC_ERROR_REVOKED_CERTIFICATE"])
        #expect(revoked.value("staple_status_info", ["cert_status": "revoked"]) == 1)
        #expect(revoked.value("staple_tls_version_info", ["version": "TLSv1.2"]) == 1)

        let own = PrometheusText(try await HTTPGet.get("http://\(server.address)/metrics").body)
        #expect(own.value("staple_exporter_probes_total", ["outcome": "accepted"]) == 1)
        #expect(own.value("staple_exporter_probes_total", ["outcome": "rejected"]) == 2)
        #expect(own.value("staple_exporter_ocsp_fetches_total", ["result": "failed"]) == 1)
        #expect(own.value("staple_exporter_probe_duration_seconds_count") == 3)
        #expect(own.value("staple_exporter_probes_in_flight") == 0)
        #expect((own.value("process_open_fds") ?? 0) > 0)

        // docs/CONTRACT.md lists every metric name the exporter writes, and no other.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let contract = Markdown(
            path: "docs/CONTRACT.md",
            text: try String(contentsOf: root.appendingPathComponent("docs/CONTRACT.md"), encoding: .utf8)
        )
        let listed = Set(contract.tableRows(under: "Exporter metrics").map { $0[0] })
        let histogram = "staple_exporter_probe_duration_seconds"
        let written = Set(
            (good.samples + missing.samples + revoked.samples + own.samples).map { sample in
                sample.name.hasPrefix(histogram) ? histogram : sample.name
            }
        )
        #expect(written.subtracting(listed).isEmpty, "not in CONTRACT.md: \(written.subtracting(listed).sorted())")
        // The timeout's error and the fetch-duration gauge appear in other tests' probes.
        #expect(
            listed.subtracting(written).isSubset(of: ["staple_ocsp_fetch_duration_seconds"]),
            "listed but never written: \(listed.subtracting(written).sorted())"
        )
    }

    @Test("each probe is a first visit: a good staple probed before does not pass a tryLater one")
    func probesAreFirstVisits() async throws {
        let server = try await start()
        defer { Task { await server.shutdown() } }
        #expect(try await probe(server, "good").value("probe_success") == 1)
        let later = try await probe(server, "tryLater")
        #expect(later.value("probe_success") == 0)
        #expect(later.labels("staple_error", "error") == ["SEC_ERROR_OCSP_TRY_SERVER_LATER"])
        // and a policy that accepts a tryLater staple, asked for in the query, does
        let permissive = try await probe(server, "tryLater", extra: "&servername=localhost&policy=permissive")
        #expect(permissive.value("probe_success") == 1, "\(permissive.text)")
        // a trust store named by the configuration, never a path
        #expect(try await probe(server, "good", extra: "&servername=localhost&ca=fetchpki").value("probe_success") == 1)
    }

    @Test("refusals: 400 with the reason, 404, 405; counted by reason")
    func refusals() async throws {
        let server = try await start()
        defer { Task { await server.shutdown() } }
        let base = "http://\(server.address)"
        let port = servers["good"]!.port
        let cases: [(String, Int, String)] = [
            ("/probe?target=10.0.0.1:443", 400, "target '10.0.0.1:443' is not allowed by module 'default'"),
            ("/probe?target=localhost:\(port)", 400, "is not allowed"),
            ("/probe", 400, "no target"),
            ("/probe?target=", 400, "no target"),
            ("/probe?target=https://127.0.0.1/", 400, "HOST[:PORT] only, not a URL"),
            ("/probe?target=bad%20host", 400, "is not a host name"),
            ("/probe?target=127.0.0.1&module=nope", 400, "unknown module 'nope' (known: default)"),
            ("/probe?target=127.0.0.1&ca=/etc/passwd", 400, "unknown trust store '/etc/passwd' (known: fetchpki)"),
            ("/probe?target=127.0.0.1&policy=chrome", 400, "unknown policy 'chrome'"),
            ("/probe?target=127.0.0.1&timeout=3", 400, "unknown parameter 'timeout'"),
            ("/probe?target=127.0.0.1&target=127.0.0.2", 400, "'target' is given more than once"),
            ("/probe?target=127.0.0.1&servername=a..b", 400, "servername"),
            ("/nothing", 404, "no such page: /nothing"),
        ]
        for (path, status, message) in cases {
            let answer = try await HTTPGet.get(base + path)
            #expect(answer.status == status, "\(path)")
            #expect(answer.body.contains(message), "\(path): \(answer.body)")
        }
        let header = try await HTTPGet.get(
            base + "/probe?target=127.0.0.1:\(port)",
            headers: ["X-Prometheus-Scrape-Timeout-Seconds": "soon"]
        )
        #expect(header.status == 400)
        #expect(header.body.contains("X-Prometheus-Scrape-Timeout-Seconds: 'soon' is not a number"))
        let post = try await HTTPGet.get(base + "/probe?target=127.0.0.1:\(port)", method: "POST")
        #expect(post.status == 405)
        #expect(post.headers["allow"] == "GET, HEAD")
        let index = try await HTTPGet.get(base + "/")
        #expect(index.body.contains("/probe?target=HOST[:PORT]"))

        let own = PrometheusText(try await HTTPGet.get(base + "/metrics").body)
        #expect(own.value("staple_exporter_refused_probes_total", ["reason": "not_allowed"]) == 2)
        #expect(own.value("staple_exporter_refused_probes_total", ["reason": "bad_request"]) == 10)
        #expect(own.value("staple_exporter_probes_total", ["outcome": "accepted"]) == 0)
    }

    @Test("past max_concurrent_probes a probe gets 503; Prometheus's scrape timeout shortens a probe")
    func concurrencyAndTimeout() async throws {
        let server = try await start(maximumConcurrentProbes: 1, timeout: .seconds(30))
        defer { Task { await server.shutdown() } }
        let silent = servers["silent"]!.port
        let url = "http://\(server.address)/probe?target=127.0.0.1:\(silent)"
        let first = Task { try await HTTPGet.get(url, headers: ["X-Prometheus-Scrape-Timeout-Seconds": "2.5"]) }
        for _ in 0..<500 where server.exporter.probesInFlight == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.exporter.probesInFlight == 1)
        let busy = try await HTTPGet.get(url)
        #expect(busy.status == 503)
        #expect(busy.body.contains("1 probes are in flight already"))

        let answer = try await first.value
        let metrics = PrometheusText(answer.body)
        #expect(metrics.value("probe_success") == 0)
        #expect(
            Set(metrics.labels("staple_error", "error")).isSubset(of: ["handshakeTimeout", "probeTimeout"]),
            "\(metrics.text)"
        )
        // 2.5 s less blackbox_exporter's 0.5 s offset, not the module's 30 s; generous for a slow machine.
        #expect((metrics.value("probe_duration_seconds") ?? 99) < 15)
        let own = PrometheusText(try await HTTPGet.get("http://\(server.address)/metrics").body)
        #expect(own.value("staple_exporter_refused_probes_total", ["reason": "busy"]) == 1)
    }

    @Test("shutdown stops listening and waits for the probe in flight")
    func gracefulShutdown() async throws {
        let server = try await start(timeout: .seconds(2))
        let url = "http://\(server.address)/probe?target=127.0.0.1:\(servers["silent"]!.port)"
        let probe = Task { try await HTTPGet.get(url) }
        for _ in 0..<500 where server.exporter.probesInFlight == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.exporter.probesInFlight == 1)
        await server.shutdown(grace: .seconds(20))
        #expect(server.exporter.probesInFlight == 0)
        let answer = try await probe.value
        #expect(answer.status == 200)
        #expect(PrometheusText(answer.body).value("probe_success") == 0)
        #expect(!FreePort.waitUntilListening(server.port, timeout: 0.5), "nothing listens any more")
    }
}
