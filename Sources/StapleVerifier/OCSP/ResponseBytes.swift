import SwiftASN1

/// ```
/// ResponseBytes ::=       SEQUENCE {
///     responseType   OBJECT IDENTIFIER,
///     response       OCTET STRING }
/// ```
/// RFC 6960 §4.2.1. Only id-pkix-ocsp-basic is accepted (firefox-policy.md §3.2); the OCTET STRING
/// holds a DER BasicOCSPResponse.
struct ResponseBytes {
    let response: ArraySlice<UInt8>

    init(derEncoded node: ASN1Node) throws(VerificationError) {
        var c = try DERCursor(node, path: "ResponseBytes")
        let typeNode = try c.next("responseType", .objectIdentifier)
        let type: ASN1ObjectIdentifier
        do { type = try ASN1ObjectIdentifier(derEncoded: typeNode) } catch {
            throw c.error("responseType", "\(error)")
        }
        guard type == .ocspBasic else {
            throw c.error("responseType", "\(type) is not id-pkix-ocsp-basic (1.3.6.1.5.5.7.48.1.1)")
        }
        guard let response = try c.next("response", .octetString).primitiveBytes else {
            throw c.error("response", "OCTET STRING must be primitive")
        }
        try c.end()
        self.response = response
    }
}
