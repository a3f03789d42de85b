import Foundation
import StapleTestSupport
import StapleForge
import StapleTLS
import Testing

/// `staple check` for operators, against real TLS servers on loopback (StaplingTLSServer), time
/// pinned at T0: --compare, --warn-before, nagios/prometheus, report-only, fleets from a file or
/// stdin with NDJSON, the summary, Ctrl-C.
@Suite(.serialized) struct CheckFleetTests {
    static let t0 = Files.t0
    static let day: Int64 = 86_400
    static let pki = ForgePKI(keyType: .ecdsa, notBefore: t0 - 30 * day, notAfter: t0 + 300 * day, label: "Fleet")
    static let must = pki.leaf(
        serial: [0x0F, 0x01],
        extraExtensions: [ForgeExtension.tlsFeature([5])],
        ocspURL: "http://127.0.0.1:9/"
    )
    static let plain = pki.leaf(serial: [0x0F, 0x02], ocspURL: "http://127.0.0.1:9/")

    static func server(_ leaf: [UInt8], staple: [UInt8]?) throws -> StaplingTLSServer {
        try StaplingTLSServer(
            chainDER: [leaf, pki.intermediate],
            privateKeyDER: pki.leafKey.privateKeyDER,
            staple: staple
        )
    }
    static func good(_ leaf: [UInt8], nextUpdate: Int64 = t0 + 3 * day) -> [UInt8] {
        pki.response(for: leaf, thisUpdate: t0 - 3600, nextUpdate: nextUpdate).der()
    }

    static let rootFile: String = {
        let pem =
            "-----BEGIN CERTIFICATE-----\n"
            + Data(pki.root).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END CERTIFICATE-----\n"
        let path = Files.dir.appendingPathComponent("fleet-root.pem").path
        try! Data(pem.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }()

    func check(_ args: [String], stdin: String? = nil) async throws -> StapleCLI.Result {
        try await StapleCLI.run(
            ["check", "--ca", Self.rootFile, "--servername", "localhost", "--at", Files.at, "--timeout", "10"] + args,
            stdin: stdin
        )
    }

    @Test("one target: accepted 0; must-staple without staple 1, after the OCSP fetch")
    func single() async throws {
        let ok = try Self.server(Self.must, staple: Self.good(Self.must))
        let bad = try Self.server(Self.must, staple: nil)
        defer {
            ok.stop()
            bad.stop()
        }
        let a = try await check(["127.0.0.1:\(ok.port)"])
        #expect(a.exitCode == 0, "\(a.stdout)\(a.stderr)")
        #expect(a.stdout.contains("ACCEPTED"))
        let r = try await check(["127.0.0.1:\(bad.port)"])
        #expect(r.exitCode == 1)
        #expect(r.stdout.contains("MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"))
        #expect(r.stdout.contains("ocsp fetch"), "revocation is checked before must-staple")
    }

    @Test("--compare on one handshake: the presets side by side")
    func compare() async throws {
        let s = try Self.server(Self.plain, staple: ResponseForge.unsuccessful(3))
        defer { s.stop() }
        let r = try await check(["127.0.0.1:\(s.port)", "--compare", "--policy", "permissive"])
        #expect(r.exitCode == 0, "permissive accepts a tryLater staple")
        #expect(r.stdout.contains("firefox                  rejected  SEC_ERROR_OCSP_TRY_SERVER_LATER"))
        #expect(r.stdout.contains("permissive               accepted"))
        let j = try await check(["127.0.0.1:\(s.port)", "--compare", "--json"])
        #expect(j.exitCode == 1)
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        let rows = object["comparison"] as! [[String: Any]]
        #expect(rows.count == 7)
        #expect(rows.first { $0["name"] as? String == "firefox+tryLater=accept" }?["verdict"] as? String == "accepted")
        #expect(object["schema"] as? String == "swift-must-staple/check/1")
    }

    /// One certificate behind three servers (Good, tryLater, expired staples), the responder down:
    /// each target is a first visit by default, so the order cannot change a verdict, and the
    /// `firefox` row of `--compare` is the block's own verdict. `--shared-cache` is the browser's way.
    @Test("a fleet's verdicts do not depend on the order; --compare agrees with its block; --shared-cache")
    func fleetIsDeterministic() async throws {
        let servers = try [
            Self.good(Self.plain), ResponseForge.unsuccessful(3),
            Self.pki.response(for: Self.plain, thisUpdate: Self.t0 - 20 * Self.day, nextUpdate: Self.t0 - 12 * Self.day)
                .der(),
        ].map { try Self.server(Self.plain, staple: $0) }
        defer { servers.forEach { $0.stop() } }
        let targets = servers.map { "127.0.0.1:\($0.port)" }
        func verdicts(_ args: [String]) async throws -> [String: String] {
            let r = try await check(args + ["--json", "--compare"])
            var result: [String: String] = [:]
            for line in r.stdout.split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let target = try #require(object["target"] as? String)
                let verify = object["verify"] as? [String: Any]
                let error = (verify?["error"] as? [String: Any])?["name"] as? String ?? "accepted"
                let rows = try #require(object["comparison"] as? [[String: Any]])
                let firefox = try #require(rows.first { $0["name"] as? String == "firefox" })
                let rowError = (firefox["error"] as? [String: Any])?["name"] as? String ?? "accepted"
                #expect(rowError == error, "\(target): the block says \(error), its firefox row \(rowError)")
                result[target] = error
            }
            return result
        }
        let expected = [
            targets[0]: "accepted", targets[1]: "SEC_ERROR_OCSP_TRY_SERVER_LATER",
            targets[2]: "SEC_ERROR_OCSP_OLD_RESPONSE",
        ]
        #expect(try await verdicts(targets + ["--concurrency", "1"]) == expected)
        #expect(try await verdicts(targets.reversed() + ["--concurrency", "3"]) == expected)
        let shared = try await verdicts(targets + ["--concurrency", "1", "--shared-cache"])
        #expect(shared[targets[1]] == "accepted", "the Good staple seen first decides the tryLater target")
    }

    @Test("--warn-before, nagios and prometheus")
    func health() async throws {
        let soon = try Self.server(Self.must, staple: Self.good(Self.must, nextUpdate: Self.t0 + 3600))
        let fine = try Self.server(Self.must, staple: Self.good(Self.must))
        let none = try Self.server(Self.must, staple: nil)
        defer { [soon, fine, none].forEach { $0.stop() } }
        #expect(try await check(["127.0.0.1:\(fine.port)", "--warn-before", "2h"]).exitCode == 0)
        let w = try await check(["127.0.0.1:\(soon.port)", "--warn-before", "2h"])
        #expect(w.exitCode == 4)
        #expect(w.stdout.contains("WARNING: within --warn-before"))
        let n = try await check(["127.0.0.1:\(soon.port)", "--warn-before", "2h", "--format", "nagios"])
        #expect(n.exitCode == 1)
        #expect(
            n.stdout.hasPrefix("STAPLE WARNING - 127.0.0.1:\(soon.port): accepted, staple good, nextUpdate in 1h 0m")
        )
        let c = try await check(["127.0.0.1:\(none.port)", "--format", "nagios"])
        #expect(c.exitCode == 2)
        #expect(c.stdout.hasPrefix("STAPLE CRITICAL"))
        #expect(
            try await check(["127.0.0.1:\(soon.port)", "127.0.0.1:\(none.port)", "--warn-before", "2h"]).exitCode == 1,
            "worst: rejected beats warning"
        )
        let p = try await check([
            "127.0.0.1:\(soon.port)", "127.0.0.1:\(fine.port)", "127.0.0.1:\(none.port)", "--format", "prometheus",
            "--quiet",
        ])
        #expect(p.stdout.contains("staple_remaining_seconds{target=\"127.0.0.1:\(soon.port)\"} 3600"))
        #expect(p.stdout.contains("staple_accepted{target=\"127.0.0.1:\(none.port)\"} 0"))
        #expect(
            p.stdout.contains(
                "staple_error{target=\"127.0.0.1:\(none.port)\",error=\"MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING\"} 1"
            )
        )
    }

    @Test("--report-only: the handshake is not failed, the violation is written")
    func reportOnly() async throws {
        let none = try Self.server(Self.must, staple: nil)
        defer { none.stop() }
        let file = Files.dir.appendingPathComponent("violations-\(UUID().uuidString).jsonl")
        let r = try await check(["127.0.0.1:\(none.port)", "--report-only", "--report-file", file.path])
        #expect(r.exitCode == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("ACCEPTED"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        #expect(report["hostname"] as? String == "127.0.0.1")
        #expect(report["port"] as? Int == none.port)
        #expect(report["responseStatus"] as? String == "MISSING")
        #expect((report["servedCertificateChain"] as? [String])?.isEmpty == false)
    }

    @Test("a fleet of 200 loopback targets from a file: one NDJSON line each, a summary, the worst exit code")
    func fleet() async throws {
        var servers: [StaplingTLSServer] = []
        defer { StaplingTLSServer.stop(servers) }
        for i in 0..<200 {
            // Every tenth server staples nothing for a must-staple certificate.
            servers.append(try Self.server(Self.must, staple: i % 10 == 9 ? nil : Self.good(Self.must)))
        }
        let lines = ["# fleet", ""] + servers.map { "127.0.0.1:\($0.port)   # a server" }
        let file = Files.dir.appendingPathComponent("targets-\(UUID().uuidString).txt")
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
        let r = try await check(["--targets", file.path, "--concurrency", "50", "--json"])
        #expect(r.exitCode == 1)
        let objects = try r.stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(objects.count == 200)
        #expect(Set(objects.map { $0["target"] as! String }).count == 200, "exactly one object per target")
        #expect(objects.filter { $0["outcome"] as? String == "accepted" }.count == 180)
        #expect(r.stderr.contains("200 of 200 targets checked: 180 accepted, 0 warning, 20 rejected, 0 failed"))
        #expect(r.stderr.contains("20 × MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"))
        // The same targets on stdin.
        let s = try await check(
            ["--targets", "-", "--concurrency", "50", "--format", "nagios", "--quiet"],
            stdin: lines.joined(separator: "\n")
        )
        #expect(s.stdout.split(separator: "\n").count == 200)
        #expect(s.exitCode == 2, "nagios: CRITICAL")
        #expect(s.stderr.isEmpty, "--quiet: no summary")
    }

    @Test("a bad line in the targets file is bad input (exit 2), naming the line")
    func badTargetsFile() async throws {
        let file = Files.dir.appendingPathComponent("bad-targets-\(UUID().uuidString).txt")
        try Data("127.0.0.1:443\nhttps://[::1\n".utf8).write(to: file)
        let r = try await check(["--targets", file.path])
        #expect(r.exitCode == 2)
        #expect(r.stderr.contains("line 2"))
        #expect(try await check(["--targets", "/nonexistent/targets"]).exitCode == 2)
    }

    @Test("Ctrl-C prints the partial summary and exits 130")
    func interrupt() async throws {
        let ok = try Self.server(Self.must, staple: Self.good(Self.must))
        defer { ok.stop() }
        // A listener that never accepts: the handshake waits (up to --timeout 30).
        let (silent, silentPort) = try LoopbackListener.open(backlog: 8)
        defer { close(silent) }
        let p = Process()
        p.executableURL = try StapleCLI.executable()
        p.arguments = [
            "check", "--ca", Self.rootFile, "--servername", "localhost", "--at", Files.at, "--timeout", "30",
            "127.0.0.1:\(ok.port)", "127.0.0.1:\(silentPort)",
        ]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Wait for the first result, then interrupt (hang guard: 20 s).
        let deadline = Date().addingTimeInterval(20)
        var seen = Data()
        while Date() < deadline, !String(decoding: seen, as: UTF8.self).contains("ACCEPTED") {
            seen.append(out.fileHandleForReading.availableData)
        }
        kill(p.processIdentifier, SIGINT)
        await p.exited()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 130)
        #expect(stderr.contains("interrupted: 1 of 2 targets checked: 1 accepted"))
    }
}

@Suite struct DemoServeTests {
    @Test("demo --serve writes root.pem and target lists, serves until Ctrl-C")
    func serve() async throws {
        let dir = Files.dir.appendingPathComponent("serve-\(UUID().uuidString)")
        let p = Process()
        p.executableURL = try StapleCLI.executable()
        p.arguments = ["demo", "--serve", dir.path, "--fleet", "5", "--at", Files.at]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        var seen = Data()
        let deadline = Date().addingTimeInterval(20)  // hang guard only
        while Date() < deadline, !String(decoding: seen, as: UTF8.self).contains("Ctrl-C stops them.") {
            seen.append(out.fileHandleForReading.availableData)
        }
        let r = try await StapleCLI.run([
            "check", "--ca", dir.appendingPathComponent("root.pem").path, "--servername", "localhost", "--at", Files.at,
            "--targets", dir.appendingPathComponent("targets.txt").path, "--json", "--quiet",
        ])
        let f = try await StapleCLI.run([
            "check", "--ca", dir.appendingPathComponent("root.pem").path, "--servername", "localhost", "--at", Files.at,
            "--targets", dir.appendingPathComponent("fleet.txt").path, "--json",
        ])
        kill(p.processIdentifier, SIGINT)
        await p.exited()
        #expect(r.stdout.split(separator: "\n").count == 7)
        #expect(r.exitCode == 1, "the demo's rejections")
        #expect(f.stderr.contains("5 of 5 targets checked: 5 accepted"))
        #expect(p.terminationStatus == 0)
    }
}
