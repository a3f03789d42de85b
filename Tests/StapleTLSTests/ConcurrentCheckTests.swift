@testable import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// `EndpointChecker.check(_:concurrency:)` with many targets at once: one shared OpenSSL context and
/// one shared engine (its OCSP cache and verdict cache) across event loops — what the thread
/// sanitizer run (`swift test --sanitize=thread`, see docs/TESTING.md) exercises — and the bound on
/// checks in flight.
final class ConcurrentCheckTests: XCTestCase {
    /// 48 targets over four servers, 12 at a time: a Good staple (must-staple certificate), no
    /// staple (plain certificate, soft-fail), a Revoked staple (must-staple certificate), an expired
    /// certificate. Every report comes in the order given, with its own outcome. The shared OCSP
    /// cache then answers for the must-staple certificate: its Revoked staple is sticky (firefox-policy §2.4), so
    /// a later connection without a staple is refused as revoked, not as missing a staple.
    func testManyTargetsShareOneContextAndOneEngine() async throws {
        let servers = try [
            (Fixtures.mustStaple, Fixtures.Staple.good), (Fixtures.plain, nil), (Fixtures.mustStaple, .revoked),
            (Fixtures.expired, nil),
        ]
        .map { identity, staple in
            try InProcessTLSServer(.tls(identity, staple: staple.map { .bytes($0.bytes) } ?? .none, version: .tls13))
        }
        defer { servers.forEach { $0.stop() } }
        let checker = try EndpointChecker(configuration: TestClient.configuration())
        let targets = (0..<48).map { i in
            (
                endpoint: Endpoint(host: "127.0.0.1", port: servers[i % 4].port), serverName: Optional("localhost"),
                target: "target-\(i)"
            )
        }
        // The browser-like shared cache: every target and the checker's later checks use one.
        let reports = await checker.check(targets, concurrency: 12, cache: .shared)
        XCTAssertEqual(reports.map(\.target), targets.map(\.target), "reports in the order given")
        for (i, report) in reports.enumerated() {
            switch i % 4 {
            case 0:
                XCTAssertEqual(report.outcome, .accepted, "\(report.target): \(String(describing: report.error))")
                XCTAssertEqual(report.verify?.staple.status, .good)
            case 1:
                XCTAssertEqual(report.outcome, .accepted, "\(report.target): \(String(describing: report.error))")
                XCTAssertEqual(report.verify?.staple.status, StaplingStatus.none)
            case 2:
                XCTAssertEqual(report.error?.verdict?.error?.code, .revokedCertificate, "\(report.target)")
            default:
                XCTAssertEqual(report.error?.code, .certificateExpired, "\(report.target)")
            }
        }
        XCTAssertEqual(servers.map { $0.waitForConnections(12).count }, [12, 12, 12, 12])

        let noStaple = try InProcessTLSServer(.tls(Fixtures.mustStaple, staple: .none, version: .tls13))
        defer { noStaple.stop() }
        let later = await checker.check(Endpoint(host: "127.0.0.1", port: noStaple.port), serverName: "localhost")
        XCTAssertEqual(
            later.error?.verdict?.error?.code,
            .revokedCertificate,
            "the cached Revoked answer: \(String(describing: later.error))"
        )
    }

    /// The concurrency asked for is bounded by ``EndpointChecker/maximumConcurrency`` and by the
    /// descriptors left (two per check, 32 kept back).
    func testConcurrencyLimit() {
        XCTAssertEqual(EndpointChecker.maximumConcurrency, 10_000)
        XCTAssertEqual(EndpointChecker.concurrencyLimit(8, openFileLimit: 1024, openDescriptors: 40), 8)
        XCTAssertEqual(EndpointChecker.concurrencyLimit(0, openFileLimit: 1024, openDescriptors: 40), 1)
        XCTAssertEqual(EndpointChecker.concurrencyLimit(10_000, openFileLimit: 1024, openDescriptors: 40), 476)
        XCTAssertEqual(EndpointChecker.concurrencyLimit(50_000, openFileLimit: 1 << 20, openDescriptors: 40), 10_000)
        XCTAssertEqual(EndpointChecker.concurrencyLimit(10, openFileLimit: 60, openDescriptors: 40), 1)
        XCTAssertGreaterThan(EndpointChecker.openDescriptors, 2)
    }

    /// With 232 descriptors left under a lowered open-file limit, "10,000 at a time" over 300
    /// targets that never answer (a 1 s handshake timeout): at most (232 − 32) / 2 = 100 live
    /// OpenSSL connections at once, and every target ends with handshakeTimeout — none with a
    /// connect failure for lack of descriptors. (The in-process server holds the other end of each
    /// connection in this same process, taking the descriptors a fetch would otherwise use.)
    func testConcurrencyStaysUnderTheOpenFileLimit() async throws {
        let server = try InProcessTLSServer(.neverAnswer)
        defer { server.stop() }
        var original = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &original), 0)
        var lowered = original
        lowered.rlim_cur = rlim_t(EndpointChecker.openDescriptors + 232)
        XCTAssertEqual(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &lowered), 0)
        defer { _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &original) }
        XCTAssertEqual(EndpointChecker.concurrencyLimit(10_000), 100)

        var configuration = TestClient.configuration()
        configuration.handshakeTimeout = .seconds(1)
        let checker = try EndpointChecker(configuration: configuration)
        let baseline = LiveObjects.connections.load(ordering: .relaxed)
        let sampler = Task {
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, LiveObjects.connections.load(ordering: .relaxed) - baseline)
                try? await Task.sleep(for: .milliseconds(5))
            }
            return peak
        }
        let targets = (0..<300).map { i in
            (
                endpoint: Endpoint(host: "127.0.0.1", port: server.port), serverName: Optional("localhost"),
                target: "t\(i)"
            )
        }
        let started = ContinuousClock.now
        let reports = await checker.check(targets, concurrency: 10_000)
        sampler.cancel()
        let peak = await sampler.value
        XCTAssertEqual(reports.count, 300)
        XCTAssertEqual(
            Set(reports.map { $0.error?.code }),
            [.handshakeTimeout],
            "\(Set(reports.compactMap { $0.error?.description }).prefix(3))"
        )
        XCTAssertLessThanOrEqual(peak, 100)
        XCTAssertGreaterThan(peak, 8, "the checks did run concurrently")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(20))
    }

    /// The command line refuses more than ``EndpointChecker/maximumConcurrency``.
    func testConcurrencyOptionIsBounded() async throws {
        let result = try await StapleCLI.run(["check", "localhost:1", "--concurrency", "10001"])
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertTrue(result.stderr.contains("--concurrency takes a number in 1…10000"), result.stderr)
    }
}
