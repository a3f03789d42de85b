import Foundation

extension FileHandle {
    /// The status a shell reports for a process ended by SIGPIPE (128 + 13).
    static let brokenPipeStatus: Int32 = 141

    /// Writes without trapping (Foundation's `write(_:)` traps on any error). When standard output
    /// has no reader any more (`staple check … | head`), the run ends quietly with status 141, as
    /// a tool killed by SIGPIPE would; a failed write to standard error is dropped.
    func writeOrStop(_ data: Data) {
        do { try write(contentsOf: data) } catch {
            if fileDescriptor == STDOUT_FILENO { exit(Self.brokenPipeStatus) }
        }
    }
}
