import Foundation
import StapleForge
import StapleTestSupport
import Testing

@testable import staple

/// The CLI's JSON documents are Encodable types, encoded once. Their lines must stay the ones
/// JSONSerialization wrote when the CLI re-read encoded values and merged them: the same keys,
/// values, escaping and key order. So each line is held to what JSONSerialization writes for it.
@Suite struct JSONDocumentTests {
    /// The line as JSONSerialization writes the same object (sorted keys; slashes escaped or not).
    static func serialized(_ line: some StringProtocol, escapingSlashes: Bool) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        var options: JSONSerialization.WritingOptions = [.sortedKeys]
        if !escapingSlashes { options.insert(.withoutEscapingSlashes) }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self)
    }

    static func lines(_ r: StapleCLI.Result) -> [Substring] { r.stdout.split(separator: "\n") }

    @Test("staple verify --json with every operator field: the line JSONSerialization wrote")
    func verify() async throws {
        let base = ["verify", "--at", Files.at, "--json", "--compare", "--warn-before", "30d", "--report-only"]
        let accepted = try await StapleCLI.run(
            base + ["--chain", Files.path("chain.pem"), "--staple", Files.path("good.der")]
        )
        let rejected = try await StapleCLI.run(base + ["--chain", Files.path("must.pem")])
        #expect(accepted.exitCode == 4, "accepted, but nextUpdate is within --warn-before")
        #expect(rejected.exitCode == 0, "report-only")
        for r in [accepted, rejected] {
            let line = try #require(Self.lines(r).first)
            #expect(Self.lines(r).count == 1)
            #expect(String(line) == (try Self.serialized(line, escapingSlashes: false)))
            #expect(line.contains(#""target":"\#(Files.dir.path)/"#), "slashes are not escaped")
            #expect(line.contains(#""health":{"#) && line.contains(#""comparison":[{"#))
        }
        #expect(rejected.stdout.contains(#""report":{"#) && rejected.stdout.contains(#""reportedError":{"#))
    }

    @Test("staple check --json: the connection report and the operator fields in one object")
    func check() async throws {
        let now = Files.t0
        let pki = ForgePKI(keyType: .ecdsa, notBefore: now - 86_400, notAfter: now + 90 * 86_400, label: "Documents")
        let leaf = pki.leaf(extraExtensions: [ForgeExtension.tlsFeature([5])], ocspURL: "http://127.0.0.1:9/")
        let staple = pki.response(for: leaf, thisUpdate: now - 3600, nextUpdate: now + 86_400).der()
        let good = try StaplingTLSServer(
            chainDER: [leaf, pki.intermediate],
            privateKeyDER: pki.leafKey.privateKeyDER,
            staple: staple
        )
        let missing = try StaplingTLSServer(
            chainDER: [leaf, pki.intermediate],
            privateKeyDER: pki.leafKey.privateKeyDER,
            staple: nil
        )
        defer { StaplingTLSServer.stop([good, missing]) }
        let root = Files.dir.appendingPathComponent("documents-root.pem")
        let pem = Data(pki.root).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        try Data("-----BEGIN CERTIFICATE-----\n\(pem)\n-----END CERTIFICATE-----\n".utf8).write(to: root)
        let r = try await StapleCLI.run([
            "check", "--ca", root.path, "--servername", "localhost", "--at", Files.at, "--quiet", "--concurrency", "1",
            "--json", "--compare", "--warn-before", "2d", "--report-only",
            "127.0.0.1:\(good.port)", "https://127.0.0.1:\(missing.port)/a/b", "127.0.0.1:1",
        ])
        #expect(r.exitCode == 3, "the refused target is worst: \(r.stdout)\(r.stderr)")
        let lines = Self.lines(r)
        #expect(lines.count == 3)
        for line in lines {
            #expect(String(line) == (try Self.serialized(line, escapingSlashes: false)))
            #expect(line.contains(#""schema":"swift-must-staple/check/1""#))
        }
        #expect(lines[0].contains(#""warning":true"#) && lines[0].contains(#""comparison":[{"#))
        #expect(lines[1].contains(#""target":"https://127.0.0.1:\#(missing.port)/a/b""#))
        #expect(lines[1].contains(#""report":{"#))
        #expect(lines[2].contains(#""verify":null"#) && !lines[2].contains(#""health""#))
    }

    @Test("staple vectors --json: per-case lines and the summary, slashes escaped as before")
    func vectors() async throws {
        let r = try await StapleCLI.run([
            "vectors", InspectAndVectorsTests.manifest, "--json", "--filter", "rsa/firefox-8.1",
        ])
        #expect(r.exitCode == 0, "\(r.stderr)")
        let lines = Self.lines(r)
        #expect(lines.count > 2)
        for line in lines {
            #expect(String(line) == (try Self.serialized(line, escapingSlashes: true)))
        }
        #expect(lines[0].contains(#""case":"rsa\/firefox-8.1"#))
        #expect(lines.last!.hasPrefix(#"{"categories":{"firefox-8.1":{"failed":0,"passed":"#))
    }

    @Test("the summary lists categories as JSONSerialization sorted them: numerically, case ignored")
    func summaryOrder() throws {
        var summary = VectorSummaryDocument()
        let names = [
            "firefox-8.11", "firefox-8.2", "Zeta", "alpha", "Alpha", "éclair", "a/b", "x10", "x9", "x_y", "xY",
        ]
        for (i, name) in names.enumerated() {
            for n in 0...i { summary.record(category: name, passed: n % 3 != 0) }
        }
        let line = try summary.jsonLine()
        let legacy: [String: Any] = [
            "passed": summary.passed, "failed": summary.failed,
            "categories": summary.categories.mapValues { ["passed": $0.passed, "failed": $0.failed] },
        ]
        let expected = try JSONSerialization.data(withJSONObject: legacy, options: [.sortedKeys])
        #expect(line == String(decoding: expected, as: UTF8.self))
        let at = { (name: String) in line.range(of: #""\#(name)":"#)!.lowerBound }
        #expect(at("firefox-8.2") < at("firefox-8.11"))
        #expect(at("x9") < at("x10"))
        // The same content as the Encodable encoding, whose keys JSONEncoder orders by their bytes.
        let encoded = String(decoding: try VectorSummaryDocument.encoder.encode(summary), as: UTF8.self)
        #expect(encoded != line)
        #expect(try Self.serialized(encoded, escapingSlashes: true) == line)
    }

    @Test("staple demo --json: one line per scenario, as JSONSerialization wrote it")
    func demo() async throws {
        let r = try await StapleCLI.run(["demo", "--json", "--at", Files.at])
        #expect(r.exitCode == 0, "\(r.stdout)\(r.stderr)")
        for line in Self.lines(r) {
            #expect(String(line) == (try Self.serialized(line, escapingSlashes: true)))
            #expect(line.hasPrefix(#"{"results":[{"expected":"#))
        }
    }
}
