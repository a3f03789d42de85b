/// The exit statuses of the `staple` command, and so of every report that carries one
/// (`ConnectionReport.exitCode`, the `exitCode` field of the JSON documents). The one table; the
/// CLI, the reports and their tests refer to it by name.
///
/// | status | meaning |
/// |---|---|
/// | 0 | accepted by the policy |
/// | 1 | rejected by the policy (the server's certificate or staple) |
/// | 2 | usage error or unusable input (ours: a file, a trust store, a chain that cannot be read) |
/// | 3 | could not evaluate (the connection or the handshake failed) |
/// | 4 | accepted, with a warning (`--warn-before`) |
package enum ExitStatus {
    package static let accepted: Int32 = 0
    package static let rejected: Int32 = 1
    package static let usage: Int32 = 2
    package static let couldNotEvaluate: Int32 = 3
    package static let warning: Int32 = 4
}
