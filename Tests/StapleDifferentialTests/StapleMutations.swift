import StapleForge

/// The damaged staples both differential tests judge: every truncation and 400 seeded single-bit
/// flips of each Good seed, in a fixed order, so that OpenSSL and mozilla::pkix see the same ones.
enum StapleMutations {
    /// Good staples to damage: issuer-signed (byKey, SHA-1 CertID), a SHA-256 CertID, and one
    /// signed by a delegated responder whose certificate is embedded — in both key trees.
    static let seeds = ["good.der", "certid-sha256-bykey.der", "delegated-included.der"].flatMap { name in
        ["ecdsa", "rsa"].map { (staple: "staples/\($0)/\(name)", chain: "pki/\($0)/chain-ee-plain.pem") }
    }

    static let flipsPerSeed = 400

    struct Mutant {
        let name: String
        let bytes: [UInt8]
    }

    /// The mutants of every seed, in `seeds` order; `read` loads a corpus file.
    static func all(
        read: (String) throws -> [UInt8]
    ) rethrows -> [(seed: (staple: String, chain: String), original: [UInt8], mutants: [Mutant])] {
        var generator = SplitMix64(seed: 0x5741_504C_4521)  // fixed: the same mutations on every run
        return try seeds.map { seed in
            let bytes = try read(seed.staple)
            var mutants = (0..<bytes.count).map {
                Mutant(name: "\(seed.staple) truncated to \($0) bytes", bytes: Array(bytes.prefix($0)))
            }
            for _ in 0..<flipsPerSeed {
                let bit = Int(generator.next() % UInt64(bytes.count * 8))
                var m = bytes
                m[bit / 8] ^= UInt8(1 << (bit % 8))
                mutants.append(Mutant(name: "\(seed.staple) bit \(bit) flipped", bytes: m))
            }
            return (seed, bytes, mutants)
        }
    }
}
