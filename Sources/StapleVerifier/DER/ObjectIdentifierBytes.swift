import SwiftASN1

/// An OBJECT IDENTIFIER held as its content octets (X.690 §8.19) and compared byte for byte, as
/// mozilla::pkix compares OIDs. Reading one allocates nothing; the dotted form and swift-asn1's
/// `ASN1ObjectIdentifier` are made only for messages and the public API.
struct ObjectIdentifierBytes: Hashable, Sendable, CustomStringConvertible {
    let content: ArraySlice<UInt8>

    /// Reads an OBJECT IDENTIFIER element with swift-asn1's rules (`ASN1ObjectIdentifier` from a
    /// node): primitive, at least one subidentifier, each in at most 9 base-128 digits, the first
    /// digit not 0x80 (a leading zero), the last with bit 8 clear.
    /// `field` names the OID in errors; it is only built on failure.
    init(_ element: DERElement, field: @autoclosure () -> String, code: VerificationError.Code) throws(VerificationError) {
        guard element.identifier == DERIdentifier.objectIdentifier else {
            throw VerificationError(code, "\(field()): expected \(DERIdentifier.describe(DERIdentifier.objectIdentifier)), found \(element.identifierDescription)")
        }
        guard let content = element.primitiveContent else {
            throw VerificationError(code, "\(field()): OID encoded with constructed encoding")
        }
        guard !content.isEmpty else { throw VerificationError(code, "\(field()): zero components in OID") }
        var digits = 0
        var atStart = true
        for byte in content {
            if atStart && byte == 0x80 {
                throw VerificationError(code, "\(field()): OID subidentifier encoded with a leading zero digit")
            }
            digits += 1
            guard digits <= 9 else { throw VerificationError(code, "\(field()): OID subidentifier longer than 9 digits") }
            atStart = byte & 0x80 == 0
            if atStart { digits = 0 }
        }
        guard atStart else { throw VerificationError(code, "\(field()): OID ends inside a subidentifier") }
        self.content = content
    }

    /// The encoding of `arcs` (at least two; the first 0, 1 or 2), for the constants below.
    init(arcs: [UInt]) {
        precondition(arcs.count >= 2 && arcs[0] <= 2, "not an OID")
        var bytes: [UInt8] = []
        for subidentifier in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
            var groups: [UInt8] = [UInt8(subidentifier & 0x7F)]
            var rest = subidentifier >> 7
            while rest > 0 {
                groups.append(UInt8(rest & 0x7F) | 0x80)
                rest >>= 7
            }
            bytes += groups.reversed()
        }
        self.content = bytes[...]
    }

    /// The subidentifiers as swift-asn1 expands them (the first split by 40).
    var arcs: [UInt] {
        var values: [UInt] = []
        var current: UInt = 0
        for byte in content {
            current = current << 7 | UInt(byte & 0x7F)
            if byte & 0x80 == 0 {
                values.append(current)
                current = 0
            }
        }
        guard let first = values.first else { return [] }
        let (x, y) = first.quotientAndRemainder(dividingBy: 40)
        return [x, y] + values.dropFirst()
    }

    var description: String { arcs.map(String.init).joined(separator: ".") }

    /// swift-asn1's value for the same OID.
    var objectIdentifier: ASN1ObjectIdentifier {
        // Cannot fail: the content was validated with swift-asn1's rules (or encoded above).
        (try? ASN1ObjectIdentifier(elements: arcs)) ?? [0, 0]
    }

    static func == (lhs: ObjectIdentifierBytes, rhs: ObjectIdentifierBytes) -> Bool {
        lhs.content.elementsEqual(rhs.content)
    }

    func hash(into hasher: inout Hasher) {
        for byte in content { hasher.combine(byte) }
    }
}

extension ObjectIdentifierBytes {
    /// id-pkix-ocsp-basic, RFC 6960 §4.2.1.
    static let ocspBasic = ObjectIdentifierBytes(arcs: [1, 3, 6, 1, 5, 5, 7, 48, 1, 1])
    /// id-ocsp-singleExtensionSctList (RFC 6962 §3.3), understood by mozpkix (§3.10).
    static let ocspSCTList = ObjectIdentifierBytes(arcs: [1, 3, 6, 1, 4, 1, 11129, 2, 4, 5])
    /// id-pe-tlsfeature, RFC 7633 §6.
    static let tlsFeature = ObjectIdentifierBytes(arcs: [1, 3, 6, 1, 5, 5, 7, 1, 24])
    static let extendedKeyUsage = ObjectIdentifierBytes(arcs: [2, 5, 29, 37])
    static let basicConstraints = ObjectIdentifierBytes(arcs: [2, 5, 29, 19])
    static let rsaPSS = ObjectIdentifierBytes(arcs: [1, 2, 840, 113549, 1, 1, 10])
}
