import Foundation
import StapleVectors
import Testing

/// Every case of TestVectors/manifest.json, one test argument each, named after the case.
@Suite struct VectorCorpusTests {
    static let manifestURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestVectors/manifest.json")

    static let manifest: VectorManifest? = try? VectorManifest(contentsOf: manifestURL)

    @Test("the corpus loads and is large enough")
    func corpusLoads() throws {
        let m = try VectorManifest(contentsOf: Self.manifestURL)
        #expect(m.cases.count >= 150)
        let categories = Set(m.cases.map(\.category))
        for required in [
            "firefox-8.1", "firefox-8.2", "firefox-8.3", "firefox-8.5", "firefox-8.6", "firefox-8.11", "firefox-8.12",
            "presets", "times", "certid", "mongodb",
        ] {
            #expect(categories.contains(required), "category \(required)")
        }
    }

    @Test("vector", arguments: manifest?.cases ?? [])
    func vector(_ c: VectorCase) async throws {
        let outcome = await VectorRunner(manifest: Self.manifest!).run(c)
        #expect(outcome.mismatches.isEmpty, "\(c.name): \(c.summary) — \(outcome.mismatches.joined(separator: "; "))")
    }
}

extension VectorCase: CustomTestStringConvertible {
    public var testDescription: String { name }
}
