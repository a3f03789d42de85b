import Foundation
import StapleTestSupport
import Testing

@Suite struct VerifyCommandTests {
    func verify(_ args: String...) async throws -> StapleCLI.Result {
        try await StapleCLI.run(["verify", "--at", Files.at] + args)
    }

    @Test func acceptedExitsZero() async throws {
        let r = try await verify("--chain", Files.path("chain.pem"), "--staple", Files.path("good.der"))
        #expect(r.exitCode == 0)
        #expect(r.stdout.contains("verdict:     ACCEPTED"))
        #expect(r.stdout.contains("Good and fresh"))
    }

    @Test("DER leaf with --issuer, PEM and base64 staples")
    func inputForms() async throws {
        #expect(
            try await verify(
                "--chain",
                Files.path("leaf.der"),
                "--issuer",
                Files.path("issuer.der"),
                "--staple",
                Files.path("good.der")
            ).exitCode == 0
        )
        #expect(try await verify("--chain", Files.path("chain.pem"), "--staple", Files.path("good.pem")).exitCode == 0)
        #expect(try await verify("--chain", Files.path("chain.pem"), "--staple", Files.path("good.b64")).exitCode == 0)
        #expect(
            try await verify(
                "--chain",
                Files.path("chain.pem"),
                "--staple",
                Files.path("good.der"),
                "--at",
                String(Files.t0)
            )
            .exitCode == 0,
            "epoch seconds"
        )
    }

    @Test("must-staple without a staple: exit 1 with Firefox's error name")
    func mustStapleRejected() async throws {
        let r = try await verify("--chain", Files.path("must.pem"))
        #expect(r.exitCode == 1)
        #expect(r.stdout.contains("MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING (-16374)"))
        #expect(
            try await verify("--chain", Files.path("must.pem"), "--staple", Files.path("must-good.der")).exitCode == 0
        )
        #expect(try await verify("--chain", Files.path("must.pem"), "--set", "mustStaple=false").exitCode == 0)
    }

    @Test("a zero-byte staple is an empty staple, not none")
    func emptyStaple() async throws {
        let r = try await verify("--chain", Files.path("chain.pem"), "--staple", Files.path("empty.der"), "--json")
        #expect(r.exitCode == 1)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((json["error"] as! [String: Any])["name"] as? String == "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
        #expect((json["staple"] as! [String: Any])["present"] as? Bool == true)
    }

    @Test("--json has the documented shape")
    func jsonShape() async throws {
        let r = try await verify(
            "--chain",
            Files.path("chain.pem"),
            "--staple",
            Files.path("trylater.der"),
            "--json",
            "--responder",
            "http-500"
        )
        #expect(r.exitCode == 1)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(json["schema"] as? String == "swift-must-staple/verdict/1")
        #expect(json["verdict"] as? String == "rejected")
        let error = json["error"] as! [String: Any]
        #expect(error["name"] as? String == "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        #expect(error["code"] as? Int == -8070)
        #expect(error["message"] is String)
        let staple = json["staple"] as! [String: Any]
        #expect(staple["status"] as? String == "invalid")
        #expect(staple["result"] as? String == "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        #expect(staple["present"] as? Bool == true)
        #expect((json["mustStaple"] as! [String: Any])["applied"] as? Bool == false)
        #expect((json["policy"] as! [String: Any])["tryLater"] as? String == "fallback")
        #expect((json["fetches"] as! [[String: Any]]).count == 1)
        #expect(!(json["trace"] as! [[String: Any]]).isEmpty)
        #expect(json["warnings"] is [String])
        let accepted = try await verify(
            "--chain",
            Files.path("chain.pem"),
            "--staple",
            Files.path("good.der"),
            "--json"
        )
        let a = try JSONSerialization.jsonObject(with: Data(accepted.stdout.utf8)) as! [String: Any]
        #expect(a["error"] is NSNull, "error is always present, null when accepted")
    }

    @Test("--responder scripts the OCSP responder; --policy and --set reach every knob")
    func responderAndPolicy() async throws {
        let up = try await verify(
            "--chain",
            Files.path("chain.pem"),
            "--staple",
            Files.path("trylater.der"),
            "--responder",
            Files.path("good.der")
        )
        #expect(up.exitCode == 0, "tryLater staple + Good fetch → accepted (firefox-policy §1.6)")
        #expect(
            try await verify(
                "--chain",
                Files.path("chain.pem"),
                "--staple",
                Files.path("trylater.der"),
                "--policy",
                "firefox2016",
                "--responder",
                Files.path("good.der")
            ).exitCode == 1
        )
        #expect(
            try await verify(
                "--chain",
                Files.path("chain.pem"),
                "--staple",
                Files.path("trylater.der"),
                "--set",
                "tryLater=accept"
            ).exitCode == 0
        )
        #expect(
            try await verify("--chain", Files.path("chain.pem"), "--policy", "strict").stdout.contains(
                "STAPLE_ERROR_STAPLE_REQUIRED"
            )
        )
        #expect(
            try await verify("--chain", Files.path("chain.pem"), "--responder", "timeout", "--set", "fetch=hard").stdout
                .contains("SEC_ERROR_OCSP_SERVER_ERROR")
        )
    }

    @Test(
        "bad input exits 2 with a message that names the problem",
        arguments: [
            (["--chain", "/nonexistent/chain.pem"], "no such file"),
            (["--chain", "CHAIN", "--staple", "LEAF"], "holds an X.509 certificate"),
            (["--chain", "UNLINKED"], "does not link"),
            (["--chain", "CHAIN", "--at", "yesterday"], "time 'yesterday'"),
            (["--chain", "CHAIN", "--set", "colour=blue"], "unknown policy key 'colour'"),
            (["--chain", "CHAIN", "--set", "fetch=sometimes"], "fetch takes off, soft or hard"),
            (["--chain", "CHAIN", "--policy", "lenient"], "unknown policy 'lenient'"),
            (["--chain", "CHAIN", "--responder", "http-99"], "http-STATUS"),
            (["--chain", "EMPTY"], "the file is empty"),
            (["--staple", "GOOD"], "--chain"),
        ]
    )
    func badInput(_ args: [String], _ message: String) async throws {
        let mapped = args.map { a -> String in
            switch a {
            case "CHAIN": return Files.path("chain.pem")
            case "LEAF": return Files.path("leaf.der")
            case "UNLINKED": return Files.path("unlinked.pem")
            case "EMPTY": return Files.path("empty.der")
            case "GOOD": return Files.path("good.der")
            default: return a
            }
        }
        let r = try await StapleCLI.run(["verify"] + mapped)
        #expect(r.exitCode == 2, "\(args): \(r.stderr)")
        #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
    }

    @Test("verify never uses the network: without --responder, nothing is sent and the trace says so")
    func noNetworkWithoutResponder() async throws {
        let r = try await verify("--chain", Files.path("chain.pem"), "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let fetches = try #require(object["fetches"] as? [[String: Any]])
        #expect(fetches.first?["outcome"] as? String == "no OCSP fetcher configured", "\(r.stdout)")
        let trace = try #require(object["trace"] as? [[String: Any]]).compactMap { $0["detail"] as? String }
        #expect(trace.contains { $0.contains("no request was sent") }, "\(trace)")
        #expect(!trace.contains { $0.hasPrefix("POST ") }, "\(trace)")
    }

    @Test func helpExitsZero() async throws {
        let r = try await StapleCLI.run(["verify", "--help"])
        #expect(r.exitCode == 0)
        #expect(r.stdout.contains("--chain"))
        #expect(r.stdout.contains("tryLater"))
    }
}
