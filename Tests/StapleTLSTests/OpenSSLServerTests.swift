import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// Against a real `openssl s_server -status_file` on loopback, TLS 1.2 and 1.3. The server's own
/// output is the server-side evidence: "SSL alert number 113" for a rejection, and the
/// application data it printed (none on a rejection).
final class OpenSSLServerTests: XCTestCase {
    typealias Version = InProcessTLSServer.TLSVersionPin

    func testMustStapleWithGoodStapleIsAcceptedAndDataReachesTheServer() async throws {
        let server = try OpenSSLServer.start(Fixtures.mustStaple, staple: .good)
        defer { server.stop() }
        for version in Version.allCases {
            let outcome = try await TestClient.run(
                port: server.port,
                configuration: TestClient.configuration(version: version),
                closeOnAccept: true
            )
            XCTAssertNil(outcome.error, "\(version): \(String(describing: outcome.error))")
            XCTAssertEqual(outcome.report?.tlsVersion, version.description)
            XCTAssertEqual(outcome.report?.verdict?.staple.status, .good)
            XCTAssertEqual(outcome.report?.verdict?.mustStaple.applied, true)
            XCTAssertEqual(outcome.earlyWriteSucceeded, true)
        }
        XCTAssertTrue(
            server.waitForLog(TestClient.earlyData, count: 2),
            "s_server did not print the application data:\n\(server.log)"
        )
    }

    func testMustStapleWithoutStapleIsRejectedWithAlert113() async throws {
        let server = try OpenSSLServer.start(Fixtures.mustStaple, staple: nil)
        defer { server.stop() }
        for version in Version.allCases {
            let outcome = try await TestClient.run(
                port: server.port,
                configuration: TestClient.configuration(version: version)
            )
            XCTAssertEqual(outcome.error?.code, .rejectedByPolicy, "\(version)")
            XCTAssertEqual(outcome.error?.verdict?.error?.code.name, "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING")
            XCTAssertEqual(outcome.error?.alertSent, .badCertificateStatusResponse)
            XCTAssertEqual(outcome.earlyWriteSucceeded, false)
        }
        XCTAssertTrue(server.waitForLog("SSL alert number 113", count: 2), "one alert per version:\n\(server.log)")
        XCTAssertFalse(server.log.contains(TestClient.earlyData), "application data reached s_server:\n\(server.log)")
    }

    func testRevokedAndTryLaterStaplesAreRejectedWithAlert113() async throws {
        for (staple, policy, expected) in [
            (Fixtures.Staple.revoked, RevocationPolicy.firefox, "SEC_ERROR_REVOKED_CERTIFICATE"),
            (.tryLater, .strict, "SEC_ERROR_OCSP_TRY_SERVER_LATER"),
        ] {
            let server = try OpenSSLServer.start(Fixtures.mustStaple, staple: staple)
            defer { server.stop() }
            for version in Version.allCases {
                let outcome = try await TestClient.run(
                    port: server.port,
                    configuration: TestClient.configuration(policy: policy, version: version)
                )
                XCTAssertEqual(outcome.error?.verdict?.error?.code.name, expected, "\(staple) \(version)")
                XCTAssertEqual(outcome.report?.verdict, nil)
            }
            XCTAssertTrue(server.waitForLog("SSL alert number 113"), server.log)
            XCTAssertFalse(server.log.contains(TestClient.earlyData), server.log)
        }
    }

    /// `staple get` over s_server -www: the status page comes back, in both versions.
    func testStapleGetReturnsTheServersPage() async throws {
        let server = try OpenSSLServer.start(Fixtures.mustStaple, staple: .good, www: true)
        defer { server.stop() }
        for version in ["1.2", "1.3"] {
            let result = try await StapleCLI.run(
                ["get", "https://localhost:\(server.port)/"] + StapleCLI.pinned + ["--tls", version]
            )
            XCTAssertEqual(result.exitCode, 0, "\(version): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("s_server"), result.stdout)
            XCTAssertTrue(result.stdout.contains(version == "1.2" ? "TLSv1.2" : "TLSv1.3"), result.stdout)
        }
    }
}
