import ArgumentParser
import Foundation
import StapleVectors
import StapleVerifier

/// `staple vectors`: runs a test-vector manifest and prints a table and `N passed, M failed`.
struct VectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract:
            "Run a test-vector manifest (default TestVectors/manifest.json) and compare each verdict with the expected one.",
        discussion: "Exit status: 0 when every case passes, 1 when any fails, 2 for an unreadable manifest."
    )

    @Argument(help: "The manifest.")
    var manifest: String = "TestVectors/manifest.json"

    @Option(name: .long, help: "Run only the cases whose name contains this text.")
    var filter: String?

    @Flag(name: .long, help: "Print one JSON object per case, then a summary object.")
    var json = false

    @Flag(name: .long, help: "Print only failing cases and the summary.")
    var quiet = false

    func run() async throws {
        let m: VectorManifest
        do { m = try VectorManifest(contentsOf: URL(fileURLWithPath: manifest)) } catch {
            throw InputError("\(error)")
        }
        let runner = VectorRunner(manifest: m)
        let cases = m.cases.filter { filter == nil || $0.name.contains(filter!) }
        guard !cases.isEmpty else { throw InputError("no case matches --filter '\(filter ?? "")'") }
        var passed = 0
        var failed = 0
        var byCategory: [String: (Int, Int)] = [:]
        if !json && !quiet { print(pad("case", 64) + pad("expected", 48) + pad("got", 48) + "result") }
        for c in cases {
            let o = await runner.run(c)
            if o.passed { passed += 1 } else { failed += 1 }
            byCategory[c.category, default: (0, 0)].0 += o.passed ? 1 : 0
            byCategory[c.category, default: (0, 0)].1 += o.passed ? 0 : 1
            if json {
                let object: [String: Any] = [
                    "case": c.name, "category": c.category, "expected": c.expect.error ?? c.expect.verdict,
                    "got": o.got, "requests": o.requests, "passed": o.passed, "mismatches": o.mismatches,
                ]
                print(
                    String(
                        decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
                        as: UTF8.self
                    )
                )
            } else if !quiet || !o.passed {
                print(
                    pad(c.name, 64) + pad(c.expect.error ?? c.expect.verdict, 48) + pad(o.got, 48)
                        + (o.passed ? "pass" : "FAIL")
                )
                for mismatch in o.mismatches { print("    \(mismatch)") }
            }
        }
        if json {
            let summary: [String: Any] = [
                "passed": passed, "failed": failed,
                "categories": byCategory.mapValues { ["passed": $0.0, "failed": $0.1] },
            ]
            print(
                String(
                    decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]),
                    as: UTF8.self
                )
            )
        } else {
            for (category, counts) in byCategory.sorted(by: { $0.key < $1.key }) {
                print("  \(pad(category, 16)) \(counts.0) passed, \(counts.1) failed")
            }
            print("\(passed) passed, \(failed) failed")
        }
        throw ExitCode(failed == 0 ? 0 : 1)
    }

    private func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
    }
}
