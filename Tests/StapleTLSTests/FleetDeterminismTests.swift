import Foundation
import StapleForge
import StapleTLS
import StapleTestSupport
import StapleVerifier
import Testing

/// A fleet judged target by target (``EndpointChecker/FleetCache``): three servers of one certificate
/// behind "one load balancer" — a Good staple, a tryLater staple, an expired staple — and a responder
/// that answers HTTP 500. As first visits the broken two fail whatever the order and the concurrency
/// (firefox-policy §2.3, §2.7); only with the shared cache can the healthy node's staple hide them.
@Suite(.serialized) final class FleetDeterminismTests {
    let responder: TestOCSPResponder
    let pki: FetchPKI
    let servers: [InProcessTLSServer]
    let t0 = Int64(Fixtures.t0.timeIntervalSince1970)

    init() throws {
        responder = try TestOCSPResponder()
        responder.script([], fallback: .status(500))
        pki = try FetchPKI()
        let leaf = try pki.leaf("fleet", serial: [0x7a, 0x01], ocspURL: responder.url)
        let good = pki.pki.response(for: leaf.der, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * FetchPKI.day).der()
        let expired = pki.pki.response(
            for: leaf.der,
            thisUpdate: t0 - 20 * FetchPKI.day,
            nextUpdate: t0 - 12 * FetchPKI.day
        )
        .der()
        servers = try [good, ResponseForge.unsuccessful(3), expired].map {
            try InProcessTLSServer(.tls(leaf.identity, staple: .bytes($0), version: .tls13))
        }
    }

    deinit {
        servers.forEach { $0.stop() }
        responder.stop()
        pki.remove()
    }

    var names: [String] { ["good", "tryLater", "expired"] }

    /// The verdicts by target name, for the targets in `order`.
    func verdicts(_ order: [Int], concurrency: Int, cache: EndpointChecker.FleetCache) async throws -> [String: String]
    {
        let checker = try EndpointChecker(configuration: pki.configuration())
        let targets = order.map {
            (
                endpoint: Endpoint(host: "127.0.0.1", port: servers[$0].port), serverName: "localhost" as String?,
                target: names[$0]
            )
        }
        let reports = await checker.check(targets, concurrency: concurrency, cache: cache)
        var result: [String: String] = [:]
        for report in reports {
            // Accepted only when the check says so: a connection that failed has no verdict at all.
            let verdict =
                report.outcome == .accepted
                ? "accepted" : report.verify?.error?.code.name ?? report.error.map { "\($0.code)" } ?? "no verdict"
            result[report.target] = verdict
            if verdict != Self.expected[report.target], cache == .firstVisit {
                // What the trace said, so that a failure shows its reason.
                Issue.record("\(report.target) in order \(order): \(report.verify?.explanation ?? "\(report.outcome)")")
            }
        }
        return result
    }

    static let expected = [
        "good": "accepted",
        "tryLater": "SEC_ERROR_OCSP_TRY_SERVER_LATER",
        "expired": "SEC_ERROR_OCSP_OLD_RESPONSE",
    ]

    @Test("first visits: the same verdicts in every order, at concurrency 1 and 3; one request per certificate")
    func sameVerdictsInEveryOrder() async throws {
        let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        for order in orders {
            for concurrency in [1, 3] {
                let before = responder.requests.count
                let got = try await verdicts(order, concurrency: concurrency, cache: .firstVisit)
                #expect(got == Self.expected, "order \(order), concurrency \(concurrency)")
                #expect(responder.requests.count - before == 1, "one request for the two that need it")
            }
        }
    }

    @Test("a replayed answer names the target it was fetched for; the shared cache names the staple's target")
    func originsAreShown() async throws {
        let checker = try EndpointChecker(configuration: pki.configuration())
        let targets = [1, 2].map {
            (
                endpoint: Endpoint(host: "127.0.0.1", port: servers[$0].port), serverName: "localhost" as String?,
                target: names[$0]
            )
        }
        let reports = await checker.check(targets, concurrency: 1)
        let second = try #require(reports[1].verify?.fetches.first)
        #expect(second.origin?.hasPrefix("fetched for tryLater at 2026-06-01") == true, "\(second.origin ?? "none")")
        #expect(reports[0].verify?.fetches.first?.origin == nil)

        // The browser-like shared cache: the Good staple seen first decides the tryLater target.
        let shared = try await verdicts([0, 1, 2], concurrency: 1, cache: .shared)
        #expect(shared["tryLater"] == "accepted")
        let sharedChecker = try EndpointChecker(configuration: pki.configuration())
        let two = [0, 1].map {
            (
                endpoint: Endpoint(host: "127.0.0.1", port: servers[$0].port), serverName: "localhost" as String?,
                target: names[$0]
            )
        }
        let sharedReports = await sharedChecker.check(two, concurrency: 1, cache: .shared)
        let cached = try #require(sharedReports[1].verify?.fetches.first)
        #expect(cached.fromCache)
        #expect(cached.origin?.hasPrefix("stapled by good at") == true, "\(cached.origin ?? "none")")
    }
}
