import Foundation
import StapleTestSupport
import Synchronization
import StapleTLS
import StapleVerifier
import XCTest

/// The OCSP cache shared by every connection made with one configuration (firefox-policy §2.4,
/// firefox-policy §5.3, §5.4, §8.6), through real handshakes and real fetches. The clock is injected: it starts
/// at T0 and the tests move it.
final class OCSPCacheAcrossConnectionsTests: XCTestCase {
    var responder: TestOCSPResponder!
    var pki: FetchPKI!
    var leaf: FetchPKI.Leaf!
    var server: InProcessTLSServer!
    let t0 = Int64(Fixtures.t0.timeIntervalSince1970)
    let day = FetchPKI.day

    /// A clock the test moves; every connection reads it once when its handshake starts.
    final class TestClock: Sendable {
        private let seconds: Mutex<Int64>
        init(_ start: Int64) { seconds = Mutex(start) }
        var now: Date { Date(timeIntervalSince1970: TimeInterval(seconds.withLock { $0 })) }
        func set(_ value: Int64) { seconds.withLock { $0 = value } }
    }

    override func setUpWithError() throws {
        responder = try TestOCSPResponder()
        pki = try FetchPKI()
        leaf = try pki.leaf("plain", serial: [0x66, 0x01], ocspURL: responder.url)
        server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
    }

    override func tearDown() {
        server.stop()
        responder.stop()
        pki.remove()
    }

    func checker(_ policy: RevocationPolicy = .firefox, clock: TestClock? = nil) throws -> EndpointChecker {
        var configuration = pki.configuration(policy)
        if let clock { configuration.clock = { clock.now } }
        return try EndpointChecker(configuration: configuration)
    }

    func check(_ checker: EndpointChecker, port: Int? = nil) async -> ConnectionReport {
        await checker.check(Endpoint(host: "127.0.0.1", port: port ?? server.port), serverName: "localhost")
    }

    func good(thisUpdate: Int64? = nil) -> TestOCSPResponder.Behavior {
        .ocsp(
            pki.pki.response(
                for: leaf.der,
                thisUpdate: thisUpdate ?? t0 - 3600,
                nextUpdate: (thisUpdate ?? t0) + 3 * day
            ).der()
        )
    }

    func testASecondCheckOfTheSameCertificateMakesNoRequest() async throws {
        responder.script([good()])
        let checker = try checker()
        let first = await check(checker)
        XCTAssertEqual(first.outcome, .accepted)
        XCTAssertEqual(first.verify?.fetches.map(\.fromCache), [false])
        let second = await check(checker)
        XCTAssertEqual(second.outcome, .accepted)
        XCTAssertEqual(second.verify?.fetches.map(\.fromCache), [true])
        XCTAssertEqual(second.verify?.fetches.first?.result.name, "SUCCESS")
        XCTAssertEqual(responder.requests.count, 1)
        XCTAssertTrue(second.verify?.explanation.contains("a cached OCSP answer is Good") ?? false)
        // Another configuration has another cache.
        responder.script([good()])
        _ = await check(try self.checker())
        XCTAssertEqual(responder.requests.count, 2)
    }

    func testARevokedAnswerSticks() async throws {
        let revoked = TestOCSPResponder.Behavior.ocsp(
            pki.pki.response(for: leaf.der, status: .revoked(at: t0 - day), thisUpdate: t0 - 3600, nextUpdate: t0 + day)
                .der()
        )
        responder.script([revoked], fallback: good())
        let clock = TestClock(t0)
        let checker = try checker(clock: clock)
        let r1 = await check(checker)
        XCTAssertEqual(r1.verify?.error?.code.name, "SEC_ERROR_REVOKED_CERTIFICATE")
        // A month later — long after the answer's nextUpdate — still Revoked, and not asked again.
        clock.set(t0 + 30 * day)
        let later = await check(checker)
        XCTAssertEqual(later.verify?.error?.code.name, "SEC_ERROR_REVOKED_CERTIFICATE")
        XCTAssertEqual(later.verify?.fetches.map(\.fromCache), [true])
        XCTAssertEqual(responder.requests.count, 1)
    }

    /// firefox-policy §5.3: a failure is remembered for 5 minutes; at 300 s there is still no request, at 301 s
    /// the responder is asked again.
    func testAnErrorIsRetriedOnlyAfterFiveMinutes() async throws {
        responder.script([.status(500)], fallback: good())
        let clock = TestClock(t0)
        let checker = try checker(clock: clock)
        let first = await check(checker)
        XCTAssertEqual(first.outcome, .accepted, "soft-fail")
        XCTAssertEqual(first.verify?.fetches.first?.outcome.description, "HTTP 500")
        clock.set(t0 + 300)
        let cached = await check(checker)
        XCTAssertEqual(cached.outcome, .accepted)
        XCTAssertEqual(cached.verify?.fetches.first?.fromCache, true)
        XCTAssertEqual(cached.verify?.fetches.first?.result.name, "SEC_ERROR_OCSP_SERVER_ERROR")
        XCTAssertEqual(responder.requests.count, 1)
        clock.set(t0 + 301)
        let retried = await check(checker)
        XCTAssertEqual(retried.verify?.fetches.map(\.fromCache), [false])
        XCTAssertEqual(retried.verify?.fetches.first?.result.name, "SUCCESS")
        XCTAssertEqual(responder.requests.count, 2)

        // In hard-fail the cached failure is the answer for those 5 minutes (firefox-policy §8.5 rows 1-2).
        responder.script([.status(503)])
        let hardClock = TestClock(t0)
        let hard = try self.checker(.firefox.settingTimeouts(fetch: "hard"), clock: hardClock)
        let r2 = await check(hard)
        XCTAssertEqual(r2.verify?.error?.code.name, "SEC_ERROR_OCSP_SERVER_ERROR")
        hardClock.set(t0 + 120)
        let again = await check(hard)
        XCTAssertEqual(again.verify?.error?.code.name, "SEC_ERROR_OCSP_SERVER_ERROR")
        XCTAssertEqual(again.verify?.fetches.map(\.fromCache), [true])
        XCTAssertEqual(responder.requests.count, 3)
    }

    /// firefox-policy §8.6: an Unknown answer is asked again on the next connection; a later Good replaces it.
    func testAnUnknownAnswerIsAskedAgain() async throws {
        let unknown = TestOCSPResponder.Behavior.ocsp(
            pki.pki.response(for: leaf.der, status: .unknown, thisUpdate: t0 - 3600, nextUpdate: t0 + day).der()
        )
        responder.script([unknown, .status(500), good(thisUpdate: t0 - 60)])
        let checker = try checker()
        let r3 = await check(checker)
        XCTAssertEqual(r3.verify?.error?.code.name, "SEC_ERROR_OCSP_UNKNOWN_CERT")
        let r4 = await check(checker)
        XCTAssertEqual(
            r4.verify?.error?.code.name,
            "SEC_ERROR_OCSP_UNKNOWN_CERT",
            "cached Unknown honoured when the responder fails"
        )
        XCTAssertEqual(responder.requests.count, 2)
    }

    /// firefox-policy §5.4: a short-lived certificate is never fetched for; the threshold is a knob.
    func testShortLivedCertificatesAreNeverFetchedFor() async throws {
        let short = try pki.leaf(
            "short",
            serial: [0x66, 0x02],
            ocspURL: responder.url,
            notBefore: t0 - 2 * day,
            notAfter: t0 + 3 * day
        )
        let shortServer = try InProcessTLSServer(.tls(short.identity, staple: .none, version: .tls12))
        defer { shortServer.stop() }
        responder.script([], fallback: .status(500))
        let report = await check(try checker(.firefox.settingTimeouts(fetch: "hard")), port: shortServer.port)
        XCTAssertEqual(report.outcome, .accepted, "never fetched, even in hard-fail")
        XCTAssertEqual(report.verify?.fetches, [])
        XCTAssertEqual(responder.requests.count, 0)
        var three = RevocationPolicy.firefox
        try three.set("shortLivedDays", to: "3")
        _ = await check(try checker(three), port: shortServer.port)
        XCTAssertEqual(responder.requests.count, 1, "5 days is not short-lived below a 3-day threshold")
    }

    /// Many connections at once with one configuration: the cache is shared safely; once an
    /// answer is in, nobody asks again.
    func testConcurrentConnectionsShareTheCache() async throws {
        let servers = try (0..<6).map { _ in try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        }
        defer { servers.forEach { $0.stop() } }
        responder.script([], fallback: good())
        let checker = try checker()
        let reports = await checker.check(
            servers.map {
                (
                    endpoint: Endpoint(host: "127.0.0.1", port: $0.port), serverName: "localhost" as String?,
                    target: "s\($0.port)"
                )
            },
            concurrency: 6,
            cache: .shared
        )
        XCTAssertEqual(reports.map(\.outcome), Array(repeating: .accepted, count: 6))
        let asked = responder.requests.count
        XCTAssertTrue((1...6).contains(asked), "\(asked)")
        XCTAssertEqual(reports.flatMap { $0.verify?.fetches ?? [] }.filter { !$0.fromCache }.count, asked)
        let after = await check(checker)
        XCTAssertEqual(after.verify?.fetches.map(\.fromCache), [true])
        XCTAssertEqual(responder.requests.count, asked)
    }

    /// firefox-policy §8.5 (`OCSP.require = true`): a fetched response with a bad signature is the answer, and
    /// for 5 minutes the cached one (no second request); with the cache cleared (a new
    /// configuration), an HTTP 200 with an empty body is MALFORMED_RESPONSE.
    func testFirefoxRequiredTable() async throws {
        var bad = pki.pki.response(for: leaf.der, thisUpdate: t0 - 3600, nextUpdate: t0 + day)
        bad.corruptSignature = true
        responder.script([.ocsp(bad.der()), .status(200)])
        let hard = RevocationPolicy.firefox.settingTimeouts(fetch: "hard")
        let checker = try checker(hard)
        let first = await check(checker)
        XCTAssertEqual(first.verify?.error?.code.name, "SEC_ERROR_OCSP_BAD_SIGNATURE")
        XCTAssertEqual(responder.requests.count, 1)
        let again = await check(checker)
        XCTAssertEqual(again.verify?.error?.code.name, "SEC_ERROR_OCSP_BAD_SIGNATURE")
        XCTAssertEqual(responder.requests.count, 1, "the failure is cached")
        let cleared = await check(try self.checker(hard))
        XCTAssertEqual(cleared.verify?.error?.code.name, "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
        XCTAssertEqual(responder.requests.count, 2)
    }

    /// firefox-policy §8.6 (`test_ocsp_caching.js`), the rows about one certificate: the short-lived threshold,
    /// a stapled Unknown honoured while the responder fails, replaced by a later Good, negative
    /// caching, and a stapled Revoked despite a cached error. Servers with and without a staple
    /// serve the same certificate; one configuration (one cache) per block, as in Firefox's test.
    func testFirefoxCachingTable() async throws {
        let unknownStaple = pki.pki.response(
            for: leaf.der,
            status: .unknown,
            thisUpdate: t0 - 3600,
            nextUpdate: t0 + day
        ).der()
        let revokedStaple = pki.pki.response(
            for: leaf.der,
            status: .revoked(at: t0 - day),
            thisUpdate: t0 - 3600,
            nextUpdate: t0 + day
        ).der()
        let stapledUnknown = try InProcessTLSServer(.tls(leaf.identity, staple: .bytes(unknownStaple), version: .tls13))
        defer { stapledUnknown.stop() }
        let stapledRevoked = try InProcessTLSServer(.tls(leaf.identity, staple: .bytes(revokedStaple), version: .tls13))
        defer { stapledRevoked.stop() }
        var asked = 0
        func row(_ checker: EndpointChecker, _ port: Int, _ error: String?, requests: Int, _ label: String) async {
            let report = await check(checker, port: port)
            XCTAssertEqual(report.verify?.error?.code.name, error, "\(label): \(report.verify?.explanation ?? "-")")
            XCTAssertEqual(responder.requests.count - asked, requests, "\(label): requests")
            asked = responder.requests.count
        }
        responder.script([], fallback: .status(500))
        var longThreshold = RevocationPolicy.firefox
        try longThreshold.set("shortLivedDays", to: "12000")
        await row(
            try checker(longThreshold),
            server.port,
            nil,
            requests: 0,
            "short_lifetime_in_days = 12000, no staple"
        )
        var shortThreshold = RevocationPolicy.firefox
        try shortThreshold.set("shortLivedDays", to: "100")
        await row(
            try checker(shortThreshold),
            server.port,
            nil,
            requests: 1,
            "short_lifetime_in_days = 100, no staple, responder 500"
        )

        let clock = TestClock(t0)
        let cached = try checker(clock: clock)
        await row(cached, stapledUnknown.port, "SEC_ERROR_OCSP_UNKNOWN_CERT", requests: 0, "stapled Unknown")
        await row(cached, server.port, "SEC_ERROR_OCSP_UNKNOWN_CERT", requests: 1, "no staple, responder fails (1)")
        await row(cached, server.port, "SEC_ERROR_OCSP_UNKNOWN_CERT", requests: 1, "no staple, responder fails (2)")
        responder.script([good(thisUpdate: t0 + 60)], fallback: .status(500))
        clock.set(t0 + 120)
        await row(cached, server.port, nil, requests: 1, "Good with a later thisUpdate replaces Unknown")
        await row(cached, server.port, nil, requests: 0, "then from the cache")

        let cleared = try checker()
        await row(cleared, server.port, nil, requests: 1, "cache cleared, no staple, responder 500: soft-fail")
        await row(cleared, server.port, nil, requests: 0, "again: the failure is cached")
        await row(
            cleared,
            stapledRevoked.port,
            "SEC_ERROR_REVOKED_CERTIFICATE",
            requests: 0,
            "stapled Revoked despite the cached error"
        )
    }

    /// fetch=off: nothing is asked, and the verdict says so.
    func testFetchOff() async throws {
        let report = await check(try checker(.firefox.settingTimeouts(fetch: "off")))
        XCTAssertEqual(report.outcome, .accepted)
        XCTAssertEqual(responder.requests.count, 0)
        XCTAssertTrue(report.verify?.trace.contains { $0.detail == "fetching is off" } ?? false)
    }
}
