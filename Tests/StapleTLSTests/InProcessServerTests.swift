import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// The handler against an in-process OpenSSL server that staples any bytes, in TLS 1.2 and 1.3.
/// Every rejection is also checked on the server side: the alert it received, and that no
/// application data reached it (the client wrote some before the verdict).
final class InProcessServerTests: XCTestCase {
    typealias Version = InProcessTLSServer.TLSVersionPin

    struct Case {
        let name: String
        let identity: Fixtures.Identity
        let staple: InProcessTLSServer.Staple
        var policy: RevocationPolicy = .firefox
        /// The responder: none (no request can be sent, decided inside the handshake) or one whose
        /// every fetch fails (decided after the handshake, once the fetch answered).
        var fetchFails = false
        let expect: Expectation
    }

    /// A responder that is down: every fetch fails with HTTP 500, at once.
    struct FailingFetcher: OCSPFetcher {
        func fetch(_ request: OCSPFetchRequest) async -> OCSPFetchResult { .failed(.httpStatus(500)) }
    }

    enum Expectation {
        case accepted(stapleStatus: StaplingStatus)
        /// Refused inside the handshake: our error code, the engine's error name (nil: engine not
        /// involved) and the alert the server must have received.
        case rejectedInHandshake(TLSError.Code, engineError: String?, alert: UInt8?)
        /// The handshake completed, the verdict (after the fetch step) refused: close_notify, no data.
        case rejectedAfterHandshake(engineError: String)
    }

    static let garbage = Array("this is not an OCSP response".utf8)
    static let oneMiB = [UInt8](repeating: 0x30, count: 1 << 20)

    static let cases: [Case] = [
        Case(
            name: "must-staple, no staple",
            identity: Fixtures.mustStaple,
            staple: .none,
            expect: .rejectedInHandshake(
                .rejectedByPolicy,
                engineError: "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
                alert: 113
            )
        ),
        Case(
            name: "must-staple, good staple",
            identity: Fixtures.mustStaple,
            staple: .bytes(Fixtures.Staple.good.bytes),
            expect: .accepted(stapleStatus: .good)
        ),
        Case(
            name: "must-staple, good staple, strict",
            identity: Fixtures.mustStaple,
            staple: .bytes(Fixtures.Staple.good.bytes),
            policy: .strict,
            expect: .accepted(stapleStatus: .good)
        ),
        Case(
            name: "empty staple (OpenSSL 3.0 refuses it itself: internal_error)",
            identity: Fixtures.mustStaple,
            staple: .bytes([]),
            expect: .rejectedInHandshake(.stapleUnreadable, engineError: nil, alert: 80)
        ),
        Case(
            name: "garbage staple",
            identity: Fixtures.mustStaple,
            staple: .bytes(garbage),
            expect: .rejectedInHandshake(
                .rejectedByPolicy,
                engineError: "SEC_ERROR_OCSP_MALFORMED_RESPONSE",
                alert: 113
            )
        ),
        Case(
            name: "revoked staple",
            identity: Fixtures.mustStaple,
            staple: .bytes(Fixtures.Staple.revoked.bytes),
            expect: .rejectedInHandshake(.rejectedByPolicy, engineError: "SEC_ERROR_REVOKED_CERTIFICATE", alert: 113)
        ),
        Case(
            name: "tryLater staple, strict",
            identity: Fixtures.mustStaple,
            staple: .bytes(Fixtures.Staple.tryLater.bytes),
            policy: .strict,
            expect: .rejectedInHandshake(.rejectedByPolicy, engineError: "SEC_ERROR_OCSP_TRY_SERVER_LATER", alert: 113)
        ),
        // Firefox tolerates tryLater and falls back to a fetch; when it fails the staple's error stands.
        Case(
            name: "tryLater staple, firefox (fetch fails)",
            identity: Fixtures.mustStaple,
            staple: .bytes(Fixtures.Staple.tryLater.bytes),
            fetchFails: true,
            expect: .rejectedAfterHandshake(engineError: "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        ),
        // With no fetcher no request can be sent: the same verdict, known inside the handshake.
        Case(
            name: "tryLater staple, firefox (no fetcher)",
            identity: Fixtures.mustStaple,
            staple: .bytes(Fixtures.Staple.tryLater.bytes),
            expect: .rejectedInHandshake(.rejectedByPolicy, engineError: "SEC_ERROR_OCSP_TRY_SERVER_LATER", alert: 113)
        ),
        Case(
            name: "staple for another certificate, firefox2016",
            identity: Fixtures.mustStaple,
            staple: .bytes(Fixtures.Staple.plainGood.bytes),
            policy: .firefox2016,
            expect: .rejectedInHandshake(
                .rejectedByPolicy,
                engineError: "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING",
                alert: 113
            )
        ),
        Case(
            name: "expired staple, strict",
            identity: Fixtures.mustStaple,
            staple: .bytes(Fixtures.Staple.expired.bytes),
            policy: .strict,
            expect: .rejectedInHandshake(.rejectedByPolicy, engineError: "SEC_ERROR_OCSP_OLD_RESPONSE", alert: 113)
        ),
        Case(
            name: "plain certificate, no staple, firefox (soft-fail)",
            identity: Fixtures.plain,
            staple: .none,
            expect: .accepted(stapleStatus: .none)
        ),
        Case(
            name: "plain certificate, no staple, fetch=hard",
            identity: Fixtures.plain,
            staple: .none,
            policy: {
                var p = RevocationPolicy.firefox
                p.fetch = .hard
                return p
            }(),
            fetchFails: true,
            expect: .rejectedAfterHandshake(engineError: "SEC_ERROR_OCSP_SERVER_ERROR")
        ),
        Case(
            name: "plain certificate, good staple",
            identity: Fixtures.plain,
            staple: .bytes(Fixtures.Staple.plainGood.bytes),
            expect: .accepted(stapleStatus: .good)
        ),
        Case(
            name: "TLS Feature missing under a must-staple CA (chain rule: bad_certificate)",
            identity: Fixtures.featureMissing,
            staple: .none,
            expect: .rejectedInHandshake(
                .rejectedByPolicy,
                engineError: "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
                alert: 42
            )
        ),
    ]

    func testStapleMatrixInTLS12AndTLS13() async throws {
        for version in Version.allCases {
            for c in Self.cases {
                try await check(c, version: version)
            }
        }
    }

    func check(_ c: Case, version: Version, file: StaticString = #filePath, line: UInt = #line) async throws {
        let label = "\(c.name) [\(version)]"
        let server = try InProcessTLSServer(.tls(c.identity, staple: c.staple, version: version))
        defer { server.stop() }
        var configuration = TestClient.configuration(policy: c.policy, version: version)
        if c.fetchFails { configuration.fetcher = FailingFetcher() }
        let outcome = try await TestClient.run(port: server.port, configuration: configuration)
        let record = try XCTUnwrap(
            server.waitForConnections(1).first,
            "\(label): the server saw no connection",
            file: file,
            line: line
        )
        switch c.expect {
        case .accepted(let stapleStatus):
            XCTAssertNil(
                outcome.error,
                "\(label): \(outcome.error.map(String.init(describing:)) ?? "")",
                file: file,
                line: line
            )
            let report = try XCTUnwrap(outcome.report, label, file: file, line: line)
            XCTAssertEqual(report.tlsVersion, version.description, label, file: file, line: line)
            XCTAssertEqual(report.verdict?.isAccepted, true, label, file: file, line: line)
            XCTAssertEqual(report.verdict?.staple.status, stapleStatus, label, file: file, line: line)
            XCTAssertTrue(report.chainVerified, label, file: file, line: line)
            XCTAssertEqual(report.chain.count, 3, label, file: file, line: line)
            // Application data both ways, then close_notify.
            XCTAssertEqual(outcome.earlyWriteSucceeded, true, label, file: file, line: line)
            XCTAssertTrue(
                outcome.received.hasPrefix("hello\n"),
                "\(label): \(outcome.received)",
                file: file,
                line: line
            )
            XCTAssertTrue(outcome.received.contains("echo:\(TestClient.earlyData)"), label, file: file, line: line)
            XCTAssertEqual(
                String(decoding: record.applicationData, as: UTF8.self),
                TestClient.earlyData,
                label,
                file: file,
                line: line
            )
            XCTAssertTrue(
                record.closeNotifyReceived,
                "\(label): the server got no close_notify",
                file: file,
                line: line
            )
            XCTAssertEqual(record.serverName, "localhost", label, file: file, line: line)
            XCTAssertEqual(record.alertsReceived, [0], "\(label): only close_notify", file: file, line: line)
        case .rejectedInHandshake(let code, let engineError, let alert):
            let error = try XCTUnwrap(outcome.error, "\(label): not rejected", file: file, line: line)
            XCTAssertEqual(error.code, code, "\(label): \(error)", file: file, line: line)
            XCTAssertEqual(error.verdict?.error?.code.name, engineError, label, file: file, line: line)
            XCTAssertNil(outcome.report, label, file: file, line: line)
            XCTAssertEqual(
                outcome.earlyWriteSucceeded,
                false,
                "\(label): the held write must fail",
                file: file,
                line: line
            )
            XCTAssertEqual(outcome.received, "", label, file: file, line: line)
            // Server side.
            XCTAssertFalse(record.handshakeCompleted, label, file: file, line: line)
            XCTAssertEqual(
                record.applicationData,
                [],
                "\(label): application data reached the server",
                file: file,
                line: line
            )
            if let alert {
                XCTAssertEqual(
                    record.alertsReceived,
                    [alert],
                    "\(label): alerts the server received",
                    file: file,
                    line: line
                )
                XCTAssertEqual(error.alertSent?.code, alert, label, file: file, line: line)
            }
        case .rejectedAfterHandshake(let engineError):
            let error = try XCTUnwrap(outcome.error, "\(label): not rejected", file: file, line: line)
            XCTAssertEqual(error.code, .rejectedByPolicy, "\(label): \(error)", file: file, line: line)
            XCTAssertEqual(error.verdict?.error?.code.name, engineError, label, file: file, line: line)
            XCTAssertEqual(
                outcome.earlyWriteSucceeded,
                false,
                "\(label): the held write must fail",
                file: file,
                line: line
            )
            XCTAssertEqual(
                outcome.received,
                "",
                "\(label): no application data may be delivered",
                file: file,
                line: line
            )
            // Server side: the handshake completed, then close_notify and nothing else.
            XCTAssertTrue(record.handshakeCompleted, label, file: file, line: line)
            XCTAssertEqual(
                record.applicationData,
                [],
                "\(label): application data reached the server",
                file: file,
                line: line
            )
            XCTAssertTrue(record.closeNotifyReceived, label, file: file, line: line)
        }
    }

    /// The 1 MiB staple. TLS 1.2: larger than OpenSSL accepts in a CertificateStatus (16 KiB); it
    /// refuses the message before any callback (illegal_parameter). TLS 1.3: the staple travels in
    /// an extension, whose length is 16 bits — the OpenSSL server cannot even send it and aborts
    /// with internal_error.
    func testOneMebibyteStaple() async throws {
        for version in Version.allCases {
            let server = try InProcessTLSServer(
                .tls(Fixtures.mustStaple, staple: .bytes(Self.oneMiB), version: version)
            )
            defer { server.stop() }
            let outcome = try await TestClient.run(
                port: server.port,
                configuration: TestClient.configuration(version: version)
            )
            let error = try XCTUnwrap(outcome.error, "\(version)")
            XCTAssertEqual(outcome.earlyWriteSucceeded, false)
            let record = try XCTUnwrap(server.waitForConnections(1).first)
            XCTAssertFalse(record.handshakeCompleted)
            XCTAssertEqual(record.applicationData, [])
            switch version {
            case .tls12:
                XCTAssertEqual(error.code, .stapleUnreadable, "\(error)")
                XCTAssertTrue(error.reason.contains("larger than OpenSSL accepts"), error.reason)
                XCTAssertEqual(error.alertSent, .illegalParameter)
            case .tls13:
                XCTAssertEqual(error.code, .protocolError, "\(error)")
                XCTAssertEqual(error.alertReceived, .internalError, "\(error)")
                XCTAssertNotNil(record.acceptError)
            }
        }
    }

    /// Without status_request (Firefox with stapling off does not send it) the whole verification
    /// runs in the verify callback: a must-staple certificate fails there with bad_certificate.
    func testWithoutStatusRequestTheVerifyCallbackDecides() async throws {
        for version in Version.allCases {
            let server = try InProcessTLSServer(
                .tls(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.good.bytes), version: version)
            )
            defer { server.stop() }
            var configuration = TestClient.configuration(version: version)
            configuration.requestStaple = false
            let outcome = try await TestClient.run(port: server.port, configuration: configuration)
            let error = try XCTUnwrap(outcome.error, "\(version)")
            XCTAssertEqual(error.code, .rejectedByPolicy)
            XCTAssertEqual(error.verdict?.error?.code, .requiredTLSFeatureMissing)
            XCTAssertEqual(error.handshake?.staple.requested, false)
            let record = try XCTUnwrap(server.waitForConnections(1).first)
            XCTAssertEqual(record.alertsReceived, [42], "\(version)")
            XCTAssertEqual(record.applicationData, [])

            // And with stapling off in the policy too (Firefox's pref turns must-staple off), accepted.
            let server2 = try InProcessTLSServer(.tls(Fixtures.mustStaple, staple: .none, version: version))
            defer { server2.stop() }
            var off = TestClient.configuration(
                policy: {
                    var p = RevocationPolicy.firefox
                    p.stapling = false
                    return p
                }(),
                version: version
            )
            off.requestStaple = false
            let accepted = try await TestClient.run(port: server2.port, configuration: off)
            XCTAssertNil(accepted.error, "\(version)")
            XCTAssertEqual(accepted.report?.verdict?.staple.status, .notChecked)
        }
    }

    /// An IP address target: no SNI (RFC 6066 §3), the certificate's IP SAN is verified.
    func testIPAddressTargetSendsNoSNIAndVerifiesTheIPAddress() async throws {
        let server = try InProcessTLSServer(
            .tls(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.good.bytes), version: .tls13)
        )
        defer { server.stop() }
        let outcome = try await TestClient.run(
            port: server.port,
            configuration: TestClient.configuration(),
            serverName: "127.0.0.1"
        )
        XCTAssertNil(outcome.error)
        XCTAssertEqual(server.waitForConnections(1).first?.serverName, nil)
    }
}
