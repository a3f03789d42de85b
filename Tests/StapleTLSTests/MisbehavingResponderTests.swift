import Foundation
import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// Real handshakes (in-process OpenSSL server, no staple) whose verdict waits for a fetch from a
/// responder that misbehaves — each with Firefox's result in soft-fail and in hard-fail mode
/// (firefox-policy §2.7, §5.2, §8.5, §8.7). Pinned at T0; the only clock read is a generous
/// upper bound on the timeout cases.
final class MisbehavingResponderTests: XCTestCase {
    var responder: TestOCSPResponder!
    var pki: FetchPKI!
    var server: InProcessTLSServer!

    override func setUpWithError() throws {
        responder = try TestOCSPResponder()
        pki = try FetchPKI()
        let leaf = try pki.leaf("plain", serial: [0x60, 0x01], ocspURL: responder.url)
        server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
    }

    override func tearDown() {
        server.stop()
        responder.stop()
        pki.remove()
    }

    static let soft = RevocationPolicy.firefox.settingTimeouts(soft: 1000)
    static let hard = RevocationPolicy.firefox.settingTimeouts(hard: 1500, fetch: "hard")

    struct Checked {
        let report: ConnectionReport
        let elapsed: Duration
        var error: String? { report.verify?.error?.code.name }
        var fetch: FetchRecord? { report.verify?.fetches.first }
    }

    /// One connection with a fresh cache, the responder answering `behavior` once.
    func check(_ behavior: TestOCSPResponder.Behavior, _ policy: RevocationPolicy) async throws -> Checked {
        responder.script([behavior])
        let checker = try EndpointChecker(configuration: pki.configuration(policy))
        let clock = ContinuousClock()
        let start = clock.now
        let report = await checker.check(Endpoint(host: "127.0.0.1", port: server.port), serverName: "localhost")
        return Checked(report: report, elapsed: clock.now - start)
    }

    /// firefox-policy §8.7: a responder that accepts and never answers. Soft-fail accepts after the soft
    /// timeout, hard-fail refuses with SERVER_ERROR after the hard one.
    func testNeverAnswers() async throws {
        let soft = try await check(.neverAnswer, Self.soft)
        XCTAssertEqual(soft.report.outcome, .accepted, "\(String(describing: soft.report.error))")
        XCTAssertEqual(soft.fetch?.outcome.description, "timeout")
        XCTAssertEqual(soft.fetch?.result.name, "SEC_ERROR_OCSP_SERVER_ERROR")
        XCTAssertLessThan(soft.elapsed, .milliseconds(1000 + 3000))

        let hard = try await check(.neverAnswer, Self.hard)
        XCTAssertEqual(hard.report.error?.code, .rejectedByPolicy)
        XCTAssertEqual(hard.error, "SEC_ERROR_OCSP_SERVER_ERROR")
        XCTAssertEqual(hard.fetch?.outcome.description, "timeout")
        XCTAssertLessThan(hard.elapsed, .milliseconds(1500 + 3000))
        XCTAssertEqual(
            server.waitForConnections(2).map(\.applicationData),
            [[], []],
            "no application byte before the verdict"
        )
    }

    /// The hard timeout may exceed the handshake timeout: the fetch's own deadline decides.
    func testTheFetchDeadlineOutlivesAShortHandshakeTimeout() async throws {
        responder.script([.neverAnswer])
        var configuration = pki.configuration(Self.hard)
        configuration.handshakeTimeout = .milliseconds(500)
        let report = await (try EndpointChecker(configuration: configuration)).check(
            Endpoint(host: "127.0.0.1", port: server.port),
            serverName: "localhost"
        )
        XCTAssertEqual(report.error?.code, .rejectedByPolicy, "\(String(describing: report.error))")
        XCTAssertEqual(report.verify?.error?.code.name, "SEC_ERROR_OCSP_SERVER_ERROR")
    }

    /// HTTP 500, a redirect, a refused connection: a failed fetch — accepted in soft-fail,
    /// SERVER_ERROR in hard-fail. A garbage 200 is a response that does not parse: accepted with a
    /// warning in soft-fail, MALFORMED_RESPONSE in hard-fail. A 10 MiB body is too big for mozpkix
    /// `Input`: MALFORMED_RESPONSE in hard-fail, as Firefox returns it.
    func testEachMisbehaviourWithFirefoxsResult() async throws {
        let target = try TestOCSPResponder(fallback: .status(500))
        defer { target.stop() }
        let cases: [(String, TestOCSPResponder.Behavior, outcome: String, hard: String, status: Int?)] = [
            ("HTTP 500", .status(500), "HTTP 500", "SEC_ERROR_OCSP_SERVER_ERROR", 500),
            ("redirect", .redirect(target.url), "HTTP 302", "SEC_ERROR_OCSP_SERVER_ERROR", 302),
            (
                "garbage body", .status(200, body: Array("<html>hello</html>".utf8)), "response",
                "SEC_ERROR_OCSP_MALFORMED_RESPONSE", 200
            ),
            ("empty body", .status(200), "response", "SEC_ERROR_OCSP_MALFORMED_RESPONSE", 200),
            (
                "10 MiB declared", .hugeBody(bytes: 10 << 20, declareLength: true), "body too large (10485760 bytes)",
                "SEC_ERROR_OCSP_MALFORMED_RESPONSE", 200
            ),
            (
                "10 MiB streamed", .hugeBody(bytes: 10 << 20, declareLength: false), "body too large",
                "SEC_ERROR_OCSP_MALFORMED_RESPONSE", 200
            ),
            ("closed mid-body", .closeMidBody, "transport error", "SEC_ERROR_OCSP_SERVER_ERROR", 200),
        ]
        for (label, behavior, outcome, hardError, status) in cases {
            let soft = try await check(behavior, Self.soft)
            XCTAssertEqual(soft.report.outcome, .accepted, "\(label): \(String(describing: soft.report.error))")
            XCTAssertTrue(soft.report.verify?.warnings.contains { $0.contains("soft-fails") } ?? false, "\(label)")
            let hard = try await check(behavior, Self.hard)
            XCTAssertEqual(hard.error, hardError, label)
            XCTAssertEqual(hard.report.error?.code, .rejectedByPolicy, label)
            XCTAssertTrue(
                hard.fetch?.outcome.description.hasPrefix(outcome) ?? false,
                "\(label): \(String(describing: hard.fetch))"
            )
            XCTAssertEqual(hard.fetch?.httpStatus, status, label)
            XCTAssertEqual(hard.fetch?.fromCache, false, label)
        }
        XCTAssertEqual(target.requests.count, 0, "redirects are not followed")
        XCTAssertEqual(responder.requests.count, 2 * cases.count)

        // Nothing listens: refused.
        let closed = try FreePort.pick()
        let leaf = try pki.leaf("refused", serial: [0x60, 0x02], ocspURL: "http://127.0.0.1:\(closed)/")
        let other = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls12))
        defer { other.stop() }
        let report = await (try EndpointChecker(configuration: pki.configuration(Self.hard))).check(
            Endpoint(host: "127.0.0.1", port: other.port),
            serverName: "localhost"
        )
        XCTAssertEqual(report.verify?.error?.code.name, "SEC_ERROR_OCSP_SERVER_ERROR")
        XCTAssertEqual(report.verify?.fetches.first?.outcome.description, "connection refused")
    }
}
