import NIOCore
import NIOPosix
import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// Each failure a clear, distinct error with its exit code: through the async API
/// (``EndpointChecker``) against the in-process server, in TLS 1.2 and 1.3.
final class ConnectionErrorTests: XCTestCase {
    typealias Version = InProcessTLSServer.TLSVersionPin

    func checker(_ configuration: TLSClientConfiguration) throws -> EndpointChecker {
        try EndpointChecker(configuration: configuration)
    }

    func check(
        port: Int,
        serverName: String = "localhost",
        _ configuration: TLSClientConfiguration
    ) async throws -> ConnectionReport {
        try await checker(configuration).check(Endpoint(host: "127.0.0.1", port: port), serverName: serverName)
    }

    func testAcceptedReportCarriesTheConnectionFacts() async throws {
        for version in Version.allCases {
            let server = try InProcessTLSServer(
                .tls(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.good.bytes), version: version)
            )
            defer { server.stop() }
            let report = try await check(port: server.port, TestClient.configuration(version: version))
            XCTAssertEqual(report.outcome, .accepted, "\(report.error.map(String.init(describing:)) ?? "")")
            XCTAssertEqual(report.exitCode, 0)
            XCTAssertEqual(report.connection.tlsVersion, version.description)
            XCTAssertNotNil(report.connection.cipher)
            XCTAssertEqual(report.connection.address, "127.0.0.1:\(server.port)")
            XCTAssertEqual(report.connection.serverName, "localhost")
            XCTAssertEqual(
                report.connection.chain.map(\.shortName),
                ["localhost", "Test Intermediate CA", "Test Root CA"]
            )
            XCTAssertEqual(report.connection.chain.first?.mustStaple, true)
            XCTAssertEqual(report.connection.staple?.present, true)
            XCTAssertEqual(report.connection.staple?.size, Fixtures.Staple.good.bytes.count)
            XCTAssertEqual(report.connection.verificationTime, Fixtures.t0)
            XCTAssertEqual(report.verify?.staple.status, .good)
            XCTAssertEqual(report.verify?.time, Fixtures.t0)
            XCTAssertNotNil(report.timings.connectMs)
            XCTAssertNotNil(report.timings.handshakeMs)
            XCTAssertNotNil(report.timings.verificationMs)
            // The check closes with close_notify.
            XCTAssertEqual(server.waitForConnections(1).first?.closeNotifyReceived, true)
        }
    }

    func testWrongHostname() async throws {
        for version in Version.allCases {
            let server = try InProcessTLSServer(
                .tls(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.good.bytes), version: version)
            )
            defer { server.stop() }
            let report = try await check(
                port: server.port,
                serverName: "wrong.example",
                TestClient.configuration(version: version)
            )
            XCTAssertEqual(report.error?.code, .hostnameMismatch, "\(version): \(String(describing: report.error))")
            XCTAssertEqual(report.exitCode, 1)
            XCTAssertEqual(report.outcome, .rejected)
            XCTAssertTrue(report.error?.reason.contains("'wrong.example'") ?? false)
            XCTAssertEqual(report.error?.verifyResult, 62)  // X509_V_ERR_HOSTNAME_MISMATCH
            // The name is checked after the verdict (firefox-policy §1.4): the engine ran and accepted.
            XCTAssertEqual(report.verify?.isAccepted, true, "\(version)")
            let record = try XCTUnwrap(server.waitForConnections(1).first)
            // Refused in the status callback, whose only refusal is alert 113.
            XCTAssertEqual(record.alertsReceived, [113], "\(version)")
            XCTAssertEqual(record.applicationData, [])
        }
    }

    /// Firefox checks revocation and must-staple before the host name (firefox-policy §1.4): a
    /// must-staple certificate without a staple, under the wrong name, fails with the must-staple
    /// error; with the right name and a good staple it is accepted, so the name alone decides.
    func testVerdictBeforeHostname() async throws {
        for version in Version.allCases {
            let server = try InProcessTLSServer(.tls(Fixtures.mustStaple, staple: .none, version: version))
            defer { server.stop() }
            let report = try await check(
                port: server.port,
                serverName: "wrong.example",
                TestClient.configuration(version: version)
            )
            XCTAssertEqual(report.error?.code, .rejectedByPolicy, "\(version): \(String(describing: report.error))")
            XCTAssertEqual(report.verify?.error?.code, .requiredTLSFeatureMissing, "\(version)")
            XCTAssertEqual(server.waitForConnections(1).first?.applicationData, [])
        }
    }

    /// Without status_request the whole verification runs in the verify callback; the name still
    /// comes after it, and OpenSSL's own alert for a wrong name (42) is sent.
    func testWrongHostnameWithoutStatusRequest() async throws {
        let server = try InProcessTLSServer(.tls(Fixtures.plain, staple: .none, version: .tls13))
        defer { server.stop() }
        var configuration = TestClient.configuration(version: .tls13)
        configuration.requestStaple = false
        let report = try await check(port: server.port, serverName: "wrong.example", configuration)
        XCTAssertEqual(report.error?.code, .hostnameMismatch, "\(String(describing: report.error))")
        XCTAssertEqual(report.verify?.isAccepted, true)
        XCTAssertEqual(server.waitForConnections(1).first?.alertsReceived, [42])
    }

    func testUntrustedRoot() async throws {
        for version in Version.allCases {
            let server = try InProcessTLSServer(
                .tls(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.good.bytes), version: version)
            )
            defer { server.stop() }
            let report = try await check(
                port: server.port,
                TestClient.configuration(version: version, trust: Fixtures.otherRoot)
            )
            XCTAssertEqual(report.error?.code, .untrustedRoot, "\(version): \(String(describing: report.error))")
            XCTAssertEqual(report.exitCode, 1)
            XCTAssertEqual(report.error?.verifyResult, 20)  // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
            XCTAssertTrue(report.error?.reason.contains("unable to get local issuer certificate") ?? false)
            XCTAssertFalse(report.connection.chainVerified)
            XCTAssertEqual(report.connection.chain.first?.shortName, "localhost", "the chain as sent is reported")
            let record = try XCTUnwrap(server.waitForConnections(1).first)
            XCTAssertEqual(record.alertsReceived, [48], "\(version): unknown_ca")
            XCTAssertEqual(record.applicationData, [])
        }
    }

    func testExpiredCertificate() async throws {
        for version in Version.allCases {
            let server = try InProcessTLSServer(.tls(Fixtures.expired, staple: .none, version: version))
            defer { server.stop() }
            let report = try await check(port: server.port, TestClient.configuration(version: version))
            XCTAssertEqual(report.error?.code, .certificateExpired, "\(version): \(String(describing: report.error))")
            XCTAssertEqual(report.exitCode, 1)
            XCTAssertTrue(report.error?.reason.contains("depth 0") ?? false, report.error?.reason ?? "")
            XCTAssertTrue(report.error?.reason.contains("2026-06-01T12:00:00Z") ?? false, report.error?.reason ?? "")
            let record = try XCTUnwrap(server.waitForConnections(1).first)
            XCTAssertEqual(record.alertsReceived, [45], "\(version): certificate_expired")
        }
    }

    func testServerClosingMidHandshake() async throws {
        let server = try InProcessTLSServer(.closeAfterClientHello)
        defer { server.stop() }
        let report = try await check(port: server.port, TestClient.configuration())
        XCTAssertEqual(report.error?.code, .connectionClosedDuringHandshake, "\(String(describing: report.error))")
        XCTAssertEqual(report.exitCode, 3)
        XCTAssertEqual(report.outcome, .failed)
    }

    func testServerThatNeverAnswersTimesOut() async throws {
        let server = try InProcessTLSServer(.neverAnswer)
        defer { server.stop() }
        var configuration = TestClient.configuration()
        configuration.handshakeTimeout = .milliseconds(300)
        let started = ContinuousClock.now
        let report = try await check(port: server.port, configuration)
        XCTAssertEqual(report.error?.code, .handshakeTimeout, "\(String(describing: report.error))")
        XCTAssertEqual(report.exitCode, 3)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
    }

    /// After an accepted handshake, a TCP close without close_notify is reported (truncation).
    func testUncleanShutdownAfterTheHandshake() async throws {
        let server = try InProcessTLSServer(
            .tlsThenDrop(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.good.bytes))
        )
        defer { server.stop() }
        let outcome = try await TestClient.run(port: server.port, configuration: TestClient.configuration())
        XCTAssertNotNil(outcome.report, "the handshake was accepted")
        XCTAssertEqual(outcome.received, "hello\n")
        XCTAssertEqual(outcome.error?.code, .uncleanShutdown, "\(String(describing: outcome.error))")
    }

    func testConnectionRefused() async throws {
        let port = try FreePort.pick()  // nothing listens there
        let report = try await check(port: port, TestClient.configuration())
        XCTAssertEqual(report.error?.code, .connectionRefused, "\(String(describing: report.error))")
        XCTAssertEqual(report.exitCode, 3)
        XCTAssertNil(report.connection.address)
    }

    func testUnreadableCAFileIsAConfigurationError() throws {
        XCTAssertThrowsError(
            try StapleTLSContext(configuration: TLSClientConfiguration(trustRoots: .pemFile("/nonexistent/ca.pem")))
        ) { error in
            XCTAssertEqual((error as? TLSError)?.code, .invalidConfiguration)
            XCTAssertEqual((error as? TLSError)?.code.category.exitCode, 2)
        }
        XCTAssertThrowsError(
            try StapleTLSContext(
                configuration: TLSClientConfiguration(trustRoots: .pemFile(Fixtures.path("not-a-certificate.txt")))
            )
        ) { error in
            XCTAssertTrue((error as? TLSError)?.reason.contains("no PEM CERTIFICATE") ?? false, "\(error)")
        }
    }

    /// Every code is distinct and has a stable name.
    func testErrorCodesAreDistinct() {
        XCTAssertEqual(Set(TLSError.Code.all.map(\.name)).count, TLSError.Code.all.count)
        XCTAssertEqual(Set(TLSError.Code.all).count, TLSError.Code.all.count)
    }
}
