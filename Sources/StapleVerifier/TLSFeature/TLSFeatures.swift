import SwiftASN1
import X509

/// The RFC 7633 TLS Feature extension ("must-staple"), id-pe-tlsfeature 1.3.6.1.5.5.7.1.24:
///
/// ```
/// Features ::= SEQUENCE OF INTEGER
/// ```
///
/// Read with Firefox's rules (firefox-policy §1): the value must be a non-empty
/// `SEQUENCE OF INTEGER` with nothing after it (else `SEC_ERROR_BAD_DER`), and only
/// `status_request` (5, RFC 6066) is honoured — an element whose content octets are anything but the
/// single byte `05` (17, 6, `05 05`, an empty INTEGER) makes the certificate unusable while
/// must-staple is enforced. Criticality has no effect (firefox-policy §1.1).
package struct TLSFeatures: Hashable, Sendable {
    /// The extnValue exactly as in the certificate: what the chain rule compares (firefox-policy §1.2).
    package let rawValue: [UInt8]
    /// The content octets of each INTEGER, in order, uninterpreted.
    package let elements: [[UInt8]]

    /// The TLS extension number of `status_request` (RFC 6066 §8).
    package static let statusRequest = 5

    /// Decodes the extension. Throws `SEC_ERROR_EXTENSION_VALUE_INVALID` for an empty value (firefox-policy §1.1),
    /// `SEC_ERROR_BAD_DER` for anything that is not a non-empty SEQUENCE OF INTEGER (firefox-policy §1.3).
    package init(_ ext: Certificate.Extension) throws(VerificationError) {
        guard ext.oid == .tlsFeature else {
            throw VerificationError(
                .badDER,
                "extension \(ext.oid) is not the TLS Feature extension (1.3.6.1.5.5.7.1.24)"
            )
        }
        // firefox-policy §1.1: in a certificate, an empty value makes the certificate undecodable.
        guard !ext.value.isEmpty else {
            throw VerificationError(.extensionValueInvalid, "TLS Feature: the extension value is empty")
        }
        try self.init(extensionValue: ext.value)
    }

    init(extensionValue value: ArraySlice<UInt8>) throws(VerificationError) {
        // firefox-policy §1.3 / §8.12 row "empty": TLSFeaturesSatisfiedInternal on empty input is bad DER.
        guard !value.isEmpty else {
            throw VerificationError(.badDER, "TLS Feature: the extension value is empty")
        }
        self.rawValue = Array(value)
        let root = try DERStructure.root(value, what: "TLS Feature value", code: .badDER)
        var c = try DERReader(root, path: "TLS Feature", code: .badDER)
        var elements: [[UInt8]] = []
        while !c.isAtEnd {
            let n = try c.next("[\(elements.count)]", DERIdentifier.integer)
            guard let bytes = n.primitiveContent else {
                throw c.error("[\(elements.count)]", "INTEGER must be primitive")
            }
            elements.append(Array(bytes))
        }
        // NestedOf … EmptyAllowed::No (pkixcheck `TLSFeaturesSatisfiedInternal`).
        guard !elements.isEmpty else {
            throw VerificationError(.badDER, "TLS Feature: the SEQUENCE OF INTEGER is empty")
        }
        self.elements = elements
    }

    /// The feature numbers, where an element is a well-formed INTEGER in 0…65535; nil otherwise.
    package var features: [Int?] {
        elements.map { bytes in
            guard !bytes.isEmpty, bytes.count <= 3, let i = try? Int(derEncoded: ASN1Node.integer(bytes)),
                (0...65535).contains(i)
            else { return nil }
            return i
        }
    }

    /// True when the certificate asks for a stapled OCSP response.
    package var requiresStatusRequest: Bool { elements.contains([0x05]) }

    /// Firefox honours only status_request: every element must be exactly `05` (firefox-policy §1.3).
    var unsupportedElement: [UInt8]? { elements.first { $0 != [0x05] } }
}

extension ASN1Node {
    fileprivate static func integer(_ content: [UInt8]) throws -> ASN1Node {
        var bytes: [UInt8] = [0x02, UInt8(content.count)]
        bytes += content
        return try DER.parse(bytes)
    }
}

extension Certificate.Extensions {
    /// The TLS Feature extension, if present. Throws as ``TLSFeatures/init(_:)``.
    package var tlsFeatures: TLSFeatures? {
        get throws(VerificationError) {
            guard let ext = self[oid: .tlsFeature] else { return nil }
            return try TLSFeatures(ext)
        }
    }
}
