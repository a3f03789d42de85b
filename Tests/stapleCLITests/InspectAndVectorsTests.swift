import Foundation
import StapleTestSupport
import Testing

@Suite struct InspectAndVectorsTests {
    @Test func inspectCertificate() async throws {
        let r = try await StapleCLI.run(["inspect", Files.path("must.pem")])
        #expect(r.exitCode == 0)
        #expect(r.stdout.contains("TLS Feature: [5] — must-staple"))
        #expect(r.stdout.contains("OCSP URLs:   http://127.0.0.1:8888/"))
    }

    @Test func inspectResponseJSON() async throws {
        let r = try await StapleCLI.run(["inspect", Files.path("good.der"), "--json"])
        #expect(r.exitCode == 0)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(json["kind"] as? String == "ocspResponse")
        #expect(json["responseStatus"] as? String == "successful")
        let responses = json["responses"] as! [[String: Any]]
        #expect(responses.first?["certStatus"] as? String == "good")
        #expect(responses.first?["serial"] as? String == "1001")
        let t = try await StapleCLI.run(["inspect", Files.path("trylater.der")])
        #expect(t.stdout.contains("status:      tryLater"))
    }

    static let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TestVectors/manifest.json").path

    @Test("staple vectors runs a manifest and ends with 'N passed, M failed'")
    func vectors() async throws {
        let r = try await StapleCLI.run(["vectors", Self.manifest, "--filter", "firefox-8.12"])
        #expect(r.exitCode == 0)
        #expect(r.stdout.hasSuffix("42 passed, 0 failed\n"))
        let bad = try await StapleCLI.run(["vectors", Files.path("good.der")])
        #expect(bad.exitCode == 2)
        let none = try await StapleCLI.run(["vectors", Self.manifest, "--filter", "no-such-case"])
        #expect(none.exitCode == 2)
    }

    @Test("a failing case makes staple vectors exit 1")
    func failingVector() async throws {
        var manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.manifest)))
            as! [String: Any]
        var cases = manifest["cases"] as! [[String: Any]]
        var c = cases.first { (($0["expect"] as! [String: Any])["verdict"] as! String) == "accepted" }!
        var expect = c["expect"] as! [String: Any]
        expect["verdict"] = "rejected"
        c["expect"] = expect
        cases = [c]
        manifest["cases"] = cases
        let dir = URL(fileURLWithPath: Self.manifest).deletingLastPathComponent()
        let file = dir.appendingPathComponent("manifest-failing-\(getpid()).json")
        try JSONSerialization.data(withJSONObject: manifest).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try await StapleCLI.run(["vectors", file.path])
        #expect(r.exitCode == 1)
        #expect(r.stdout.contains("FAIL"))
        #expect(r.stdout.hasSuffix("0 passed, 1 failed\n"))
    }
}

@Suite struct DemoCommandTests {
    @Test("staple demo: every verdict is the one the specification predicts (time pinned)")
    func demo() async throws {
        let r = try await StapleCLI.run(["demo", "--json", "--at", Files.at])
        #expect(r.exitCode == 0, "\(r.stdout)\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 7)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            for result in object["results"] as! [[String: Any]] {
                #expect(result["matches"] as? Bool == true, "\(object["scenario"]!): \(result)")
            }
        }
    }
}
