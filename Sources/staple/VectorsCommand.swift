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
        var summary = VectorSummaryDocument()
        if !json && !quiet { print(pad("case", 64) + pad("expected", 48) + pad("got", 48) + "result") }
        for c in cases {
            let o = await runner.run(c)
            summary.record(category: c.category, passed: o.passed)
            if json {
                print(try VectorCaseDocument(c, o).jsonLine())
            } else if !quiet || !o.passed {
                print(
                    pad(c.name, 64) + pad(c.expect.error ?? c.expect.verdict, 48) + pad(o.got, 48)
                        + (o.passed ? "pass" : "FAIL")
                )
                for mismatch in o.mismatches { print("    \(mismatch)") }
            }
        }
        if json {
            print(try summary.jsonLine())
        } else {
            for (category, counts) in summary.categories.sorted(by: { $0.key < $1.key }) {
                print("  \(pad(category, 16)) \(counts.passed) passed, \(counts.failed) failed")
            }
            print("\(summary.passed) passed, \(summary.failed) failed")
        }
        throw ExitCode(summary.failed == 0 ? 0 : 1)
    }

    private func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
    }
}
