import Foundation
import StapleForge
import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// The library's default is what Firefox does: a configuration made with no fetcher setting
/// fetches OCSP over HTTP when the policy asks (firefox-policy §2.7), so an application that copies
/// the README checks a plain certificate's revocation. nil is the explicit opt-out. Real
/// handshakes (in-process OpenSSL server, no staple) against a loopback responder; pinned at T0.
final class DefaultFetcherTests: XCTestCase {
    var responder: TestOCSPResponder!
    var pki: FetchPKI!
    var leaf: FetchPKI.Leaf!

    override func setUpWithError() throws {
        responder = try TestOCSPResponder()
        pki = try FetchPKI()
        leaf = try pki.leaf("plain", serial: [0x62, 0x01], ocspURL: responder.url, mustStaple: false)
    }

    override func tearDown() {
        responder.stop()
        pki.remove()
    }

    /// One connection to a server that staples nothing, with `configuration` as given.
    func check(_ configuration: TLSClientConfiguration) async throws -> ConnectionReport {
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { server.stop() }
        let t0 = Int64(Fixtures.t0.timeIntervalSince1970)
        let revoked = pki.pki.response(
            for: leaf.der,
            status: .revoked(at: t0 - 86_400),
            thisUpdate: t0 - 60,
            nextUpdate: t0 + 86_400
        )
        responder.resetRequests()
        responder.script([.ocsp(revoked.der())])
        let checker = try EndpointChecker(configuration: configuration)
        return await checker.check(Endpoint(host: "127.0.0.1", port: server.port), serverName: "localhost")
    }

    func defaultConfiguration() -> TLSClientConfiguration {
        var c = TLSClientConfiguration(trustRoots: .certificates([pki.pki.root]))
        c.pinTime(Fixtures.t0)
        return c
    }

    func testBothInitialisersInstallTheHTTPFetcher() {
        XCTAssertTrue(TLSClientConfiguration().fetcher is HTTPOCSPFetcher)
        XCTAssertTrue(TLSClientConfiguration(trustRoots: .system, policy: .strict).fetcher is HTTPOCSPFetcher)
    }

    func testTheDefaultChecksAPlainCertificatesRevocation() async throws {
        let report = try await check(defaultConfiguration())
        XCTAssertEqual(report.error?.code, .rejectedByPolicy)
        XCTAssertEqual(report.verify?.error?.code.name, "SEC_ERROR_REVOKED_CERTIFICATE")
        XCTAssertEqual(responder.requests.count, 1, "the default configuration fetched")
    }

    func testNilOptsOutAndTheTraceSaysSo() async throws {
        var configuration = defaultConfiguration()
        configuration.fetcher = nil
        let report = try await check(configuration)
        // Soft-fail without an answer: accepted, as Firefox does when its responder cannot be reached.
        XCTAssertNil(report.error, "\(String(describing: report.error))")
        XCTAssertEqual(responder.requests.count, 0, "no request without a fetcher")
        let trace = report.verify?.trace.map(\.description) ?? []
        XCTAssertTrue(trace.contains { $0.contains("no OCSP fetcher is configured: no request was sent") }, "\(trace)")
    }
}
