/// ```
/// CertID          ::=     SEQUENCE {
///     hashAlgorithm       AlgorithmIdentifier,
///     issuerNameHash      OCTET STRING, -- Hash of issuer's DN
///     issuerKeyHash       OCTET STRING, -- Hash of issuer's package key
///     serialNumber        CertificateSerialNumber }
/// ```
/// RFC 6960 §4.1.1. Read structurally here; matched against a certificate in mozpkix's order by
/// ``OCSPResponseVerifier`` (firefox-policy §3.7): hash algorithm, serial, name hash, key hash.
package struct CertID: Hashable, Sendable {
    let hashAlgorithm: AlgorithmIdentifierValue
    package let issuerNameHash: ArraySlice<UInt8>
    package let issuerKeyHash: ArraySlice<UInt8>
    /// The INTEGER's content octets as read (validated when matched).
    package let serialNumber: ArraySlice<UInt8>

    /// The hash, or nil when it is one that makes mozpkix skip this SingleResponse.
    package var hash: CertIDHash? { hashAlgorithm.certIDHash }
    package var hashAlgorithmOID: String { hashAlgorithm.oid.description }

    /// `hashAlgorithmPath`: the name of the hashAlgorithm field, when the caller has it made already.
    init(derEncoded element: DERElement, path: String, hashAlgorithmPath: String? = nil) throws(VerificationError) {
        var c = try DERReader(element, path: path)
        self.hashAlgorithm = try AlgorithmIdentifierValue(
            derEncoded: try c.next("hashAlgorithm", DERIdentifier.sequence),
            path: hashAlgorithmPath ?? "\(path).hashAlgorithm"
        )
        do throws(VerificationError) {
            guard let name = try c.next("issuerNameHash", DERIdentifier.octetString).primitiveContent,
                let key = try c.next("issuerKeyHash", DERIdentifier.octetString).primitiveContent
            else {
                throw VerificationError(.ocspMalformedResponse, "\(path): hashes must be primitive OCTET STRINGs")
            }
            guard let serial = try c.next("serialNumber", DERIdentifier.integer).primitiveContent else {
                throw VerificationError(.ocspMalformedResponse, "\(path).serialNumber must be primitive")
            }
            try c.end()
            self.issuerNameHash = name
            self.issuerKeyHash = key
            self.serialNumber = serial
        } catch {
            // mozpkix's MatchCertID reads no further than a hash algorithm it does not support, or
            // whose parameters it refuses (firefox-policy §3.7): what follows is never judged.
            guard hashAlgorithm.certIDHash == nil else { throw error }
            self.issuerNameHash = []
            self.issuerKeyHash = []
            self.serialNumber = []
        }
    }

    init(hash: CertIDHash, issuerNameHash: [UInt8], issuerKeyHash: [UInt8], serialNumber: ArraySlice<UInt8>) {
        self.hashAlgorithm = AlgorithmIdentifierValue(algorithm: hash.oidBytes, parameters: [0x05, 0x00])
        self.issuerNameHash = issuerNameHash[...]
        self.issuerKeyHash = issuerKeyHash[...]
        self.serialNumber = serialNumber
    }
}

/// mozpkix `IntegralBytes` for a serial number: non-empty and minimally encoded, else
/// `MOZILLA_PKIX_ERROR_INVALID_INTEGER_ENCODING` — returned as is, not mapped to malformed (firefox-policy §3.7).
func checkIntegerEncoding(_ bytes: ArraySlice<UInt8>, field: String) throws(VerificationError) {
    guard let first = bytes.first else {
        throw VerificationError(.invalidIntegerEncoding, "\(field): empty INTEGER")
    }
    if bytes.count > 1 {
        let second = bytes[bytes.startIndex + 1]
        if (first == 0x00 && second < 0x80) || (first == 0xFF && second >= 0x80) {
            throw VerificationError(.invalidIntegerEncoding, "\(field): INTEGER is not minimally encoded")
        }
    }
}
