import Foundation

extension Process {
    /// Waits for the process to exit without holding a thread: Swift Testing runs tests on the
    /// cooperative pool, as wide as the machine's cores, and a test blocked in `waitUntilExit()`
    /// takes one of those threads from every other test (on two cores, two such tests stall the
    /// exporter's and the fetcher's tasks until a child exits).
    ///
    /// - Parameter limit: past it the process is killed (SIGKILL, by its pid), so a hung child
    ///   cannot hang the test run.
    package func exited(killingAfter limit: Duration = .seconds(60)) async {
        let pid = processIdentifier
        let watchdog = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            kill(pid, SIGKILL)
        }
        defer { watchdog.cancel() }
        let once = ResumeOnce()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            once.set(continuation)
            terminationHandler = { _ in once.resume() }
            if !isRunning { once.resume() }
        }
        // The handler may run before Foundation has read the status; this returns at once then.
        waitUntilExit()
    }
}

/// Resumes a continuation once, whichever of several callers comes first.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var resumed = false

    func set(_ continuation: CheckedContinuation<Void, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    func resume() {
        let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
            guard !resumed else { return nil }
            resumed = true
            return continuation
        }
        waiting?.resume()
    }
}
