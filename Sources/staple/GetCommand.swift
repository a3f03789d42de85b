import ArgumentParser
import Foundation
import StapleTLS

/// `staple get URL`: a strict-mode HTTPS GET. The body goes to stdout only when the verdict
/// accepts; otherwise nothing is sent past the handshake and the verdict goes to stderr.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Fetch an https URL over a verified, must-staple-aware connection (strict policy by default).",
        discussion: """
            The request is sent only after the handshake was accepted. The body goes to stdout; the
            verdict of a rejected connection to stderr. Exit code: 0 accepted, 1 rejected, 2 unusable
            input, 3 could not evaluate (or the HTTP exchange failed).
            """
    )

    @Argument(help: ArgumentHelp("https://host[:port]/path", valueName: "URL"))
    var url: String

    @OptionGroup var tls: TLSOptions

    @OptionGroup var fetch: FetchOptions

    @Flag(name: .customLong("json"), help: "Print the connection report to stderr as JSON instead of text.")
    var json = false

    func validate() throws {
        guard url.lowercased().hasPrefix("https://") else { throw ValidationError("URL must start with https://") }
        do { _ = try Endpoint(parsing: url) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let context = try fetch.makeContext(tls, defaultPreset: .strict)
        let client = HTTPSClient(checker: EndpointChecker(context: context))
        let result = await client.get(try Endpoint(parsing: url), serverName: tls.serverName, target: url)
        guard result.report.exitCode == 0 else {
            printError(json ? result.report.jsonLine() : ReportText.human(result.report))
            throw ExitCode(result.report.exitCode)
        }
        guard let response = result.response else {
            printError(
                "staple: the connection was accepted, but the HTTP exchange failed: \(result.httpError ?? "no response")"
            )
            throw ExitCode(ExitStatus.couldNotEvaluate)
        }
        if json { printError(result.report.jsonLine()) }
        if response.status.code >= 400 {
            printError("staple: HTTP \(response.status.code) \(response.status.reasonPhrase)")
        }
        FileHandle.standardOutput.writeOrStop(Data(response.body))
    }
}
