import ArgumentParser
import Foundation
import StapleTLS

/// The command-line tool. Its exit statuses are `ExitStatus`'s table.
struct Staple: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staple",
        abstract: "Verify stapled OCSP responses and RFC 7633 must-staple the way Firefox does.",
        version: "0.1.0",
        subcommands: [
            VerifyCommand.self, InspectCommand.self, VectorsCommand.self, CheckCommand.self, GetCommand.self,
            DemoCommand.self, ExporterCommand.self,
        ]
    )
}

@main
enum StapleMain {
    static func main() async {
        do {
            var command = try Staple.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as InputError {
            FileHandle.standardError.writeOrStop(Data("staple: \(error.description)\n".utf8))
            exit(ExitStatus.usage)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            // Help and version requests exit 0; ArgumentParser's usage errors (64) become 2.
            let code = Staple.exitCode(for: error)
            let message = Staple.fullMessage(for: error)
            if code == .success {
                print(message)
                exit(0)
            }
            FileHandle.standardError.writeOrStop(Data("\(message)\n".utf8))
            exit(code == .validationFailure ? ExitStatus.usage : code.rawValue)
        }
    }
}
