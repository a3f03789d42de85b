import StapleVerifier

/// Summaries of the certificates seen before, keyed by their DER. A summary is a function of the
/// DER alone, so a hit is exactly what reading the certificate again would give; and certificates
/// repeat: an application's server sends the same chain on every connection, and a fleet's chains
/// share their intermediates and roots. Reading one (swift-certificates, the names as text, a
/// SHA-256) is a measurable part of a handshake's client CPU (docs/BENCH.md).
final class CertificateSummaryCache: Sendable {
    /// The process's cache, used for every handshake report.
    static let shared = CertificateSummaryCache(capacity: 512)

    let capacity: Int
    private let entries = Locked<[[UInt8]: CertificateSummary]>([:])

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The summary of `der`, or nil when it is not a certificate swift-certificates can read
    /// (not remembered: such a chain is rare, and it fails on its own).
    func summary(of der: [UInt8]) -> CertificateSummary? {
        if let hit = entries.withLock({ $0[der] }) { return hit }
        guard let summary = CertificateSummary(der: der) else { return nil }
        entries.withLock { table in
            // Bounded: a scan over many servers starts the table again rather than growing it.
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[der] = summary
        }
        return summary
    }

    var count: Int { entries.withLock { $0.count } }
}
