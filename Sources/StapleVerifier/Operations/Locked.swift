import Foundation

/// A value behind a lock, for the engine's shared state (the OCSP cache, the verdict cache, the
/// scripted fetcher).
///
/// Not `Synchronization.Mutex`: on Linux that is a futex of its own, which ThreadSanitizer cannot
/// see, so every access inside its `withLock` is reported as a "Swift access race" — a false
/// positive (ten lines with `Mutex` and `DispatchQueue.concurrentPerform` report it; the same with
/// `NSLock` report nothing). `NSLock` is a pthread mutex, which TSan understands, so the
/// sanitizer run (docs/TESTING.md) can tell real races from none.
package final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
