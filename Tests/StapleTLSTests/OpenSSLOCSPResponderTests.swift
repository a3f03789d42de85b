import Foundation
import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// A real `openssl ocsp -index … -port …` responder on loopback, fetched for through real
/// handshakes (in-process OpenSSL server, no staple): good, revoked and unknown certificates.
///
/// Time: `openssl ocsp` signs with the current time (thisUpdate = now, nextUpdate = now + 1 day)
/// and cannot be told otherwise. So these tests — and only these — read the wall clock once, at
/// the start: the PKI is made valid around that instant (30 days before, 300 after) and the
/// verification time is pinned to it through the injected clock. The responder's thisUpdate is
/// then a few seconds after the pinned time, well within mozpkix's one day of slop (firefox-policy §3.9), and
/// its nextUpdate a day ahead: the verdict does not depend on how slow the machine is.
final class OpenSSLOCSPResponderTests: XCTestCase {
    func testGoodRevokedAndUnknownFetchedFromOpenSSLOCSP() async throws {
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let epoch = Int64(now.timeIntervalSince1970)
        let pki = try FetchPKI(notBefore: epoch - 30 * FetchPKI.day, notAfter: epoch + 300 * FetchPKI.day, label: "Now")
        defer { pki.remove() }
        let port = try FreePort.pick()
        let url = "http://127.0.0.1:\(port)/"
        let good = try pki.leaf("good", serial: [0x70, 0x01], ocspURL: url)
        let revoked = try pki.leaf("revoked", serial: [0x70, 0x02], ocspURL: url)
        let unknown = try pki.leaf("unknown", serial: [0x70, 0x03], ocspURL: url)
        let responder = try OpenSSLOCSPResponder.start(
            port: port,
            pki: pki,
            entries: [
                .init(serialHex: good.serialHex, revokedAt: nil),
                .init(serialHex: revoked.serialHex, revokedAt: now.addingTimeInterval(-2 * 86_400)),
            ]
        )
        defer { responder.stop() }

        // One configuration, so one verifier and one OCSP cache for every connection below.
        let checker = try EndpointChecker(configuration: pki.configuration(.firefox, at: now))
        func check(_ leaf: FetchPKI.Leaf) async throws -> ConnectionReport {
            let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
            defer { server.stop() }
            return await checker.check(Endpoint(host: "127.0.0.1", port: server.port), serverName: "localhost")
        }

        let a = try await check(good)
        XCTAssertEqual(a.outcome, .accepted, "\(String(describing: a.error))\n\(responder.log)")
        let fetch = try XCTUnwrap(a.verify?.fetches.first)
        XCTAssertEqual(fetch.url, url)
        XCTAssertEqual(fetch.httpStatus, 200)
        XCTAssertEqual(fetch.result.name, "SUCCESS")
        XCTAssertEqual(fetch.certStatus, .good)
        XCTAssertFalse(fetch.fromCache)
        XCTAssertNotNil(fetch.durationMs)
        XCTAssertTrue(responder.waitForLog("OCSP Request Data:", count: 1), responder.log)

        let b = try await check(revoked)
        XCTAssertEqual(b.error?.code, .rejectedByPolicy)
        XCTAssertEqual(b.verify?.error?.code.name, "SEC_ERROR_REVOKED_CERTIFICATE")
        XCTAssertEqual(b.verify?.fetches.first?.certStatus, .revoked)

        let c = try await check(unknown)
        XCTAssertEqual(c.verify?.error?.code.name, "SEC_ERROR_OCSP_UNKNOWN_CERT")
        XCTAssertEqual(c.verify?.fetches.first?.certStatus, .unknown)
        XCTAssertTrue(responder.waitForLog("OCSP Request Data:", count: 3), responder.log)

        // Again: Good and Revoked come from the cache, no request; Unknown is asked again (firefox-policy §2.4).
        let a2 = try await check(good)
        XCTAssertEqual(a2.outcome, .accepted)
        XCTAssertEqual(a2.verify?.fetches.map(\.fromCache), [true])
        let b2 = try await check(revoked)
        XCTAssertEqual(b2.verify?.error?.code.name, "SEC_ERROR_REVOKED_CERTIFICATE")
        XCTAssertEqual(b2.verify?.fetches.map(\.fromCache), [true])
        let c2 = try await check(unknown)
        XCTAssertEqual(c2.verify?.error?.code.name, "SEC_ERROR_OCSP_UNKNOWN_CERT")
        XCTAssertEqual(c2.verify?.fetches.map(\.fromCache), [false])
        XCTAssertTrue(responder.waitForLog("OCSP Request Data:", count: 4), responder.log)
        usleep(200_000)
        XCTAssertEqual(
            OpenSSLOCSPResponder.requestCount(responder),
            4,
            "good and revoked were not asked twice:\n\(responder.log)"
        )
    }
}
