import StapleForge
import Testing
@testable import StapleTLS

/// The summaries of the handshake report, remembered by DER.
@Suite struct CertificateSummaryCacheTests {
    let pki = ForgePKI(keyType: .ecdsa, notBefore: 1_700_000_000, notAfter: 1_900_000_000)

    @Test("a remembered summary is the one a fresh reading gives; unreadable DER is nil and not kept")
    func sameAsFresh() throws {
        let cache = CertificateSummaryCache(capacity: 8)
        let leaf = pki.leaf(serial: [0x0A, 0xBC])
        let fresh = try #require(CertificateSummary(der: leaf))
        #expect(cache.summary(of: leaf) == fresh)
        #expect(cache.summary(of: leaf) == fresh, "the second answer comes from the table")
        #expect(cache.count == 1)
        #expect(fresh.serial == "0ABC")
        #expect(fresh.sha256.count == 64 && fresh.sha256 == fresh.sha256.lowercased())
        #expect(cache.summary(of: [0x30, 0x00]) == nil)
        #expect(cache.count == 1)
    }

    @Test("the table never holds more than its capacity")
    func bounded() {
        let cache = CertificateSummaryCache(capacity: 2)
        let certificates = [pki.root, pki.intermediate, pki.leaf(), pki.leaf(serial: [0x77])]
        for (i, der) in certificates.enumerated() {
            #expect(cache.summary(of: der) != nil)
            #expect(cache.count <= 2, "after \(i + 1) certificates")
        }
        #expect(cache.summary(of: certificates[3])?.serial == "77")
    }
}
