import Testing
@testable import StapleVerifier

/// `OCSPCache::Put` and eviction (firefox-policy §5.3).
@Suite struct OCSPCacheTests {
    func key(_ n: Int) -> [UInt8] {
        OCSPCache.key(
            issuerNameDER: [0x30, 0x00],
            issuerSPKIDER: [0x30, 0x00],
            serial: [UInt8(n & 0xFF), UInt8(n >> 8)]
        )
    }

    @Test func putRules() {
        let c = OCSPCache()
        c.put(key(1), result: nil, thisUpdate: 100, validThrough: 200)
        c.put(key(1), result: .ocspServerError, thisUpdate: 150, validThrough: 450)
        #expect(c.get(key(1))?.result == nil, "an error does not replace an entry")
        c.put(key(1), result: .ocspUnknownCert, thisUpdate: 50, validThrough: 450)
        #expect(c.get(key(1))?.result == nil, "an older answer does not replace a newer one")
        c.put(key(1), result: .revokedCertificate, thisUpdate: 50, validThrough: 450)
        #expect(c.get(key(1))?.result == .revokedCertificate, "Revoked replaces even a newer entry")
        c.put(key(1), result: nil, thisUpdate: 999, validThrough: 2000)
        #expect(c.get(key(1))?.result == .revokedCertificate, "Revoked is never replaced")
        c.put(key(2), result: .ocspServerError, thisUpdate: 100, validThrough: 400)
        #expect(c.get(key(2))?.result == .ocspServerError, "a new key takes errors")
    }

    @Test func eviction() {
        let c = OCSPCache(capacity: 3)
        c.put(key(1), result: .revokedCertificate, thisUpdate: 1, validThrough: 2)
        c.put(key(2), result: nil, thisUpdate: 1, validThrough: 2)
        c.put(key(3), result: nil, thisUpdate: 1, validThrough: 2)
        _ = c.get(key(2))  // 2 is now the most recently used; 3 is the LRU Good entry
        c.put(key(4), result: nil, thisUpdate: 1, validThrough: 2)
        #expect(c.count == 3)
        #expect(c.get(key(3)) == nil)
        #expect(c.get(key(1)) != nil, "Revoked entries are not evicted")
        let full = OCSPCache(capacity: 2)
        full.put(key(1), result: .revokedCertificate, thisUpdate: 1, validThrough: 2)
        full.put(key(2), result: .ocspUnknownCert, thisUpdate: 1, validThrough: 2)
        full.put(key(3), result: nil, thisUpdate: 1, validThrough: 2)
        #expect(full.get(key(3)) == nil, "with only Revoked/Unknown entries a Good insert is dropped")
        #expect(full.count == 2)
    }

    @Test("concurrent use from many tasks")
    func concurrent() async {
        let c = OCSPCache(capacity: 64)
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for i in 0..<500 {
                        c.put(self.key(t * 1000 + i), result: nil, thisUpdate: 1, validThrough: 2)
                        _ = c.get(self.key(t * 1000 + i / 2))
                    }
                }
            }
        }
        #expect(c.count == 64)
    }
}
