import Foundation
import StapleTestSupport
import Testing

/// `--compare`, `--warn-before`, `--format nagios|prometheus`, `--report-only` on `staple verify`.
@Suite struct OperatorOutputTests {
    func verify(_ args: String...) async throws -> StapleCLI.Result {
        try await StapleCLI.run(["verify", "--at", Files.at] + args)
    }

    @Test func compareTable() async throws {
        let r = try await verify(
            "--chain",
            Files.path("must.pem"),
            "--staple",
            Files.path("trylater.der"),
            "--responder",
            Files.path("must-good.der"),
            "--compare"
        )
        #expect(r.exitCode == 0)
        #expect(r.stdout.contains("firefox2016              rejected  SEC_ERROR_OCSP_TRY_SERVER_LATER"))
        #expect(r.stdout.contains("permissive               accepted"))
        let j = try await verify(
            "--chain",
            Files.path("must.pem"),
            "--staple",
            Files.path("trylater.der"),
            "--responder",
            Files.path("must-good.der"),
            "--compare",
            "--json"
        )
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        #expect((object["comparison"] as! [[String: Any]]).count == 7)
    }

    @Test("--warn-before: exit 4 when nextUpdate is near, distinct from 0–3")
    func warning() async throws {
        // good.der: nextUpdate = T0 + 3 days.
        #expect(
            try await verify(
                "--chain",
                Files.path("chain.pem"),
                "--staple",
                Files.path("good.der"),
                "--warn-before",
                "2d"
            )
            .exitCode == 0
        )
        let w = try await verify(
            "--chain",
            Files.path("chain.pem"),
            "--staple",
            Files.path("good.der"),
            "--warn-before",
            "5d"
        )
        #expect(w.exitCode == 4)
        #expect(w.stdout.contains("WARNING: within --warn-before"))
        #expect(try await verify("--chain", Files.path("chain.pem"), "--warn-before", "soon").exitCode == 2)
    }

    @Test("--format nagios: one line, Nagios exit codes")
    func nagios() async throws {
        let ok = try await verify(
            "--chain",
            Files.path("chain.pem"),
            "--staple",
            Files.path("good.der"),
            "--format",
            "nagios"
        )
        #expect(ok.exitCode == 0)
        #expect(ok.stdout.hasPrefix("STAPLE OK - "))
        #expect(ok.stdout.contains("| staple_remaining=259200s;"))
        #expect(ok.stdout.split(separator: "\n").count == 1)
        #expect(
            try await verify(
                "--chain",
                Files.path("chain.pem"),
                "--staple",
                Files.path("good.der"),
                "--format",
                "nagios",
                "--warn-before",
                "5d"
            ).exitCode == 1
        )
        let crit = try await verify("--chain", Files.path("must.pem"), "--format", "nagios")
        #expect(crit.exitCode == 2)
        #expect(crit.stdout.hasPrefix("STAPLE CRITICAL - "))
        #expect(crit.stdout.contains("MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"))
    }

    @Test("--format prometheus: text exposition with remaining validities in seconds")
    func prometheus() async throws {
        let r = try await verify(
            "--chain",
            Files.path("chain.pem"),
            "--staple",
            Files.path("good.der"),
            "--format",
            "prometheus"
        )
        #expect(r.exitCode == 0)
        #expect(r.stdout.contains("# TYPE staple_remaining_seconds gauge"))
        #expect(r.stdout.contains("staple_remaining_seconds{target=\"\(Files.path("chain.pem"))\"} 259200"))
        #expect(r.stdout.contains("staple_firefox_remaining_seconds{target=\"\(Files.path("chain.pem"))\"} 345600"))
        for line in r.stdout.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.range(of: #"^[a-z_]+\{[^}]*\} -?[0-9]+$"#, options: .regularExpression) != nil, "\(line)")
        }
    }

    @Test("--report-only: exit 0 and a JSON line per violation in --report-file")
    func reportOnly() async throws {
        let file = Files.dir.appendingPathComponent("reports-\(UUID().uuidString).jsonl")
        let r = try await verify("--chain", Files.path("must.pem"), "--report-only", "--report-file", file.path)
        #expect(r.exitCode == 0)
        #expect(r.stdout.contains("report-only"))
        _ = try await verify("--chain", Files.path("must.pem"), "--report-only", "--report-file", file.path)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let report = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(report["schema"] as? String == "swift-must-staple/violation/1")
        #expect(report["responseStatus"] as? String == "MISSING")
        #expect(
            (report["error"] as! [String: Any])["name"] as? String == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        )
        #expect(
            try await verify("--chain", Files.path("must.pem"), "--report-file", file.path).exitCode == 2,
            "--report-file needs --report-only"
        )
    }
}
