import Foundation

/// The test process's resident memory, from /proc/self/status: how much a hostile server managed
/// to make the client hold. `VmHWM` is the peak; writing 5 to /proc/self/clear_refs resets it
/// (Linux ≥ 4.0), so a test can measure the peak over one connection. It is an upper bound on what
/// a connection made the process hold, not an allocation count: memory the allocator reuses from
/// earlier tests does not raise it, anything beyond that does.
enum ResidentMemory {
    /// VmRSS in bytes.
    static var current: Int { field("VmRSS") }
    /// VmHWM in bytes: the peak since the last ``resetPeak()``.
    static var peak: Int { field("VmHWM") }

    /// Resets the peak to the current resident size; false where the kernel does not allow it.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// Runs `body` and returns the growth of the peak resident size it caused, in bytes.
    static func growth<T>(_ body: () async throws -> T) async rethrows -> (value: T, bytes: Int) {
        let before = current
        resetPeak()
        let value = try await body()
        return (value, max(peak, current) - before)
    }

    private static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let number = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return (number.flatMap { Int($0) } ?? 0) * 1024
        }
        return 0
    }
}
