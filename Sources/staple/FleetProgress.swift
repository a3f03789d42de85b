import Foundation

/// Progress, counts and the summary of a `check` run over many targets. Output lines and the
/// progress bar share stderr/stdout without tearing: every write goes through one lock.
final class FleetProgress: @unchecked Sendable {
    let total: Int
    let visible: Bool
    let summary: Bool
    private let lock = NSLock()
    private(set) var statuses: [(exit: Int32, nagios: Int32)] = []
    private var byOutcome: [String: Int] = [:]
    private var byError: [String: Int] = [:]
    private var finished = false

    init(total: Int, visible: Bool, summary: Bool) {
        self.total = total
        self.visible = visible
        self.summary = summary
    }

    func record(_ t: CheckedTarget) {
        lock.withLock {
            statuses.append((t.exitStatus, t.nagiosStatus))
            let outcome =
                t.isWarning ? "warning" : t.baseStatus == 0 ? "accepted" : t.baseStatus == 1 ? "rejected" : "failed"
            byOutcome[outcome, default: 0] += 1
            if let e = t.errorName { byError[e, default: 0] += 1 }
        }
    }

    /// Prints one result line (or block) to stdout, redrawing the bar after it.
    func print(_ text: String) {
        lock.withLock {
            if visible { FileHandle.standardError.writeOrStop(Data("\r\u{1B}[K".utf8)) }
            FileHandle.standardOutput.writeOrStop(Data((text + "\n").utf8))
            if visible { FileHandle.standardError.writeOrStop(Data(bar().utf8)) }
        }
    }

    private func bar() -> String {
        let done = statuses.count
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let counts = ["accepted", "warning", "rejected", "failed"].compactMap { k in byOutcome[k].map { "\($0) \(k)" } }
            .joined(separator: ", ")
        return "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            + "] \(done)/\(total)  \(counts)"
    }

    /// The summary on stderr (for more than one target), once.
    func finish(interrupted: Bool) {
        lock.withLock {
            guard !finished else { return }
            finished = true
            if visible { FileHandle.standardError.writeOrStop(Data("\r\u{1B}[K".utf8)) }
            guard summary, total > 1 || interrupted else { return }
            var lines = [
                "\(interrupted ? "interrupted: " : "")\(statuses.count) of \(total) targets checked: "
                    + ["accepted", "warning", "rejected", "failed"].map { "\(byOutcome[$0] ?? 0) \($0)" }.joined(
                        separator: ", "
                    )
            ]
            for (name, count) in byError.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                lines.append("  \(count) × \(name)")
            }
            FileHandle.standardError.writeOrStop(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }

    /// Ctrl-C: run `handler` (the partial summary) and exit 130.
    static func onInterrupt(_ handler: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            handler()
            exit(130)
        }
        source.resume()
        return source
    }
}
