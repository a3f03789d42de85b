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
    /// `status_request` as the one content octet of its INTEGER: what Firefox compares (firefox-policy §1.3).
    static let statusRequestByte: UInt8 = 0x05

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
        let reading = Self.read(value)
        if let fault = reading.fault { throw fault }
        self.rawValue = Array(value)
        self.elements = reading.elements
    }

    /// A value read in order, as mozpkix's `NestedOf` reads it: the INTEGERs read before the first
    /// fault, and that fault. `TLSFeaturesSatisfiedInternal` judges each INTEGER as it reads it, so
    /// an element it refuses before a fault decides the answer (firefox-policy §1.3).
    struct Reading {
        var elements: [[UInt8]] = []
        var fault: VerificationError?
    }

    static func read(_ value: ArraySlice<UInt8>) -> Reading {
        var reading = Reading()
        func fault(_ why: String) -> Reading {
            reading.fault = VerificationError(.badDER, "TLS Feature value is not valid DER: \(why)")
            return reading
        }
        // firefox-policy §1.3 / §8.12 row "empty": TLSFeaturesSatisfiedInternal on empty input is bad DER.
        guard !value.isEmpty else { return fault("the extension value is empty") }
        var top = DERReader(contents: value, path: "TLS Feature", code: .badDER)
        guard let sequence = try? top.next("Features"), sequence.hasMinimalLength,
            sequence.firstOctet == DERIdentifier.sequence | DERIdentifier.constructedBit
        else { return fault("not a SEQUENCE") }
        var c = DERReader(contents: sequence.content, path: "TLS Feature", code: .badDER)
        // NestedOf … EmptyAllowed::No (pkixcheck `TLSFeaturesSatisfiedInternal`).
        guard !c.isAtEnd else { return fault("the SEQUENCE OF INTEGER is empty") }
        while !c.isAtEnd {
            let index = reading.elements.count
            guard let n = try? c.next("[\(index)]"), n.hasMinimalLength, n.firstOctet == DERIdentifier.integer,
                let bytes = n.primitiveContent
            else { return fault("element [\(index)] is not a primitive INTEGER") }
            reading.elements.append(Array(bytes))
        }
        // Current mozpkix ends with der::End after NestedOf (firefox-policy §1.3).
        guard top.isAtEnd else { return fault("trailing data after the outermost value") }
        return reading
    }

    /// The feature numbers, where an element is a well-formed INTEGER in 0…65535; nil otherwise.
    package var features: [Int?] { Self.numbers(elements) }

    static func numbers(_ elements: [[UInt8]]) -> [Int?] {
        elements.map { bytes in
            guard !bytes.isEmpty, bytes.count <= 3, let i = try? Int(derEncoded: ASN1Node.integer(bytes)),
                (0...65535).contains(i)
            else { return nil }
            return i
        }
    }

    /// True when the certificate asks for a stapled OCSP response.
    package var requiresStatusRequest: Bool { elements.contains([Self.statusRequestByte]) }
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
