import Crypto
import Foundation
import StapleForge

/// Writes the seeds of `FuzzDifferentialOCSP` (`FUZZ_WRITE_SEEDS=DIR`, from Fuzz/run.sh):
/// - mode B, from the corpus: every staple of TestVectors/staples/{ecdsa,rsa}, its
///   tbsResponseData with TestVectors' intermediate key hashes replaced by `FuzzPKI`'s (the names
///   and the leaf serial are the same already), so that its CertIDs and responder ID refer to the
///   fuzzing PKI and its times, statuses and extensions are judged under a valid signature;
/// - mode A: each of the first choices set to each of its first values, the rest ordinary.
enum CorpusSeeds {
    static func write(to directory: String, testVectors: String, pkis: [ForgePKI.KeyType: FuzzPKI]) {
        let fm = FileManager.default
        try? fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written = 0
        for (keyType, pki) in pkis {
            let replacements = zip(digests(pki.corpusIntermediateKeyBits), digests(pki.intermediateKeyBits))
            let folder = testVectors + "/staples/\(keyType.rawValue)"
            for name in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() where name.hasSuffix(".der") {
                guard let data = fm.contents(atPath: folder + "/" + name), var tbs = tbsResponseData(Array(data)) else {
                    continue
                }
                for (old, new) in replacements { replace(old, with: new, in: &tbs) }
                let head: [UInt8] = [1, keyType == .rsa ? 7 : 0, 0, name.contains("delegated") ? 1 : 0, 0]
                _ = fm.createFile(
                    atPath: "\(directory)/seed-corpus-\(keyType.rawValue)-\(name)",
                    contents: Data(head + tbs)
                )
                written += 1
            }
        }
        for position in 1..<48 {
            for value in 1...8 {
                var seed = [UInt8](repeating: 0, count: 48)
                seed[position] = UInt8(value == 8 ? 255 : value)
                _ = fm.createFile(atPath: "\(directory)/seed-plan-\(position)-\(value)", contents: Data(seed))
                written += 1
            }
        }
        print("FuzzDifferentialOCSP: wrote \(written) seeds to \(directory)")
    }

    /// SHA-1, SHA-256, SHA-384, SHA-512 of a key's bits: the key hashes a CertID or a byKey
    /// responder ID can hold.
    static func digests(_ bits: [UInt8]) -> [[UInt8]] {
        [
            Array(Insecure.SHA1.hash(data: bits)), Array(SHA256.hash(data: bits)), Array(SHA384.hash(data: bits)),
            Array(SHA512.hash(data: bits)),
        ]
    }

    static func replace(_ old: [UInt8], with new: [UInt8], in bytes: inout [UInt8]) {
        var i = 0
        while i + old.count <= bytes.count {
            if bytes[i..<(i + old.count)].elementsEqual(old) {
                bytes.replaceSubrange(i..<(i + old.count), with: new)
                i += new.count
            } else {
                i += 1
            }
        }
    }

    /// OCSPResponse → responseBytes → response OCTET STRING → BasicOCSPResponse → its first TLV.
    static func tbsResponseData(_ der: [UInt8]) -> [UInt8]? {
        var reader = TLVWalk(der[...])
        guard let response = reader.next(), response.tag == 0x30 else { return nil }
        var inner = TLVWalk(response.content)
        guard inner.next()?.tag == 0x0A, let explicit = inner.next(), explicit.tag == 0xA0 else { return nil }
        var e = TLVWalk(explicit.content)
        guard let responseBytes = e.next(), responseBytes.tag == 0x30 else { return nil }
        var rb = TLVWalk(responseBytes.content)
        guard rb.next()?.tag == 0x06, let octets = rb.next(), octets.tag == 0x04 else { return nil }
        var o = TLVWalk(octets.content)
        guard let basic = o.next(), basic.tag == 0x30 else { return nil }
        var b = TLVWalk(basic.content)
        guard let tbs = b.next() else { return nil }
        return Array(tbs.whole)
    }

    /// Definite-length TLVs, one after the other; stops at the first that does not fit.
    struct TLVWalk {
        var rest: ArraySlice<UInt8>
        init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

        mutating func next() -> (tag: UInt8, content: ArraySlice<UInt8>, whole: ArraySlice<UInt8>)? {
            guard rest.count >= 2 else { return nil }
            let start = rest.startIndex
            let tag = rest[start]
            var length = Int(rest[start + 1])
            var header = 2
            if length & 0x80 != 0 {
                let n = length & 0x7F
                guard n >= 1, n <= 3, rest.count >= 2 + n else { return nil }
                length = rest[(start + 2)..<(start + 2 + n)].reduce(0) { $0 << 8 | Int($1) }
                header += n
            }
            guard rest.count >= header + length else { return nil }
            let whole = rest[start..<(start + header + length)]
            rest = rest[(start + header + length)...]
            return (tag, whole.dropFirst(header), whole)
        }
    }
}
