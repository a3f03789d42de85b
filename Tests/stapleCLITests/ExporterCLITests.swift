import Foundation
import StapleTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `staple exporter` as an operator starts it: usage errors before listening, a configuration
/// file's mistakes by line, the address it listens on, and a clean stop on SIGTERM.
@Suite struct ExporterCLITests {
    @Test(
        "what cannot work is refused before listening (exit 2)",
        arguments: [
            ([] as [String], "nothing could be probed: give --allow PATTERN"),
            (["--allow", "10.0.0.1/8"], "host bits are set below /8"),
            (["--config", "x.yml", "--allow", "127.0.0.1"], "--config holds the modules"),
            (["--allow", "127.0.0.1", "--listen", "bad host:9115"], "--listen"),
            (["--allow", "127.0.0.1", "--max-concurrent", "0"], "--max-concurrent takes 1...10000"),
            (["--allow", "127.0.0.1", "--timeout", "-1"], "--timeout takes seconds in (0, 3600]"),
            (["--allow", "127.0.0.1", "--policy", "chrome"], "unknown policy 'chrome'"),
            (["--allow", "127.0.0.1", "--ca", "/nonexistent.pem"], "module 'default'"),
            (["--config", "/nonexistent.yml"], "/nonexistent.yml: cannot be read"),
        ]
    )
    func usage(_ arguments: [String], _ message: String) async throws {
        let r = try await StapleCLI.run(["exporter", "--listen", "127.0.0.1:0"] + arguments)
        #expect(r.exitCode == 2, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test("a configuration file's mistake names its line")
    func configurationMistake() async throws {
        let file = Files.path("exporter-mistake.yml")
        try Data("modules:\n  default:\n    allow: [127.0.0.1]\n    timout_seconds: 3\n".utf8)
            .write(to: URL(fileURLWithPath: file))
        let r = try await StapleCLI.run(["exporter", "--listen", "127.0.0.1:0", "--config", file])
        #expect(r.exitCode == 2)
        #expect(r.stderr.contains("\(file):3: module 'default': unknown key 'timout_seconds'"), "\(r.stderr)")
    }

    @Test("it says where it listens, answers /metrics and /probe, and stops on SIGTERM with exit 0")
    func servesAndStops() async throws {
        let file = Files.path("exporter-ok.yml")
        try Data("modules:\n  default:\n    allow: [\"127.0.0.1:1\"]\n".utf8).write(to: URL(fileURLWithPath: file))
        let p = Process()
        p.executableURL = try StapleCLI.executable()
        p.arguments = ["exporter", "--listen", "127.0.0.1:0", "--config", file]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        var seen = ""
        let deadline = Date().addingTimeInterval(20)  // hang guard only
        while Date() < deadline, !seen.contains("\n") {
            seen += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        let address = try #require(seen.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(seen.hasPrefix("listening on 127.0.0.1:"))

        let (metrics, _) = try await URLSession.shared.data(from: URL(string: "http://\(address)/metrics")!)
        #expect(String(decoding: metrics, as: UTF8.self).contains("staple_exporter_probes_total"))
        let (refusal, response) = try await URLSession.shared.data(
            from: URL(string: "http://\(address)/probe?target=127.0.0.1:2")!
        )
        #expect((response as? HTTPURLResponse)?.statusCode == 400)
        #expect(String(decoding: refusal, as: UTF8.self).contains("is not allowed by module 'default'"))
        // Nothing listens on port 1: a probe that fails to connect is still an answer (exit code 3).
        let (failed, _) = try await URLSession.shared.data(
            from: URL(string: "http://\(address)/probe?target=127.0.0.1:1")!
        )
        #expect(String(decoding: failed, as: UTF8.self).contains("staple_exit_code 3.0"))

        kill(p.processIdentifier, SIGTERM)
        await p.exited()
        #expect(p.terminationStatus == 0)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("SIGTERM: stopping after the probes in flight"), "\(log)")
        #expect(log.contains("probe refused"), "\(log)")
    }
}
