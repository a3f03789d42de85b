import Foundation

/// Runs the built `staple` executable for every test that runs it; the tests that interrupt it
/// mid-run start it themselves from ``executable()``, to signal it by its pid. The test targets that
/// use it depend on the `staple` target, so it is built beside them.
package enum StapleCLI {
    package struct Result: Sendable {
        package let exitCode: Int32
        package let stdout: String
        package let stderr: String
    }

    package static func executable() throws -> URL {
        var candidates: [URL] = []
        if let url = Bundle.main.executableURL {
            candidates.append(url.deletingLastPathComponent().appendingPathComponent("staple"))
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("staple"))
        }
        // Sources/StapleTestSupport/StapleCLI.swift → the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/staple"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ExternalServer.Missing(
                description: "the staple executable was not found (looked at \(candidates.map(\.path)))"
            )
        }
        return found
    }

    /// Runs `staple ARGUMENTS` with `stdin` as its standard input (nil: an empty one); gives up
    /// (and kills it by pid) after 60 s. Awaits the exit without holding a thread
    /// (`Process/exited(killingAfter:)`).
    ///
    /// Output and input go through files, not pipes: the output is read after the exit, and a
    /// child that fills a pipe nobody reads yet would never exit.
    package static func run(_ arguments: [String], stdin: String? = nil) async throws -> Result {
        let dir = try ExternalServer.temporaryDirectory("cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("stdout")
        let err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let input = dir.appendingPathComponent("stdin")
            try Data(stdin.utf8).write(to: input)
            process.standardInput = try FileHandle(forReadingFrom: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        await process.exited()
        return Result(
            exitCode: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        )
    }

    /// The options every test run uses: the test root, pinned at T0.
    package static let pinned = ["--ca", Fixtures.root, "--at", Fixtures.t0Text]
}
