import SwiftASN1

/// An OBJECT IDENTIFIER held as its content octets (X.690 §8.19) and compared byte for byte, as
/// mozilla::pkix compares OIDs. Reading one allocates nothing; the dotted form and swift-asn1's
/// `ASN1ObjectIdentifier` are made only for messages and the public API.
struct ObjectIdentifierBytes: Hashable, Sendable, CustomStringConvertible {
    let content: ArraySlice<UInt8>

    /// Reads an OBJECT IDENTIFIER element with swift-asn1's rules (`ASN1ObjectIdentifier` from a
    /// node): primitive, at least one subidentifier, each in at most 9 base-128 digits, the first
    /// digit not 0x80 (a leading zero), the last with bit 8 clear.
    /// `field` names the OID in errors; it is only built on failure. A fault in the content octets
    /// is reported as "OID content …": mozilla::pkix compares OID bytes and never decodes them, so
    /// for it such an OID is merely unknown (the documented difference "OID content decoded").
    init(
        _ element: DERElement,
        field: @autoclosure () -> String,
        code: VerificationError.Code
    ) throws(VerificationError) {
        guard element.identifier == DERIdentifier.objectIdentifier else {
            throw VerificationError(
                code,
                "\(field()): expected \(DERIdentifier.describe(DERIdentifier.objectIdentifier)), found \(element.identifierDescription)"
            )
        }
        guard let content = element.primitiveContent else {
            throw VerificationError(code, "\(field()): OID encoded with constructed encoding")
        }
        guard !content.isEmpty else { throw VerificationError(code, "\(field()): OID content empty") }
        var digits = 0
        var atStart = true
        for byte in content {
            if atStart && byte == 0x80 {
                throw VerificationError(code, "\(field()): OID content has a subidentifier with a leading zero digit")
            }
            digits += 1
            guard digits <= 9 else {
                throw VerificationError(code, "\(field()): OID content has a subidentifier longer than 9 digits")
            }
            atStart = byte & 0x80 == 0
            if atStart { digits = 0 }
        }
        guard atStart else { throw VerificationError(code, "\(field()): OID content ends inside a subidentifier") }
        self.content = content
    }

    /// The content octets of `oid`, encoded by swift-asn1 (for the constants below).
    init(_ oid: ASN1ObjectIdentifier) {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(oid)) != nil,
            let element = try? DERStructure.root(serializer.serializedBytes[...], what: "OID", code: .badDER),
            let content = element.primitiveContent
        else {
            preconditionFailure("swift-asn1 could not encode \(oid)")
        }
        self.content = content
    }

    var description: String { objectIdentifier.description }

    /// swift-asn1's value for the same OID (messages and the public API; never on the hot path).
    var objectIdentifier: ASN1ObjectIdentifier {
        var serializer = DER.Serializer()
        serializer.appendPrimitiveNode(identifier: .objectIdentifier) { $0.append(contentsOf: content) }
        // Cannot fail: the content was validated with swift-asn1's rules, or encoded by swift-asn1.
        return (try? ASN1ObjectIdentifier(derEncoded: serializer.serializedBytes)) ?? [0, 0]
    }
}

extension ObjectIdentifierBytes: ExpressibleByArrayLiteral {
    /// An OID constant from its arcs, encoded by swift-asn1.
    init(arrayLiteral arcs: UInt...) {
        guard let oid = try? ASN1ObjectIdentifier(elements: arcs) else { preconditionFailure("not an OID: \(arcs)") }
        self.init(oid)
    }
}

extension ObjectIdentifierBytes {
    /// id-pkix-ocsp-basic, RFC 6960 §4.2.1.
    static let ocspBasic: ObjectIdentifierBytes = [1, 3, 6, 1, 5, 5, 7, 48, 1, 1]
    /// id-ocsp-singleExtensionSctList (RFC 6962 §3.3), understood by mozpkix (firefox-policy §3.10).
    static let ocspSCTList: ObjectIdentifierBytes = [1, 3, 6, 1, 4, 1, 11129, 2, 4, 5]
    /// id-pe-tlsfeature, RFC 7633 §6.
    static let tlsFeature = ObjectIdentifierBytes(.tlsFeature)
    /// id-pe-authorityInfoAccess, RFC 5280 §4.2.2.1.
    static let authorityInformationAccess = ObjectIdentifierBytes(.authorityInformationAccess)
    static let extendedKeyUsage: ObjectIdentifierBytes = [2, 5, 29, 37]
    static let basicConstraints: ObjectIdentifierBytes = [2, 5, 29, 19]
    static let rsaPSS: ObjectIdentifierBytes = [1, 2, 840, 113549, 1, 1, 10]
}
