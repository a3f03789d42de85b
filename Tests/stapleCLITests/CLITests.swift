import Foundation
import StapleTestSupport
import Testing

/// `staple check` and `staple get` as a user runs them: exit codes, stdout, stderr. Against
/// in-process TLS servers on loopback, time pinned at T0.
@Suite(.serialized) struct CLITests {
    @Test("--version, and check --help lists every option")
    func versionAndHelp() async throws {
        let version = try await StapleCLI.run(["--version"])
        #expect(version.exitCode == 0)
        #expect(version.stdout == "0.1.0\n")
        let help = try await StapleCLI.run(["check", "--help"])
        #expect(help.exitCode == 0)
        for option in [
            "--ca <FILE>", "--servername <NAME>", "--policy <P>", "--set <K=V>", "--tls <VERSION>", "--timeout <S>",
            "--json", "--at <TIME>",
        ] {
            #expect(help.stdout.contains(option), "\(option) missing from:\n\(help.stdout)")
        }
    }

    @Test("usage errors exit 2 and print nothing on stdout")
    func usageErrorsExitWith2() async throws {
        for arguments in [
            ["check"], ["check", "localhost:99999"], ["check", "ftp://localhost/"],
            ["check", "localhost", "--tls", "1.1"],
            ["check", "localhost", "--policy", "lenient"], ["check", "localhost", "--set", "fetch=sometimes"],
            ["check", "localhost", "--set", "nope=1"], ["check", "localhost", "--at", "yesterday"],
            ["get", "http://localhost/"],
        ] {
            let result = try await StapleCLI.run(arguments)
            #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
            #expect(result.stdout == "", "\(arguments)")
        }
        let unreadable = try await StapleCLI.run(["check", "localhost:1", "--ca", "/nonexistent/ca.pem"])
        #expect(unreadable.exitCode == 2)
        #expect(
            unreadable.stderr.contains("cannot read the CA file /nonexistent/ca.pem"),
            "\(unreadable.stderr)"
        )
    }

    @Test("the human report of an accepted target")
    func humanReportOfAnAcceptedTarget() async throws {
        let server = try InProcessTLSServer(
            .tls(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.good.bytes), version: .tls13)
        )
        defer { server.stop() }
        let result = try await StapleCLI.run(["check", "localhost:\(server.port)"] + StapleCLI.pinned)
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "localhost:\(server.port) — ACCEPTED")
        #expect(
            lines.contains("  connection  127.0.0.1:\(server.port), SNI localhost, TLSv1.3, TLS_AES_256_GCM_SHA384"),
            "\(result.stdout)"
        )
        #expect(
            lines.contains("  chain       localhost ← Test Intermediate CA ← Test Root CA (verified)"),
            "\(result.stdout)"
        )
        #expect(
            lines.contains("  leaf        valid 2026-01-01 → 2027-01-01, serial 3002, must-staple yes"),
            "\(result.stdout)"
        )
        #expect(
            lines.contains {
                $0.hasPrefix(
                    "  staple      requested; \(Fixtures.Staple.good.bytes.count) bytes: good (SUCCESS), certStatus good"
                )
            },
            "\(result.stdout)"
        )
        #expect(
            lines.contains(
                "  verdict     Accepted: the stapled OCSP response is Good and fresh; the certificate is must-staple and a staple was present."
            ),
            "\(result.stdout)"
        )
        #expect(lines.contains { $0.hasPrefix("  timings     connect ") }, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix("health:      nextUpdate in ") }, "\(result.stdout)")
    }

    @Test("--json: one line per target, and the worst exit code of several targets")
    func jsonLinesAndTheWorstExitCode() async throws {
        let good = try InProcessTLSServer(
            .tls(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.good.bytes), version: .tls12)
        )
        defer { good.stop() }
        let bad = try InProcessTLSServer(.tls(Fixtures.mustStaple, staple: .none, version: .tls12))
        defer { bad.stop() }
        let refused = try FreePort.pick()

        let twoTargets = try await StapleCLI.run(
            ["check", "localhost:\(good.port)", "https://localhost:\(bad.port)/x", "--json"] + StapleCLI.pinned
        )
        #expect(twoTargets.exitCode == 1, "accepted + rejected → 1")
        let lines = twoTargets.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        // One object per target, in the order they finish: find each by its target.
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let first = objects.first { $0?["target"] as? String == "localhost:\(good.port)" } ?? nil
        let second = objects.first { $0?["target"] as? String == "https://localhost:\(bad.port)/x" } ?? nil
        #expect(first?["schema"] as? String == "swift-must-staple/check/1")
        #expect(first?["outcome"] as? String == "accepted")
        #expect(first?["exitCode"] as? Int == 0)
        #expect((first?["verify"] as? [String: Any])?["verdict"] as? String == "accepted")
        #expect((first?["verify"] as? [String: Any])?["schema"] as? String == "swift-must-staple/verdict/1")
        #expect((first?["connection"] as? [String: Any])?["tlsVersion"] as? String == "TLSv1.2")
        #expect(second?["target"] as? String == "https://localhost:\(bad.port)/x")
        #expect(second?["outcome"] as? String == "rejected")
        // Revocation comes before must-staple: one OCSP answer, fetched or — when the good target
        // finished first — the Good it stapled, from the run's shared cache. A fetch happens after
        // the handshake (close_notify, no alert); a cached answer decides inside it (alert 113).
        let fetches = (second?["verify"] as? [String: Any])?["fetches"] as? [[String: Any]]
        #expect(fetches?.count == 1)
        let fromCache = fetches?.first?["fromCache"] as? Bool == true
        let alert = ((second?["error"] as? [String: Any])?["alertSent"] as? [String: Any])?["code"] as? Int
        #expect(alert == (fromCache ? 113 : nil), "fromCache \(fromCache)")
        #expect(((second?["verify"] as? [String: Any])?["error"] as? [String: Any])?["code"] as? Int == -16374)

        let threeTargets = try await StapleCLI.run(
            ["check", "localhost:\(good.port)", "localhost:\(bad.port)", "localhost:\(refused)", "--json"]
                + StapleCLI.pinned
        )
        #expect(threeTargets.exitCode == 3, "accepted + rejected + refused → 3")
        #expect(threeTargets.stdout.split(separator: "\n").count == 3)
        #expect(threeTargets.stdout.contains("\"name\":\"connectionRefused\""), "\(threeTargets.stdout)")
    }

    @Test("each failure a distinct error name and the fitting exit code")
    func distinctErrorsAndExitCodes() async throws {
        let server = try InProcessTLSServer(
            .tls(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.good.bytes), version: .tls13)
        )
        defer { server.stop() }
        let expired = try InProcessTLSServer(.tls(Fixtures.expired, staple: .none, version: .tls12))
        defer { expired.stop() }
        let closing = try InProcessTLSServer(.closeAfterClientHello)
        defer { closing.stop() }
        let silent = try InProcessTLSServer(.neverAnswer)
        defer { silent.stop() }

        let cases: [(String, [String], Int32, String)] = [
            (
                "wrong hostname", ["localhost:\(server.port)", "--servername", "wrong.example"] + StapleCLI.pinned, 1,
                "hostnameMismatch"
            ),
            (
                "untrusted root", ["localhost:\(server.port)", "--ca", Fixtures.otherRoot, "--at", Fixtures.t0Text], 1,
                "untrustedRoot"
            ),
            ("expired certificate", ["localhost:\(expired.port)"] + StapleCLI.pinned, 1, "certificateExpired"),
            (
                "closed mid-handshake", ["localhost:\(closing.port)"] + StapleCLI.pinned, 3,
                "connectionClosedDuringHandshake"
            ),
            (
                "never answers", ["localhost:\(silent.port)", "--timeout", "0.3"] + StapleCLI.pinned, 3,
                "handshakeTimeout"
            ),
            (
                "strict policy, tryLater-free good staple",
                ["localhost:\(server.port)", "--policy", "strict"] + StapleCLI.pinned, 0, "ACCEPTED"
            ),
        ]
        for (label, arguments, exitCode, text) in cases {
            let result = try await StapleCLI.run(["check"] + arguments)
            #expect(result.exitCode == exitCode, "\(label): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains(text), "\(label): \(result.stdout)")
        }
    }

    /// `--set` reaches the engine: fetch=hard with no OCSP fetcher refuses a staple-less plain
    /// certificate after the handshake (no alert possible then; close_notify, no data).
    @Test("--set reaches the policy")
    func setReachesThePolicy() async throws {
        let server = try InProcessTLSServer(.tls(Fixtures.plain, staple: .none, version: .tls13))
        defer { server.stop() }
        let soft = try await StapleCLI.run(["check", "localhost:\(server.port)"] + StapleCLI.pinned)
        #expect(soft.exitCode == 0, "\(soft.stdout)")
        #expect(soft.stdout.contains("revocation checking soft-fails"), "\(soft.stdout)")
        let hard = try await StapleCLI.run(
            ["check", "localhost:\(server.port)", "--set", "fetch=hard"] + StapleCLI.pinned
        )
        #expect(hard.exitCode == 1, "\(hard.stdout)")
        #expect(hard.stdout.contains("SEC_ERROR_OCSP_SERVER_ERROR"), "\(hard.stdout)")
        let records = server.waitForConnections(2)
        #expect(records.map(\.handshakeCompleted) == [true, true])
        #expect(records.map(\.applicationData) == [[], []])
    }

    @Test("staple get defaults to the strict policy: a plain certificate without a staple is refused")
    func getIsStrictByDefault() async throws {
        let server = try InProcessTLSServer(.tls(Fixtures.plain, staple: .none, version: .tls13))
        defer { server.stop() }
        let result = try await StapleCLI.run(["get", "https://localhost:\(server.port)/"] + StapleCLI.pinned)
        #expect(result.exitCode == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("STAPLE_ERROR_STAPLE_REQUIRED"), "\(result.stderr)")
        #expect(server.waitForConnections(1).first?.applicationData == [])
    }
}
