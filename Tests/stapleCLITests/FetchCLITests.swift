import Foundation
import StapleTestSupport
import Testing

/// `staple check` and `staple get` fetch over HTTP by default, with one OCSP cache for the whole
/// run; `--no-fetch` and `--set fetch=off` turn it off; the report lists every fetch.
///
/// A class, so that each test gets a fresh responder and PKI and `deinit` stops and removes them,
/// also when the test fails.
@Suite(.serialized) final class FetchCLITests {
    let responder: TestOCSPResponder
    let pki: FetchPKI
    let leaf: FetchPKI.Leaf
    let t0 = Int64(Fixtures.t0.timeIntervalSince1970)

    init() throws {
        responder = try TestOCSPResponder()
        do {
            pki = try FetchPKI()
        } catch {
            responder.stop()
            throw error
        }
        do {
            leaf = try pki.leaf("plain", serial: [0x77, 0x01], ocspURL: responder.url)
        } catch {
            responder.stop()
            pki.remove()
            throw error
        }
        responder.script(
            [],
            fallback: .ocsp(
                pki.pki.response(for: leaf.der, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * FetchPKI.day).der()
            )
        )
    }

    deinit {
        responder.stop()
        pki.remove()
    }

    /// The forged root, T0, and the longest soft timeout (a loaded machine must not turn a Good
    /// answer into a soft failure; later `--set`s win).
    var pinned: [String] { ["--ca", pki.rootPath, "--at", Fixtures.t0Text, "--set", "softTimeoutMs=5000"] }

    func json(_ line: Substring) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// The JSON lists each fetch with its URL, HTTP status, duration, outcome, cache.
    @Test(
        "two targets serving the same certificate, one run: one request, replayed to the second (or cached with --shared-cache)"
    )
    func oneRunSharesOneCacheAndReportsEveryFetch() async throws {
        let a = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { a.stop() }
        let b = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls12))
        defer { b.stop() }
        let result = try await StapleCLI.run(
            ["check", "localhost:\(a.port)", "localhost:\(b.port)", "--json", "--concurrency", "1"] + pinned
        )
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(responder.requests.count == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require((try json(lines[0])["verify"] as? [String: Any])?["fetches"] as? [[String: Any]])
        #expect(first.count == 1)
        #expect(first[0]["url"] as? String == responder.url)
        #expect(first[0]["httpStatus"] as? Int == 200)
        #expect(first[0]["outcome"] as? String == "response")
        #expect(first[0]["result"] as? String == "SUCCESS")
        #expect(first[0]["certStatus"] as? String == "good")
        #expect(first[0]["fromCache"] as? Bool == false)
        #expect(first[0]["durationMs"] as? Int != nil)
        #expect(first[0]["requestBytes"] as? Int != nil)
        let second = try #require((try json(lines[1])["verify"] as? [String: Any])?["fetches"] as? [[String: Any]])
        #expect(second.count == 1)
        // Each target is a first visit: the answer fetched for the first is replayed, and says so.
        #expect(second[0]["fromCache"] as? Bool == false)
        #expect(second[0]["outcome"] as? String == "response")
        #expect(second[0]["result"] as? String == "SUCCESS")
        #expect((second[0]["origin"] as? String)?.hasPrefix("fetched for localhost:\(a.port) at ") == true)
        #expect(first[0]["origin"] == nil)
        let shared = try await StapleCLI.run(
            ["check", "localhost:\(a.port)", "localhost:\(b.port)", "--json", "--concurrency", "1", "--shared-cache"]
                + pinned
        )
        let sharedLines = shared.stdout.split(separator: "\n")
        let cached = try #require(
            (try json(sharedLines[1])["verify"] as? [String: Any])?["fetches"] as? [[String: Any]]
        )
        #expect(cached[0]["fromCache"] as? Bool == true)
        #expect(cached[0]["outcome"] as? String == "cache")
        #expect((cached[0]["origin"] as? String)?.hasPrefix("fetched for localhost:\(a.port) at ") == true)
        let timings = try #require(try json(lines[0])["timings"] as? [String: Any])
        #expect(timings["fetchMs"] != nil, "the time waiting for the fetch")
    }

    @Test("the human report shows the fetch")
    func humanReportShowsTheFetch() async throws {
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { server.stop() }
        let result = try await StapleCLI.run(["check", "localhost:\(server.port)"] + pinned)
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains {
                $0.hasPrefix("  ocsp fetch  \(responder.url) → HTTP 200, SUCCESS (good), ") && $0.hasSuffix(" ms")
            },
            "\(result.stdout)"
        )
        #expect(
            lines.contains("  verdict     Accepted: no staple was sent; a fetched OCSP response is Good."),
            "\(result.stdout)"
        )
    }

    @Test("--no-fetch and --set fetch=off make no request")
    func noFetchAndFetchOffMakeNoRequest() async throws {
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { server.stop() }
        for flags in [["--no-fetch"], ["--set", "fetch=off"]] {
            let result = try await StapleCLI.run(["check", "localhost:\(server.port)", "--json"] + flags + pinned)
            #expect(result.exitCode == 0, "\(flags): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("\"fetching is off\""), "\(flags): \(result.stdout)")
            #expect(result.stdout.contains("\"fetch\":\"off\""), "\(flags): \(result.stdout)")
        }
        #expect(responder.requests.count == 0)
        let help = try await StapleCLI.run(["check", "--help"])
        #expect(help.stdout.contains("--no-fetch"), "\(help.stdout)")
    }

    /// The timeouts are clamped as Firefox clamps its prefs (firefox-policy §5.1).
    @Test("the timeout knobs are clamped: soft ≤ 5000 ms, hard ≤ 20000 ms")
    func timeoutKnobsAreClamped() async throws {
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { server.stop() }
        for (settings, shown) in [
            (["softTimeoutMs=60000"], "(timeout 5000 ms)"),
            (["fetch=hard", "hardTimeoutMs=60000"], "(timeout 20000 ms)"),
            (["fetch=hard", "hardTimeoutMs=3000"], "(timeout 3000 ms)"),
        ] {
            let result = try await StapleCLI.run(
                ["check", "localhost:\(server.port)", "--json"] + pinned + settings.flatMap { ["--set", $0] }
            )
            #expect(result.exitCode == 0, "\(settings): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains(shown), "\(settings): \(result.stdout)")
        }
    }

    @Test("a revoked answer from the responder makes staple check exit 1 after the handshake")
    func revokedFetchedExitsOne() async throws {
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
        let result = try await StapleCLI.run(["check", "localhost:\(server.port)"] + pinned)
        #expect(result.exitCode == 1, "\(result.stdout)")
        #expect(result.stdout.contains("SEC_ERROR_REVOKED_CERTIFICATE"), "\(result.stdout)")
        #expect(
            result.stdout.contains("ocsp fetch  \(responder.url) → HTTP 200, SEC_ERROR_REVOKED_CERTIFICATE (revoked)"),
            "\(result.stdout)"
        )
        #expect(server.waitForConnections(1).first?.applicationData == [], "nothing sent before the verdict")
    }

    /// Strict by default means no fetch (a staple is required); with `--policy firefox` the page
    /// comes back after a Good answer.
    @Test("staple get fetches under --policy firefox, not under its default strict policy")
    func getFetchesUnderTheFirefoxPolicy() async throws {
        let server = try OpenSSLServer.start(leaf.identity, stapleFile: nil, www: true)
        defer { server.stop() }
        let strict = try await StapleCLI.run(["get", "https://localhost:\(server.port)/"] + pinned)
        #expect(strict.exitCode == 1, "\(strict.stderr)")
        #expect(responder.requests.count == 0)
        let firefox = try await StapleCLI.run(
            ["get", "https://localhost:\(server.port)/", "--policy", "firefox"] + pinned
        )
        #expect(firefox.exitCode == 0, "\(firefox.stderr)")
        #expect(firefox.stdout.contains("s_server"), "\(firefox.stdout)")
        #expect(responder.requests.count == 1)
    }

    /// firefox-policy §2.5 (d): a chain ending in a root named by `--built-in-roots` gets no fetch under the
    /// firefox preset (CRLite in Enforce mode); `--ca` alone makes no root built in.
    @Test("--built-in-roots: no OCSP fetch for a chain ending in one; --ca alone fetches; crlite=off fetches")
    func builtInRootsSkipTheFetch() async throws {
        let server = try InProcessTLSServer(.tls(leaf.identity, staple: .none, version: .tls13))
        defer { server.stop() }
        let target = "localhost:\(server.port)"
        let builtIn = try await StapleCLI.run(["check", target, "--json", "--built-in-roots", pki.rootPath] + pinned)
        #expect(builtIn.exitCode == 0, "\(builtIn.stdout)\(builtIn.stderr)")
        #expect(responder.requests.isEmpty)
        let verify = try #require(try json(builtIn.stdout.split(separator: "\n")[0])["verify"] as? [String: Any])
        #expect((verify["fetches"] as? [Any])?.isEmpty == true)
        #expect((verify["warnings"] as? [String])?.contains { $0.contains("revocation was not checked") } == true)

        let privateRoot = try await StapleCLI.run(["check", target, "--json"] + pinned)
        #expect(privateRoot.exitCode == 0, "\(privateRoot.stdout)\(privateRoot.stderr)")
        #expect(responder.requests.count == 1)

        let off = try await StapleCLI.run(
            ["check", target, "--json", "--built-in-roots", pki.rootPath, "--set", "crlite=off"] + pinned
        )
        #expect(off.exitCode == 0, "\(off.stdout)\(off.stderr)")
        #expect(responder.requests.count == 2)

        let missing = try await StapleCLI.run(["check", target, "--built-in-roots", "/nonexistent/roots.pem"] + pinned)
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("--built-in-roots"))
        #expect(missing.stderr.contains("/nonexistent/roots.pem"))
    }
}
