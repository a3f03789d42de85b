import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// Against nginx with `ssl_stapling on; ssl_stapling_file` on loopback, through the CLI, in TLS
/// 1.2 and 1.3. nginx's error log (level info) shows the alert it received; its access log shows
/// whether any request reached it.
final class NginxTests: XCTestCase {
    func testMustStapleWithoutStapleIsRejectedAndNoRequestReachesNginx() async throws {
        let nginx = try NginxServer.start(Fixtures.mustStaple, staple: nil)
        defer { nginx.stop() }
        for version in ["1.2", "1.3"] {
            let check = try await StapleCLI.run(
                ["check", "localhost:\(nginx.port)", "--tls", version, "--json"] + StapleCLI.pinned
            )
            XCTAssertEqual(check.exitCode, 1, "\(version): \(check.stdout)\(check.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
            let verify = report?["verify"] as? [String: Any]
            XCTAssertEqual(
                (verify?["error"] as? [String: Any])?["name"] as? String,
                "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
            )

            // staple get: nothing on stdout, the verdict on stderr, no request sent.
            let get = try await StapleCLI.run(
                ["get", "https://localhost:\(nginx.port)/", "--tls", version, "--policy", "firefox"] + StapleCLI.pinned
            )
            XCTAssertEqual(get.exitCode, 1, get.stderr)
            XCTAssertEqual(get.stdout, "")
            XCTAssertTrue(get.stderr.contains("MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"), get.stderr)
            // The OCSP fetch comes first (revocation before must-staple), then the refusal.
            XCTAssertTrue(get.stderr.contains("ocsp fetch"), get.stderr)
        }
        XCTAssertEqual(nginx.file("access.log"), "", "a request reached nginx")
    }

    func testGoodStapleIsAcceptedAndStapleGetReturnsTheNginxPage() async throws {
        let nginx = try NginxServer.start(Fixtures.mustStaple, staple: .good)
        defer { nginx.stop() }
        for version in ["1.2", "1.3"] {
            let get = try await StapleCLI.run(
                ["get", "https://localhost:\(nginx.port)/", "--tls", version] + StapleCLI.pinned
            )
            XCTAssertEqual(get.exitCode, 0, "\(version): \(get.stderr)")
            XCTAssertEqual(get.stdout, NginxServer.page)
            XCTAssertEqual(get.stderr, "")
        }
        XCTAssertTrue(nginx.waitForLog("\"GET / HTTP/1.1\" 200", count: 2, in: "access.log"), nginx.file("access.log"))
    }

    func testCheckReportsALPNAndTheStaple() async throws {
        let nginx = try NginxServer.start(Fixtures.mustStaple, staple: .good)
        defer { nginx.stop() }
        for version in InProcessTLSServer.TLSVersionPin.allCases {
            var configuration = TestClient.configuration(policy: .strict, version: version)
            configuration.applicationProtocols = ["http/1.1"]
            let report = try await EndpointChecker(configuration: configuration).check(
                Endpoint(host: "localhost", port: nginx.port)
            )
            XCTAssertEqual(report.outcome, .accepted, "\(String(describing: report.error))")
            XCTAssertEqual(report.connection.alpn, "http/1.1")
            XCTAssertEqual(report.connection.tlsVersion, version.description)
            XCTAssertEqual(report.verify?.staple.status, .good)
            XCTAssertEqual(report.verify?.staple.result?.name, "SUCCESS")
        }
    }

    /// A revoked staple from nginx: rejected in the handshake, nginx logs alert 113.
    func testRevokedStapleFromNginx() async throws {
        let nginx = try NginxServer.start(Fixtures.mustStaple, staple: .revoked)
        defer { nginx.stop() }
        for version in ["1.2", "1.3"] {
            let check = try await StapleCLI.run(
                ["check", "https://localhost:\(nginx.port)/", "--tls", version] + StapleCLI.pinned
            )
            XCTAssertEqual(check.exitCode, 1, check.stdout)
            XCTAssertTrue(check.stdout.contains("SEC_ERROR_REVOKED_CERTIFICATE"), check.stdout)
        }
        XCTAssertTrue(nginx.waitForLog("SSL alert number 113", count: 2, in: "error.log"), nginx.file("error.log"))
        XCTAssertEqual(nginx.file("access.log"), "")
    }
}
