import SwiftASN1

/// ```
/// BasicOCSPResponse       ::= SEQUENCE {
///    tbsResponseData      ResponseData,
///    signatureAlgorithm   AlgorithmIdentifier,
///    signature            BIT STRING,
///    certs            [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
/// ```
/// RFC 6960 §4.2.1, read as mozilla::pkix `BasicResponse` (firefox-policy.md §3.3):
/// - the signature BIT STRING must have 0 unused bits, else `SEC_ERROR_OCSP_BAD_SIGNATURE`;
/// - at most ``maximumCertificates`` certificates, each a SEQUENCE (parsed only when a signer is
///   searched for);
/// - ResponseData is read in two steps so that the signature can be verified right after the
///   responderID, before any other field is interpreted (STYLE.md habit 4).
public struct BasicOCSPResponse: Hashable, Sendable {
    /// mozpkix `NonOwningDERArray` capacity: 1 EE + 6 sub-CAs + 1 root (§3.3).
    public static let maximumCertificates = 8

    /// The signed bytes: the whole tbsResponseData TLV.
    public let tbsResponseData: ArraySlice<UInt8>
    /// The signature algorithm as read (OID and raw parameters); interpreted at verification time.
    let signatureAlgorithmIdentifier: AlgorithmIdentifierValue
    public let signature: ArraySlice<UInt8>
    /// The DER of each embedded certificate, in order.
    public let certificates: [ArraySlice<UInt8>]
    /// Their nodes, as tokenized with the response (so that a signer is not tokenized twice).
    let certificateNodes: [ASN1Node]
    /// ResponseData's version, as read (0 when absent).
    public let version: Int
    public let responderID: ResponderID
    /// The rest of ResponseData, not yet interpreted.
    let remainder: ResponseData.Remainder

    public var signatureAlgorithmOID: String { signatureAlgorithmIdentifier.oid.description }

    init(derEncoded bytes: ArraySlice<UInt8>) throws(VerificationError) {
        let root = try parseDER(bytes, what: "BasicOCSPResponse", code: .ocspMalformedResponse)
        var c = try DERCursor(root, path: "BasicOCSPResponse")
        let tbs = try c.next("tbsResponseData", .sequence)
        self.signatureAlgorithmIdentifier = try AlgorithmIdentifierValue(
            derEncoded: try c.next("signatureAlgorithm", .sequence), path: "BasicOCSPResponse.signatureAlgorithm")
        let sig = try c.next("signature", .bitString)
        guard let sigBytes = sig.primitiveBytes, let unused = sigBytes.first, unused == 0 else {
            throw VerificationError(.ocspBadSignature, "BasicOCSPResponse.signature: the BIT STRING must be primitive with 0 unused bits")
        }
        self.signature = sigBytes.dropFirst()
        var certs: [ArraySlice<UInt8>] = []
        var nodes: [ASN1Node] = []
        if let wrapper = c.optional(.contextConstructed(0)) {
            var w = try DERCursor(wrapper, expecting: .contextConstructed(0), path: "BasicOCSPResponse.certs")
            var list = try DERCursor(try w.next("SEQUENCE OF Certificate", .sequence), path: "BasicOCSPResponse.certs")
            try w.end()
            while !list.isAtEnd {
                guard certs.count < Self.maximumCertificates else {
                    throw VerificationError(.ocspMalformedResponse, "BasicOCSPResponse.certs: more than \(Self.maximumCertificates) certificates")
                }
                let node = try list.next("[\(certs.count)]", .sequence)
                certs.append(node.encodedBytes)
                nodes.append(node)
            }
        }
        try c.end()
        self.certificates = certs
        self.certificateNodes = nodes
        self.tbsResponseData = tbs.encodedBytes
        (self.version, self.responderID, self.remainder) = try ResponseData.readHead(tbs)
    }

    /// Interprets the rest of ResponseData. Call only after the signature was verified.
    public func responseData() throws(VerificationError) -> ResponseData {
        try ResponseData(version: version, responderID: responderID, remainder: remainder)
    }
}
