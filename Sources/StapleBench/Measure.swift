import Foundation

/// Monotonic nanoseconds (`CLOCK_MONOTONIC`).
@inline(__always) func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// CPU time of the calling thread, in nanoseconds (`CLOCK_THREAD_CPUTIME_ID`).
@inline(__always) func threadCPUNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// CPU time (user + system) of the whole process, in nanoseconds.
func processCPUNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Keeps the optimizer from dropping a result.
@inline(never) func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Median and range of one quantity over the rounds.
struct Stats: Sendable {
    let values: [Double]
    var median: Double {
        let s = values.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    var min: Double { values.min() ?? .nan }
    var max: Double { values.max() ?? .nan }
}

/// Micro-benchmarks measured together: each case is calibrated to a batch of about `batchMillis`,
/// then every round runs one batch of every case, the order rotating from round to round, so that
/// whatever else the machine does at a given moment falls on all cases alike. A case's value for a
/// round is the batch's CPU time on the measuring thread (`CLOCK_THREAD_CPUTIME_ID`: time the
/// thread was descheduled by the other builds sharing the machine does not count; cache and
/// core sharing still do) divided by its iterations; the result is the median over rounds and the
/// range (min…max).
struct Interleaved {
    struct Case {
        let name: String
        /// One operation; returns false when the operation did not give the expected answer.
        let body: () -> Bool
    }

    var cases: [Case] = []
    var rounds: Int
    var batchMillis: Double

    mutating func add(_ name: String, _ body: @escaping () -> Bool) {
        cases.append(Case(name: name, body: body))
    }

    /// Runs every case once, checking its answer, then the rounds. Exits the process if a case
    /// gives a wrong answer: a fast wrong verification is not a result.
    func run(progress: (String) -> Void = { _ in }) -> [String: Stats] {
        for c in cases where !c.body() {
            FileHandle.standardError.write(Data("bench: case \(c.name) did not verify; refusing to time it\n".utf8))
            exit(2)
        }
        // Calibrate: iterations per batch.
        var iterations: [Int] = []
        for c in cases {
            var n = 1
            while true {
                let start = monotonicNanos()
                for _ in 0..<n { _ = c.body() }
                let elapsed = Double(monotonicNanos() - start) / 1e6
                if elapsed >= batchMillis / 4 || n >= 1 << 22 {
                    iterations.append(Swift.max(1, Int(Double(n) * batchMillis / Swift.max(elapsed, 0.001))))
                    break
                }
                n *= 4
            }
        }
        var samples = [[Double]](repeating: [], count: cases.count)
        for round in 0..<rounds {
            for k in 0..<cases.count {
                let i = (k + round) % cases.count
                let c = cases[i]
                let n = iterations[i]
                var ok = true
                let start = threadCPUNanos()
                for _ in 0..<n { ok = c.body() && ok }
                let elapsed = threadCPUNanos() - start
                if !ok {
                    FileHandle.standardError.write(
                        Data("bench: case \(c.name) stopped verifying in round \(round + 1)\n".utf8)
                    )
                    exit(2)
                }
                samples[i].append(Double(elapsed) / Double(n))
            }
            progress("round \(round + 1)/\(rounds)")
        }
        var result: [String: Stats] = [:]
        for (i, c) in cases.enumerated() { result[c.name] = Stats(values: samples[i]) }
        return result
    }
}

/// Formats nanoseconds for the table.
func formatNanos(_ ns: Double) -> String {
    if ns.isNaN { return "—" }
    if ns >= 1e6 { return String(format: "%.2f ms", ns / 1e6) }
    if ns >= 1e3 { return String(format: "%.1f µs", ns / 1e3) }
    return String(format: "%.0f ns", ns)
}

func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
