import Crypto

/// Firefox's OCSP cache (firefox-policy §5.3, `OCSPCache.cpp`): in memory, at most 1024 entries
/// in most-recently-used order, keyed by SHA-384(issuer Name ‖ issuer SPKI ‖ len16LE(serial) ‖ serial).
/// Shared by every verification that is given the same instance; safe under concurrent use.
public final class OCSPCache: Sendable {
    public static let defaultCapacity = 1024
    /// Network failures and bad responses are remembered this long (firefox-policy §5.3 "5-minute negative caching").
    public static let negativeCachingSeconds: Int64 = 300

    struct Entry: Sendable {
        let key: [UInt8]
        var result: VerificationError.Code?  // nil = Good
        var thisUpdate: EpochSeconds
        var validThrough: EpochSeconds
        /// Where the answer came from, when the engine that stored it was told its origin
        /// (``StapleEngine/origin``): "stapled by TARGET at T", "fetched for TARGET at T".
        var origin: String? = nil
    }

    private let entries: Locked<[Entry]>
    public let capacity: Int

    public init(capacity: Int = OCSPCache.defaultCapacity) {
        self.capacity = max(1, capacity)
        self.entries = Locked([])
    }

    public var count: Int { entries.withLock { $0.count } }

    public func removeAll() { entries.withLock { $0.removeAll() } }

    static func key(
        issuerNameDER: ArraySlice<UInt8>,
        issuerSPKIDER: ArraySlice<UInt8>,
        serial: ArraySlice<UInt8>
    ) -> [UInt8] {
        var h = SHA384()
        h.update(data: issuerNameDER)
        h.update(data: issuerSPKIDER)
        h.update(data: [UInt8(serial.count & 0xFF), UInt8(serial.count >> 8)])
        h.update(data: serial)
        return Array(h.finalize())
    }

    /// The entry for `key`, moved to the front (MRU).
    func get(_ key: [UInt8]) -> Entry? {
        entries.withLock { list in
            guard let i = list.firstIndex(where: { $0.key == key }) else { return nil }
            let e = list.remove(at: i)
            list.insert(e, at: 0)
            return e
        }
    }

    /// `OCSPCache::Put` rules (firefox-policy §5.3).
    func put(
        _ key: [UInt8],
        result: VerificationError.Code?,
        thisUpdate: EpochSeconds,
        validThrough: EpochSeconds,
        origin: String? = nil
    ) {
        let entry = Entry(key: key, result: result, thisUpdate: thisUpdate, validThrough: validThrough, origin: origin)
        let isDefinitive = result == nil || result == .revokedCertificate || result == .ocspUnknownCert
        entries.withLock { list in
            if let i = list.firstIndex(where: { $0.key == key }) {
                let old = list[i]
                // A Revoked entry is never replaced.
                if old.result == .revokedCertificate { return }
                // A newer entry is kept unless the new result is Revoked.
                if old.thisUpdate > thisUpdate && result != .revokedCertificate { return }
                // Only Good, Unknown and Revoked replace an existing entry; errors do not.
                if !isDefinitive { return }
                list.remove(at: i)
                list.insert(entry, at: 0)
                return
            }
            if list.count >= capacity {
                // Evict the least recently used entry that is neither Revoked nor Unknown; if there
                // is none, the new entry is dropped.
                guard
                    let victim = list.lastIndex(where: {
                        $0.result != .revokedCertificate && $0.result != .ocspUnknownCert
                    })
                else { return }
                list.remove(at: victim)
            }
            list.insert(entry, at: 0)
        }
    }
}
