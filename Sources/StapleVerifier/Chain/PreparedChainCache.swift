import Foundation

/// Chains prepared before (``PreparedChain``), found again by their DER: a TLS client meets the
/// same server chain on handshake after handshake, and reading it (swift-certificates and our own
/// DER walk) and checking its link signatures would otherwise be done every time.
///
/// A prepared chain is a function of the bytes alone (parsing, names, signatures); nothing that
/// depends on the time or the policy is kept. The key is every byte of every certificate (the hash
/// only picks the bucket). Only chains that prepared successfully are kept: a chain that throws is
/// read, and throws, every time. Bounded: at most ``capacity`` chains; the least recently used goes
/// first.
package final class PreparedChainCache: Sendable {
    package static let defaultCapacity = 128

    struct Key: Hashable, Sendable {
        let chain: [[UInt8]]

        /// Lengths and the last bytes of each certificate (its signature).
        func hash(into hasher: inout Hasher) {
            hasher.combine(chain.count)
            for der in chain {
                hasher.combine(der.count)
                der.suffix(16).withUnsafeBytes { hasher.combine(bytes: $0) }
            }
        }

        static func == (a: Key, b: Key) -> Bool {
            guard a.chain.count == b.chain.count else { return false }
            for i in a.chain.indices {
                let x = a.chain[i]
                let y = b.chain[i]
                guard x.count == y.count else { return false }
                if x.isEmpty { continue }
                let same = x.withUnsafeBytes { p in
                    y.withUnsafeBytes { q in memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0 }
                }
                if !same { return false }
            }
            return true
        }
    }

    private struct Entry: Sendable {
        let chain: PreparedChain
        var lastUse: UInt64
    }

    private let state = Locked<(entries: [Key: Entry], clock: UInt64)>(([:], 0))
    package let capacity: Int

    package init(capacity: Int = PreparedChainCache.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    package var count: Int { state.withLock { $0.entries.count } }

    /// The prepared chain for `der`: kept from an earlier call, or prepared now (and kept).
    /// Throws what ``PreparedChain/init(der:)`` throws.
    package func chain(for der: [[UInt8]]) throws(StapleVerifierError) -> PreparedChain {
        let key = Key(chain: der)
        let found: PreparedChain? = state.withLock { s in
            guard let i = s.entries.index(forKey: key) else { return nil }
            s.clock += 1
            s.entries.values[i].lastUse = s.clock
            return s.entries.values[i].chain
        }
        if let found { return found }
        let prepared = try PreparedChain(der: der)
        state.withLock { s in
            if s.entries[key] == nil, s.entries.count >= capacity,
                let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
            {
                s.entries.removeValue(forKey: oldest)
            }
            s.clock += 1
            s.entries[key] = Entry(chain: prepared, lastUse: s.clock)
        }
        return prepared
    }
}
