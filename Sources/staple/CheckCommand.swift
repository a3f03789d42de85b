import ArgumentParser
import Foundation
import StapleTLS

/// `staple check TARGET...`: handshake with each target, the engine inside the handshake, and a
/// short report (or one JSON line) per target. Exit code: the worst of the targets.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check TLS endpoints: handshake, staple and verdict.",
        discussion: """
        TARGET is host, host:port or an https URL (default port 443). Exit code: the worst of the
        targets — 0 accepted, 1 rejected (certificate or staple), 2 unusable input, 3 could not
        evaluate (connect, handshake, timeout).
        """)

    @Argument(help: ArgumentHelp("host, host:port or https://host[:port]/…", valueName: "TARGET"))
    var targets: [String]

    @OptionGroup var tls: TLSOptions

    @OptionGroup var fetch: FetchOptions

    @Flag(name: .customLong("json"), help: "Print one JSON object per target, one per line.")
    var json = false

    @Option(name: .customLong("parallel"), help: ArgumentHelp("How many targets to check at once.", valueName: "N"))
    var parallel = 8

    func validate() throws {
        guard !targets.isEmpty else { throw ValidationError("give at least one TARGET") }
        guard parallel >= 1 else { throw ValidationError("--parallel takes a number ≥ 1") }
        for target in targets {
            do { _ = try Endpoint(parsing: target) } catch { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        let context = try fetch.makeContext(tls, defaultPreset: .firefox)
        let checker = EndpointChecker(context: context)
        let list = try targets.map { target in
            (endpoint: try Endpoint(parsing: target), serverName: tls.serverName, target: target)
        }
        let reports = await checker.check(list, concurrency: parallel)
        for report in reports {
            print(json ? report.jsonLine() : ReportText.human(report))
        }
        let worst = reports.map(\.exitCode).max() ?? 0
        if worst != 0 { throw ExitCode(worst) }
    }
}
