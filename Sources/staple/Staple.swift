import ArgumentParser
import StapleTLS

@main
struct Staple: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staple",
        abstract: "A must-staple-aware TLS client verifier.",
        version: StapleTLSVersion.current,
        subcommands: [CheckCommand.self, GetCommand.self]
    )
}
