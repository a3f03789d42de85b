/// ```
/// BasicOCSPResponse       ::= SEQUENCE {
///    tbsResponseData      ResponseData,
///    signatureAlgorithm   AlgorithmIdentifier,
///    signature            BIT STRING,
///    certs            [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
/// ```
/// RFC 6960 §4.2.1, read as mozilla::pkix `BasicResponse` (firefox-policy §3.3):
/// - the signature must be a BIT STRING with 0 unused bits, else `SEC_ERROR_OCSP_BAD_SIGNATURE`,
///   judged before the content of signatureAlgorithm, which is read only at verification;
/// - at most ``maximumCertificates`` certificates, each a constructed SEQUENCE (parsed only when a
///   signer is searched for);
/// - ResponseData is read in two steps so that the signature can be verified right after the
///   responderID, before any other field is interpreted (mozpkix checks the signature first).
package struct BasicOCSPResponse: Hashable, Sendable {
    /// mozpkix `NonOwningDERArray` capacity: 1 EE + 6 sub-CAs + 1 root (firefox-policy §3.3).
    package static let maximumCertificates = 8

    /// The signed bytes: the whole tbsResponseData TLV.
    package let tbsResponseData: ArraySlice<UInt8>
    /// The signatureAlgorithm SEQUENCE, its content not yet read: mozpkix `der::SignedData` takes it
    /// as a TLV and reads the content only when a key verifies the signature (firefox-policy §3.3).
    private let signatureAlgorithm: DERElement
    package let signature: ArraySlice<UInt8>
    /// The DER of each embedded certificate, in order.
    package let certificates: [ArraySlice<UInt8>]
    /// ResponseData's version, as read (0 when absent).
    package let version: Int
    package let responderID: ResponderID
    /// The rest of ResponseData, not yet interpreted.
    let remainder: ResponseData.Remainder

    /// The signature algorithm's OID, or nil when the identifier cannot be read.
    package var signatureAlgorithmOID: String? { (try? signatureAlgorithmIdentifier())?.oid.description }

    /// The signature algorithm (OID and raw parameters). Read at verification time, after the signer
    /// was found, so that a fault in it is reported where mozpkix `VerifySignedData` reports it.
    func signatureAlgorithmIdentifier() throws(VerificationError) -> AlgorithmIdentifierValue {
        try AlgorithmIdentifierValue(derEncoded: signatureAlgorithm, path: "BasicOCSPResponse.signatureAlgorithm")
    }

    init(derEncoded bytes: ArraySlice<UInt8>) throws(VerificationError) {
        let root = try DERStructure.root(bytes, what: "BasicOCSPResponse", code: .ocspMalformedResponse)
        var c = try DERReader(root, path: "BasicOCSPResponse")
        let tbs = try c.next("tbsResponseData", DERIdentifier.sequence)
        self.signatureAlgorithm = try c.next("signatureAlgorithm", DERIdentifier.sequence)
        // mozpkix der::SignedData turns every BAD_DER while reading the signature (another tag, no
        // element at all, unused bits) into BAD_SIGNATURE, which BasicResponse reports as
        // OCSP_BAD_SIGNATURE (firefox-policy §3.3).
        guard c.peekIdentifier() == DERIdentifier.bitString, let sig = try? c.next("signature"),
            let sigBytes = sig.primitiveContent, let unused = sigBytes.first, unused == 0
        else {
            throw VerificationError(
                .ocspBadSignature,
                "BasicOCSPResponse.signature: not a primitive BIT STRING with 0 unused bits"
            )
        }
        self.signature = sigBytes.dropFirst()
        var certs: [ArraySlice<UInt8>] = []
        if let wrapper = try c.optional(DERIdentifier.context(0)) {
            var w = try DERReader(wrapper, expecting: DERIdentifier.context(0), path: "BasicOCSPResponse.certs")
            var list = try DERReader(
                try w.next("SEQUENCE OF Certificate", DERIdentifier.sequence),
                path: "BasicOCSPResponse.certs"
            )
            try w.end()
            while !list.isAtEnd {
                guard certs.count < Self.maximumCertificates else {
                    throw VerificationError(
                        .ocspMalformedResponse,
                        "BasicOCSPResponse.certs: more than \(Self.maximumCertificates) certificates"
                    )
                }
                // mozpkix reads each with ExpectTagAndGetTLV(SEQUENCE): the constructed form is part of the tag.
                certs.append(try list.next("[\(certs.count)]", DERIdentifier.sequence).encoded)
            }
        }
        try c.end()
        self.certificates = certs
        self.tbsResponseData = tbs.encoded
        (self.version, self.responderID, self.remainder) = try ResponseData.readHead(tbs)
    }

    /// Interprets the rest of ResponseData. Call only after the signature was verified.
    package func responseData() throws(VerificationError) -> ResponseData {
        try ResponseData(version: version, responderID: responderID, remainder: remainder)
    }
}
