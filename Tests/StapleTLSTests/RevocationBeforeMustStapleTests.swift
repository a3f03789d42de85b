import Foundation
import StapleForge
import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// A must-staple certificate served without a staple: no answer could save the connection, but
/// the error is the one Firefox reports, which needs the fetch — Firefox checks revocation before
/// must-staple (firefox-policy §1.4, §9). A Revoked answer names the rejection; any other answer
/// leaves the missing staple's error. The trace tells of the request only once it was made, and
/// no application byte is sent. Real handshakes (in-process OpenSSL server, no staple) against a
/// loopback responder, in both TLS versions; pinned at T0.
final class RevocationBeforeMustStapleTests: XCTestCase {
    var responder: TestOCSPResponder!
    var pki: FetchPKI!
    var leaf: FetchPKI.Leaf!

    override func setUpWithError() throws {
        responder = try TestOCSPResponder()
        pki = try FetchPKI()
        leaf = try pki.leaf("must", serial: [0x61, 0x01], ocspURL: responder.url, mustStaple: true)
    }

    override func tearDown() {
        responder.stop()
        pki.remove()
    }

    func answer(_ status: ResponseForge.Status) -> TestOCSPResponder.Behavior {
        let t0 = Int64(Fixtures.t0.timeIntervalSince1970)
        return .ocsp(
            pki.pki.response(for: leaf.der, status: status, thisUpdate: t0 - 60, nextUpdate: t0 + 86_400).der()
        )
    }

    /// One connection with a fresh cache, the responder answering `behavior` once.
    func check(
        _ behavior: TestOCSPResponder.Behavior,
        _ version: InProcessTLSServer.TLSVersionPin
    ) async throws
        -> ConnectionReport
    {
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: version))
        defer { server.stop() }
        responder.resetRequests()
        responder.script([behavior])
        let checker = try EndpointChecker(configuration: pki.configuration())
        let report = await checker.check(Endpoint(host: "127.0.0.1", port: server.port), serverName: "localhost")
        XCTAssertEqual(server.waitForConnections(1).map(\.applicationData), [[]], "no application byte")
        return report
    }

    func testRevokedAnswerNamesTheRejection() async throws {
        for version in [InProcessTLSServer.TLSVersionPin.tls12, .tls13] {
            let t0 = Int64(Fixtures.t0.timeIntervalSince1970)
            let report = try await check(answer(.revoked(at: t0 - 86_400)), version)
            XCTAssertEqual(report.error?.code, .rejectedByPolicy, "\(version)")
            XCTAssertEqual(report.verify?.error?.code.name, "SEC_ERROR_REVOKED_CERTIFICATE", "\(version)")
            XCTAssertEqual(responder.requests.count, 1, "\(version): the fetch was made")
            XCTAssertEqual(report.verify?.fetches.first?.certStatus, .revoked, "\(version)")
        }
    }

    func testGoodOrFailedAnswerLeavesTheMissingStaple() async throws {
        for (label, behavior) in [("good", answer(.good)), ("HTTP 500", TestOCSPResponder.Behavior.status(500))] {
            let report = try await check(behavior, .tls13)
            XCTAssertEqual(report.error?.code, .rejectedByPolicy, label)
            XCTAssertEqual(
                report.verify?.error?.code.name,
                "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
                label
            )
            XCTAssertEqual(responder.requests.count, 1, "\(label): the fetch was made")
            let trace = report.verify?.trace.map(\.description) ?? []
            XCTAssertTrue(trace.contains { $0.hasPrefix("[fetch] POST ") }, "\(label): \(trace)")
            XCTAssertFalse(trace.contains { $0.contains("assuming the responder answers Good") }, "\(label): \(trace)")
        }
    }
}
