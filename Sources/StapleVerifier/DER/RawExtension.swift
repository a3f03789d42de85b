import SwiftASN1

/// One X.509/OCSP extension as it appears on the wire (RFC 5280 §4.1):
///
/// ```
/// Extension  ::=  SEQUENCE  {
///      extnID      OBJECT IDENTIFIER,
///      critical    BOOLEAN DEFAULT FALSE,
///      extnValue   OCTET STRING }
/// ```
///
/// Leniency: an explicitly encoded FALSE is accepted although DER forbids encoding a DEFAULT value —
/// mozpkix tolerates it (firefox-policy §3.10), and so do we.
package struct OCSPExtension: Hashable, Sendable {
    /// extnID as read, compared byte for byte.
    let extnID: ObjectIdentifierBytes
    package let critical: Bool
    package let value: ArraySlice<UInt8>

    package var oid: ASN1ObjectIdentifier { extnID.objectIdentifier }

    init(
        derEncoded element: DERElement,
        path: String,
        code: VerificationError.Code = .ocspMalformedResponse
    ) throws(VerificationError) {
        var c = try DERReader(element, path: path, code: code)
        self.extnID = try ObjectIdentifierBytes(
            try c.next("extnID", DERIdentifier.objectIdentifier),
            field: "\(path).extnID",
            code: code
        )
        if let b = try c.optional(DERIdentifier.boolean) {
            guard let bytes = b.primitiveContent, bytes.count == 1, bytes.first == 0x00 || bytes.first == 0xFF else {
                throw c.error("critical", "BOOLEAN must be one byte 0x00 or 0xFF")
            }
            self.critical = bytes.first == 0xFF
        } else {
            self.critical = false
        }
        guard let value = try c.next("extnValue", DERIdentifier.octetString).primitiveContent else {
            throw c.error("extnValue", "OCTET STRING must be primitive")
        }
        self.value = value
        try c.end()
    }

    /// Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`. An empty SEQUENCE is accepted:
    /// mozpkix tolerates it (bug 997994, firefox-policy §3.4 "empty-extensions").
    static func list(
        _ element: DERElement,
        path: String,
        code: VerificationError.Code = .ocspMalformedResponse
    ) throws(VerificationError) -> [OCSPExtension] {
        var c = try DERReader(element, path: path, code: code)
        var result: [OCSPExtension] = []
        var i = 0
        while !c.isAtEnd {
            result.append(try OCSPExtension(derEncoded: try c.next("[\(i)]"), path: "\(path)[\(i)]", code: code))
            i += 1
        }
        return result
    }
}

extension ASN1ObjectIdentifier {
    /// id-pe-tlsfeature, RFC 7633 §6.
    static let tlsFeature: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 24]
    /// id-kp-OCSPSigning, RFC 6960 §4.2.2.2.
    static let kpOCSPSigning: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 9]
    /// id-pe-authorityInfoAccess, RFC 5280 §4.2.2.1.
    static let authorityInformationAccess: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 1]
}
