/// ```
/// ResponseBytes ::=       SEQUENCE {
///     responseType   OBJECT IDENTIFIER,
///     response       OCTET STRING }
/// ```
/// RFC 6960 §4.2.1. Only id-pkix-ocsp-basic is accepted (firefox-policy §3.2); the OCTET STRING
/// holds a DER BasicOCSPResponse.
struct ResponseBytes {
    let response: ArraySlice<UInt8>

    init(derEncoded element: DERElement) throws(VerificationError) {
        var c = try DERReader(element, path: "ResponseBytes")
        let type = try ObjectIdentifierBytes(
            try c.next("responseType", DERIdentifier.objectIdentifier),
            field: "ResponseBytes.responseType",
            code: .ocspMalformedResponse
        )
        guard type == .ocspBasic else {
            throw c.error("responseType", "\(type) is not id-pkix-ocsp-basic (1.3.6.1.5.5.7.48.1.1)")
        }
        guard let response = try c.next("response", DERIdentifier.octetString).primitiveContent else {
            throw c.error("response", "OCTET STRING must be primitive")
        }
        try c.end()
        self.response = response
    }
}
