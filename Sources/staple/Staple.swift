import ArgumentParser
import Foundation
import StapleTLS

@main
struct Staple: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staple",
        abstract: "A must-staple-aware TLS client verifier.",
        version: StapleTLSVersion.current,
        subcommands: [CheckCommand.self, GetCommand.self]
    )

    /// argument-parser's own `main`, except that usage errors exit 2, not EX_USAGE (64): the exit
    /// codes of DESIGN.md are 0 accepted, 1 rejected, 2 usage or unreadable input, 3 could not evaluate.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
