import Foundation
import StapleForge
import SwiftASN1
import Testing
@testable import StapleVerifier

/// The engine reads staples and certificates in place (``DERStructure`` + ``DERReader``) instead of
/// building swift-asn1's tree. These tests hold it to swift-asn1's `DER.parse` on every input they
/// make: the same inputs accepted, and for those, the same tree (identifiers, forms, TLV and content
/// bytes, element by element).
@Suite struct DERStructureTests {
    static let vectors = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestVectors")

    /// Every staple of the committed corpus, sorted by path.
    static let corpusStaples: [[UInt8]] = {
        let dir = vectors.appendingPathComponent("staples")
        let files = (FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".der") }.sorted()
        return files.compactMap { try? [UInt8](Data(contentsOf: dir.appendingPathComponent($0))) }
    }()

    /// Staples and certificates made here: direct and delegated, ECDSA and RSA.
    static let forged: [Named<[UInt8]>] = {
        var out: [Named<[UInt8]>] = []
        for type in [ForgePKI.KeyType.ecdsa, .rsa] {
            let pki = Fixture.pki(type)
            let leaf = Fixture.mustStapleLeaf(type)
            out.append(Named("\(type) issuer-signed staple", Fixture.good(pki, leaf).der()))
            var f = Fixture.good(pki, leaf)
            let cert = pki.responder(key: Fixture.responderKey(type))
            f.responder = try! ResponseForge.byKey(cert)
            f.signer = Fixture.responderKey(type)
            f.certificates = [cert]
            out.append(Named("\(type) delegated staple", f.der()))
            out.append(Named("\(type) must-staple leaf", leaf))
        }
        return out
    }()

    /// What swift-asn1 says.
    static func swiftASN1(_ bytes: [UInt8]) -> ASN1Node? { try? DER.parse(bytes) }

    /// Compares our reading of `bytes` with swift-asn1's, returning the first difference.
    static func difference(_ bytes: [UInt8]) -> String? {
        let theirs = swiftASN1(bytes)
        let ours = try? DERStructure.root(bytes[...], what: "input", code: .badDER)
        switch (ours, theirs) {
        case (nil, nil): return nil
        case (let o?, nil): return "we accept \(hex(bytes)), swift-asn1 refuses it (ours: \(o.identifierDescription))"
        case (nil, _?):
            var why = ""
            do { _ = try DERStructure.root(bytes[...], what: "input", code: .badDER) } catch { why = error.reason }
            return "swift-asn1 accepts \(hex(bytes)), we refuse it: \(why)"
        case (let o?, let t?): return sameTree(o, t, at: "root")
        }
    }

    /// Walks both trees in step.
    static func sameTree(_ ours: DERElement, _ theirs: ASN1Node, at path: @autoclosure () -> String) -> String? {
        let classes: [ASN1Identifier.TagClass] = [.universal, .application, .contextSpecific, .private]
        let sameIdentifier =
            ours.firstOctet & 0x1F == 0x1F
            ? ours.identifierDescription == theirs.identifier.description
            : UInt(ours.firstOctet & 0x1F) == theirs.identifier.tagNumber
                && classes[Int(ours.firstOctet >> 6)] == theirs.identifier.tagClass
        guard sameIdentifier else {
            return "\(path()): identifier \(ours.identifierDescription) vs \(theirs.identifier)"
        }
        guard ours.encoded.elementsEqual(theirs.encodedBytes) else { return "\(path()): TLV bytes differ" }
        switch theirs.content {
        case .primitive(let content):
            guard !ours.isConstructed, ours.content.elementsEqual(content) else {
                return "\(path()): primitive content differs"
            }
            return nil
        case .constructed(let children):
            guard ours.isConstructed else { return "\(path()): we read a primitive, swift-asn1 a constructed value" }
            var reader = DERReader(contents: ours.content, path: "tree", code: .badDER)
            var index = 0
            for child in children {
                guard let mine = try? reader.next("element") else {
                    return "\(path())[\(index)]: we ran out of elements"
                }
                if let d = sameTree(mine, child, at: "\(path())[\(index)]") { return d }
                index += 1
            }
            return reader.isAtEnd ? nil : "\(path()): we read more elements than swift-asn1"
        }
    }

    static func hex(_ b: [UInt8]) -> String {
        b.count > 48 ? "\(b.count) bytes" : Hex.encode(b)
    }

    // MARK: The rules one by one

    @Test(
        "hand-made encodings: each rule of DER's tokenizer, as swift-asn1 applies it",
        arguments: [
            // (the encoding, accepted by swift-asn1)
            (Named("NULL", [0x05, 0x00]), true),
            (Named("empty SEQUENCE", [0x30, 0x00]), true),
            (Named("SEQUENCE of a NULL", [0x30, 0x02, 0x05, 0x00]), true),
            (Named("indefinite length", [0x30, 0x80, 0x05, 0x00, 0x00, 0x00]), false),
            (Named("long form for a length < 128", [0x04, 0x81, 0x01, 0x00]), false),
            (Named("leading zero length octet", [0x04, 0x82, 0x00, 0x80] + [UInt8](repeating: 0, count: 128)), false),
            (Named("long form for a length of 128", [0x04, 0x81, 0x80] + [UInt8](repeating: 0, count: 128)), true),
            (Named("9 length octets", [0x04, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]), false),
            (Named("truncated content", [0x04, 0x02, 0x00]), false),
            (Named("trailing data", [0x04, 0x01, 0x00, 0x00]), false),
            (Named("[UNIVERSAL 0]", [0x00, 0x00]), false),
            (Named("constructed [UNIVERSAL 0]", [0x20, 0x00]), false),
            (Named("[0] primitive, empty", [0x80, 0x00]), true),
            (Named("[31] in the high-tag form", [0x9F, 0x1F, 0x00]), true),
            (Named("[30] in the high-tag form", [0x9F, 0x1E, 0x00]), false),
            (Named("a tag with a leading zero digit", [0x9F, 0x80, 0x1F, 0x00]), false),
            (Named("[128]", [0x9F, 0x81, 0x00, 0x00]), true),
            (Named("a tag of 9 digits", [0x1F, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00]), true),
            (
                Named("a tag of 10 digits", [0x1F, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00]),
                false
            ),
            (Named("tag runs off the end", [0x1F, 0x81]), false),
            (Named("child longer than its parent", [0x30, 0x03, 0x04, 0x02, 0x00]), false),
            (Named("child truncated inside its parent", [0x30, 0x01, 0x04]), false),
            (Named("constructed OCTET STRING: tokenizes", [0x24, 0x02, 0x05, 0x00]), true),
            (Named("primitive tag 16: content not examined", [0x10, 0x02, 0x05, 0x00]), true),
            (Named("no bytes", [] as [UInt8]), false),
        ] as [(Named<[UInt8]>, Bool)]
    )
    func rule(_ encoding: Named<[UInt8]>, _ accepted: Bool) {
        let bytes = encoding.value
        #expect((Self.swiftASN1(bytes) != nil) == accepted, "the case's expectation is swift-asn1's answer")
        #expect(DERStructure.isValid(bytes[...]) == accepted)
        #expect(Self.difference(bytes) == nil)
    }

    @Test("nesting: 50 levels accepted, 51 refused, as swift-asn1", arguments: [49, 50, 51, 52])
    func depth(_ levels: Int) {
        var value: [UInt8] = [0x05, 0x00]
        for _ in 1..<levels { value = DERWriter.tlv(0x30, value) }
        #expect(DERStructure.isValid(value[...]) == (levels <= DERStructure.maximumDepth))
        #expect(Self.difference(value) == nil)
    }

    // MARK: Differential

    @Test("every staple of the corpus and the forged ones read to swift-asn1's tree")
    func corpus() {
        #expect(Self.corpusStaples.count > 200)
        for bytes in Self.corpusStaples + Self.forged.map(\.value) {
            if let d = Self.difference(bytes) { Issue.record("\(d)") }
        }
    }

    @Test(
        "truncations, bit flips, deletions and header values of real staples and certificates: same acceptance, same trees",
        arguments: forged
    )
    func mutations(_ input: Named<[UInt8]>) {
        let base = input.value
        var inputs: [[UInt8]] = []
        for n in 0..<base.count { inputs.append(Array(base.prefix(n))) }
        for i in 0..<base.count {
            for bit in 0..<8 {
                var m = base
                m[i] ^= 1 << bit
                inputs.append(m)
            }
            var d = base
            d.remove(at: i)
            inputs.append(d)
            for v: UInt8 in [0x00, 0x1F, 0x30, 0x80, 0x81, 0x82, 0x84, 0x89, 0x9F, 0xA0, 0xFF] where base[i] != v {
                var m = base
                m[i] = v
                inputs.append(m)
            }
        }
        var accepted = 0
        for m in inputs {
            if let d = Self.difference(m) {
                Issue.record("\(d)")
                return
            }
            if Self.swiftASN1(m) != nil { accepted += 1 }
        }
        // The harness must see both answers: mutations inside primitive content keep the DER valid.
        #expect(accepted > 0 && accepted < inputs.count)
    }

    @Test("random TLV trees with random encoding faults: same acceptance, same trees")
    func randomTrees() {
        var rng = SplitMix64(seed: 2026)
        var accepted = 0
        let count = 10_000
        for _ in 0..<count {
            let bytes = Self.randomValue(&rng, depth: 0)
            if let d = Self.difference(bytes) {
                Issue.record("\(d)")
                return
            }
            if Self.swiftASN1(bytes) != nil { accepted += 1 }
        }
        #expect(accepted > count / 10 && accepted < count * 9 / 10, "accepted \(accepted) of \(count)")
    }

    /// A TLV whose identifier, length and nesting are mostly right and sometimes wrong in one of the
    /// ways the rules above name.
    static func randomValue(_ rng: inout SplitMix64, depth: Int) -> [UInt8] {
        func roll(_ n: UInt64) -> Int { Int(rng.next() % n) }
        var identifier: [UInt8]
        let constructed = depth < 60 && roll(3) == 0
        switch roll(20) {
        case 0: identifier = [0x00]
        case 1: identifier = [0x1F | UInt8(roll(4)) << 6, UInt8(roll(256))]
        case 2: identifier = [0x9F, 0x80 | UInt8(roll(128)), UInt8(roll(128))]
        case 3: identifier = [0x1F] + [UInt8](repeating: 0x81, count: 7 + roll(4)) + [0x01]
        default: identifier = [UInt8(roll(256)) & 0xC0 | UInt8(1 + roll(30))]
        }
        identifier[0] = constructed ? identifier[0] | 0x20 : identifier[0] & ~0x20
        var content: [UInt8] = []
        if constructed {
            // Deep chains now and then, to reach the depth limit.
            let children = depth > 40 || roll(8) == 0 ? 1 : roll(4)
            for _ in 0..<children { content += randomValue(&rng, depth: depth + 1) }
        } else {
            content = (0..<roll(roll(10) == 0 ? 300 : 6)).map { _ in UInt8(roll(256)) }
        }
        var length: [UInt8]
        let n = content.count
        switch roll(25) {
        case 0: length = [0x80]
        case 1: length = [0x81, UInt8(truncatingIfNeeded: n)]
        case 2: length = [0x82, UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
        case 3: length = [UInt8(truncatingIfNeeded: n + 1 - roll(3))]
        default:
            length = n < 0x80 ? [UInt8(n)] : n < 0x100 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
        }
        var value = identifier + length + content
        if depth == 0 && roll(30) == 0 { value.append(0x00) }
        if roll(40) == 0 { value.removeLast(min(value.count, 1 + roll(3))) }
        return value
    }
}
