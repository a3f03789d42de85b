import Foundation
import StapleTestSupport
import XCTest

/// `staple check` and `staple get` fetch over HTTP by default, with one OCSP cache for the whole
/// run; `--no-fetch` and `--set fetch=off` turn it off; the report lists every fetch.
final class FetchCLITests: XCTestCase {
    var responder: TestOCSPResponder!
    var pki: FetchPKI!
    var leaf: FetchPKI.Leaf!
    let t0 = Int64(Fixtures.t0.timeIntervalSince1970)

    override func setUpWithError() throws {
        responder = try TestOCSPResponder()
        pki = try FetchPKI()
        leaf = try pki.leaf("plain", serial: [0x77, 0x01], ocspURL: responder.url)
        responder.script(
            [],
            fallback: .ocsp(
                pki.pki.response(for: leaf.der, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * FetchPKI.day).der()
            )
        )
    }

    override func tearDown() {
        responder.stop()
        pki.remove()
    }

    /// The forged root, T0, and the longest soft timeout (a loaded machine must not turn a Good
    /// answer into a soft failure; later `--set`s win).
    var pinned: [String] { ["--ca", pki.rootPath, "--at", Fixtures.t0Text, "--set", "softTimeoutMs=5000"] }

    func json(_ line: Substring) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// Two targets serving the same certificate, one run: one request, the second answered from
    /// the cache. The JSON lists each fetch with its URL, HTTP status, duration, outcome, cache.
    func testOneRunSharesOneCacheAndReportsEveryFetch() throws {
        let a = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { a.stop() }
        let b = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls12))
        defer { b.stop() }
        let result = try StapleCLI.run(
            ["check", "localhost:\(a.port)", "localhost:\(b.port)", "--json", "--concurrency", "1"] + pinned
        )
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertEqual(responder.requests.count, 1)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let first = try XCTUnwrap((try json(lines[0])["verify"] as? [String: Any])?["fetches"] as? [[String: Any]])
        XCTAssertEqual(first.count, 1)
        XCTAssertEqual(first[0]["url"] as? String, responder.url)
        XCTAssertEqual(first[0]["httpStatus"] as? Int, 200)
        XCTAssertEqual(first[0]["outcome"] as? String, "response")
        XCTAssertEqual(first[0]["result"] as? String, "SUCCESS")
        XCTAssertEqual(first[0]["certStatus"] as? String, "good")
        XCTAssertEqual(first[0]["fromCache"] as? Bool, false)
        XCTAssertNotNil(first[0]["durationMs"] as? Int)
        XCTAssertNotNil(first[0]["requestBytes"] as? Int)
        let second = try XCTUnwrap((try json(lines[1])["verify"] as? [String: Any])?["fetches"] as? [[String: Any]])
        XCTAssertEqual(second.count, 1)
        XCTAssertEqual(second[0]["fromCache"] as? Bool, true)
        XCTAssertEqual(second[0]["outcome"] as? String, "cache")
        XCTAssertEqual(second[0]["result"] as? String, "SUCCESS")
        let timings = try XCTUnwrap(try json(lines[0])["timings"] as? [String: Any])
        XCTAssertNotNil(timings["fetchMs"], "the time waiting for the fetch")
    }

    func testHumanReportShowsTheFetch() throws {
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { server.stop() }
        let result = try StapleCLI.run(["check", "localhost:\(server.port)"] + pinned)
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(
            lines.contains {
                $0.hasPrefix("  ocsp fetch  \(responder.url) → HTTP 200, SUCCESS (good), ") && $0.hasSuffix(" ms")
            },
            result.stdout
        )
        XCTAssertTrue(
            lines.contains("  verdict     Accepted: no staple was sent; a fetched OCSP response is Good."),
            result.stdout
        )
    }

    func testNoFetchAndFetchOffMakeNoRequest() throws {
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { server.stop() }
        for flags in [["--no-fetch"], ["--set", "fetch=off"]] {
            let result = try StapleCLI.run(["check", "localhost:\(server.port)", "--json"] + flags + pinned)
            XCTAssertEqual(result.exitCode, 0, "\(flags): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stdout.contains("\"fetching is off\""), "\(flags): \(result.stdout)")
            XCTAssertTrue(result.stdout.contains("\"fetch\":\"off\""), "\(flags): \(result.stdout)")
        }
        XCTAssertEqual(responder.requests.count, 0)
        let help = try StapleCLI.run(["check", "--help"])
        XCTAssertTrue(help.stdout.contains("--no-fetch"), help.stdout)
    }

    /// The timeouts are clamped as Firefox clamps its prefs (firefox-policy §5.1): soft ≤ 5000 ms, hard ≤ 20000 ms.
    func testTimeoutKnobsAreClamped() throws {
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { server.stop() }
        for (settings, shown) in [
            (["softTimeoutMs=60000"], "(timeout 5000 ms)"),
            (["fetch=hard", "hardTimeoutMs=60000"], "(timeout 20000 ms)"),
            (["fetch=hard", "hardTimeoutMs=3000"], "(timeout 3000 ms)"),
        ] {
            let result = try StapleCLI.run(
                ["check", "localhost:\(server.port)", "--json"] + pinned + settings.flatMap { ["--set", $0] }
            )
            XCTAssertEqual(result.exitCode, 0, "\(settings): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stdout.contains(shown), "\(settings): \(result.stdout)")
        }
    }

    /// A revoked answer from the responder makes `staple check` exit 1 after the handshake.
    func testRevokedFetchedExitsOne() throws {
        responder.script(
            [],
            fallback: .ocsp(
                pki.pki.response(
                    for: leaf.der,
                    status: .revoked(at: t0 - 86_400),
                    thisUpdate: t0 - 3600,
                    nextUpdate: t0 + 86_400
                ).der()
            )
        )
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { server.stop() }
        let result = try StapleCLI.run(["check", "localhost:\(server.port)"] + pinned)
        XCTAssertEqual(result.exitCode, 1, result.stdout)
        XCTAssertTrue(result.stdout.contains("SEC_ERROR_REVOKED_CERTIFICATE"), result.stdout)
        XCTAssertTrue(
            result.stdout.contains("ocsp fetch  \(responder.url) → HTTP 200, SEC_ERROR_REVOKED_CERTIFICATE (revoked)"),
            result.stdout
        )
        XCTAssertEqual(server.waitForConnections(1).first?.applicationData, [], "nothing sent before the verdict")
    }

    /// `staple get` is strict by default (no fetch: a staple is required); with `--policy firefox`
    /// it fetches, and the page comes back after a Good answer.
    func testGetFetchesUnderTheFirefoxPolicy() throws {
        let server = try OpenSSLServer.start(leaf.identity, stapleFile: nil, www: true)
        defer { server.stop() }
        let strict = try StapleCLI.run(["get", "https://localhost:\(server.port)/"] + pinned)
        XCTAssertEqual(strict.exitCode, 1, strict.stderr)
        XCTAssertEqual(responder.requests.count, 0)
        let firefox = try StapleCLI.run(["get", "https://localhost:\(server.port)/", "--policy", "firefox"] + pinned)
        XCTAssertEqual(firefox.exitCode, 0, firefox.stderr)
        XCTAssertTrue(firefox.stdout.contains("s_server"), firefox.stdout)
        XCTAssertEqual(responder.requests.count, 1)
    }
}
