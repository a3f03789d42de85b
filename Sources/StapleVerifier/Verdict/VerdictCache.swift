import Foundation

/// Remembers verdicts that accepted a connection on a fresh Good staple, so that the same staple
/// for the same chain under the same policy is not parsed and signature-checked again on every
/// handshake.
///
/// What can never reuse a verdict:
/// - different staple bytes, a different chain, or a different policy: the key holds all three in
///   full and equality compares every byte (the hash only picks the bucket);
/// - a time outside the window in which every input was valid: the certificates' validity, the
///   response's [thisUpdate − slop, validThrough], and a delegated signer's validity;
/// - anything but an acceptance on a Good staple: rejections and verdicts that needed the cache or
///   a fetch are never stored, so tolerances and fetch results are always decided afresh.
/// Bounded: at most ``capacity`` entries; the least recently used goes first.
package final class VerdictCache: Sendable {
    package static let defaultCapacity = 512

    struct Key: Hashable, Sendable {
        let staple: [UInt8]
        let chain: [[UInt8]]
        let policy: RevocationPolicy

        /// Cheap bucket choice: lengths and the last bytes (the signatures, unique per document).
        /// Equality still compares everything.
        func hash(into hasher: inout Hasher) {
            hasher.combine(staple.count)
            hasher.combine(staple.suffix(32).count)
            staple.suffix(32).withUnsafeBytes { hasher.combine(bytes: $0) }
            hasher.combine(chain.count)
            if let leaf = chain.first {
                hasher.combine(leaf.count)
                leaf.suffix(16).withUnsafeBytes { hasher.combine(bytes: $0) }
            }
        }

        /// Every byte of the staple and of each certificate, and the whole policy (memcmp rather
        /// than an element-by-element loop: the same answer, a hit costs less).
        static func == (a: Key, b: Key) -> Bool {
            guard sameBytes(a.staple, b.staple), a.chain.count == b.chain.count else { return false }
            for i in a.chain.indices where !sameBytes(a.chain[i], b.chain[i]) { return false }
            return a.policy == b.policy
        }

        private static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
            guard a.count == b.count else { return false }
            guard !a.isEmpty else { return true }
            return a.withUnsafeBytes { x in
                b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
            }
        }
    }

    struct Entry: Sendable {
        let verdict: Verdict
        let validFrom: EpochSeconds
        let validUntil: EpochSeconds
        var lastUse: UInt64
    }

    private let state: Locked<(entries: [Key: Entry], clock: UInt64)>
    package let capacity: Int

    package init(capacity: Int = VerdictCache.defaultCapacity) {
        self.capacity = max(1, capacity)
        self.state = Locked(([:], 0))
    }

    package var count: Int { state.withLock { $0.entries.count } }

    func get(_ key: Key, at time: EpochSeconds) -> Verdict? {
        state.withLock { s in
            // One lookup (hash and compare) for both the read and the LRU update.
            guard let i = s.entries.index(forKey: key) else { return nil }
            let e = s.entries.values[i]
            guard e.validFrom <= time, time <= e.validUntil else { return nil }
            s.clock += 1
            s.entries.values[i].lastUse = s.clock
            return e.verdict
        }
    }

    func put(_ key: Key, verdict: Verdict, validFrom: EpochSeconds, validUntil: EpochSeconds) {
        guard validFrom <= validUntil else { return }
        state.withLock { s in
            if s.entries[key] == nil, s.entries.count >= capacity,
                let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
            {
                s.entries.removeValue(forKey: oldest)
            }
            s.clock += 1
            s.entries[key] = Entry(verdict: verdict, validFrom: validFrom, validUntil: validUntil, lastUse: s.clock)
        }
    }
}
