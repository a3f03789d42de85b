import SwiftASN1

/// The hash functions a CertID may use (firefox-policy §3.7 step 1): SHA-1, SHA-256, SHA-384,
/// SHA-512, with NULL or absent parameters. Anything else makes mozpkix skip that SingleResponse.
package enum CertIDHash: String, Hashable, Sendable, Codable, CaseIterable {
    case sha1, sha256, sha384, sha512

    var oid: ASN1ObjectIdentifier { oidBytes.objectIdentifier }

    /// The algorithm's OID, encoded once.
    var oidBytes: ObjectIdentifierBytes {
        switch self {
        case .sha1: return Self.sha1OID
        case .sha256: return Self.sha256OID
        case .sha384: return Self.sha384OID
        case .sha512: return Self.sha512OID
        }
    }

    private static let sha1OID = ObjectIdentifierBytes([1, 3, 14, 3, 2, 26])
    private static let sha256OID = ObjectIdentifierBytes([2, 16, 840, 1, 101, 3, 4, 2, 1])
    private static let sha384OID = ObjectIdentifierBytes([2, 16, 840, 1, 101, 3, 4, 2, 2])
    private static let sha512OID = ObjectIdentifierBytes([2, 16, 840, 1, 101, 3, 4, 2, 3])

    var length: Int {
        switch self {
        case .sha1: return 20
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }
}

/// A signature algorithm the verifier accepts, with its hash (firefox-policy §3.6).
package enum SignatureAlgorithm: String, Hashable, Sendable, Codable {
    case rsaPKCS1SHA1, rsaPKCS1SHA256, rsaPKCS1SHA384, rsaPKCS1SHA512
    case rsaPSSSHA256, rsaPSSSHA384, rsaPSSSHA512
    case ecdsaSHA1, ecdsaSHA256, ecdsaSHA384, ecdsaSHA512

    var usesSHA1: Bool { self == .rsaPKCS1SHA1 || self == .ecdsaSHA1 }

    var isECDSA: Bool {
        switch self {
        case .ecdsaSHA1, .ecdsaSHA256, .ecdsaSHA384, .ecdsaSHA512: return true
        default: return false
        }
    }
}

/// An AlgorithmIdentifier (RFC 5280 §4.1.1.2) as read from the wire: the OID and the raw parameters.
struct AlgorithmIdentifierValue: Hashable, Sendable {
    let algorithm: ObjectIdentifierBytes
    /// The parameters' whole TLV, or nil when absent.
    let parameters: ArraySlice<UInt8>?

    var oid: ASN1ObjectIdentifier { algorithm.objectIdentifier }

    init(
        derEncoded element: DERElement,
        path: String,
        code: VerificationError.Code = .ocspMalformedResponse
    ) throws(VerificationError) {
        var c = try DERReader(element, path: path, code: code)
        self.algorithm = try ObjectIdentifierBytes(
            try c.next("algorithm", DERIdentifier.objectIdentifier),
            field: "\(path).algorithm",
            code: code
        )
        self.parameters = c.isAtEnd ? nil : try c.next("parameters").encoded
        try c.end()
    }

    init(algorithm: ObjectIdentifierBytes, parameters: ArraySlice<UInt8>?) {
        self.algorithm = algorithm
        self.parameters = parameters
    }

    /// Parameters NULL or absent, as `DigestAlgorithmIdentifier` and the RSA/ECDSA identifiers allow.
    var parametersAreNullOrAbsent: Bool { parameters == nil || parameters! == [0x05, 0x00] }

    /// The CertID hash, or nil for an algorithm that makes mozpkix skip the SingleResponse.
    var certIDHash: CertIDHash? {
        guard parametersAreNullOrAbsent else { return nil }
        return CertIDHash.allCases.first { $0.oidBytes == algorithm }
    }

    /// The signature algorithm, or `SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED` for anything
    /// outside firefox-policy §3.6's list (MD5, SHA-224, DSA, PSS with other parameters…).
    func signatureAlgorithm(field: String) throws(VerificationError) -> SignatureAlgorithm {
        if parametersAreNullOrAbsent, let a = Self.rsaAndECDSA.first(where: { $0.oid == algorithm }) {
            return a.algorithm
        }
        if algorithm == .rsaPSS, let p = parameters {
            // RSASSA-PSS only with the three CA/Browser Forum encodings, byte for byte (firefox-policy §3.6).
            if let a = Self.pssParameters.first(where: { $0.parameters.elementsEqual(p) }) { return a.algorithm }
        }
        throw VerificationError(
            .certSignatureAlgorithmDisabled,
            "\(field): signature algorithm \(oid) with these parameters is not accepted"
        )
    }

    /// PKCS #1 v1.5 and ECDSA identifiers (parameters NULL or absent). Built once, not per call;
    /// searched in order (nine short byte comparisons cost less than hashing the OID).
    private static let rsaAndECDSA: [(oid: ObjectIdentifierBytes, algorithm: SignatureAlgorithm)] = [
        entry([1, 2, 840, 10045, 4, 3, 2], .ecdsaSHA256),
        entry([1, 2, 840, 113549, 1, 1, 11], .rsaPKCS1SHA256),
        entry([1, 2, 840, 10045, 4, 3, 3], .ecdsaSHA384),
        entry([1, 2, 840, 113549, 1, 1, 12], .rsaPKCS1SHA384),
        entry([1, 2, 840, 10045, 4, 3, 4], .ecdsaSHA512),
        entry([1, 2, 840, 113549, 1, 1, 13], .rsaPKCS1SHA512),
        entry([1, 2, 840, 113549, 1, 1, 5], .rsaPKCS1SHA1),
        entry([1, 3, 14, 3, 2, 29], .rsaPKCS1SHA1),  // OIW sha1WithRSASignature
        entry([1, 2, 840, 10045, 4, 1], .ecdsaSHA1),
    ]

    private static func entry(
        _ oid: ASN1ObjectIdentifier,
        _ algorithm: SignatureAlgorithm
    ) -> (oid: ObjectIdentifierBytes, algorithm: SignatureAlgorithm) {
        (ObjectIdentifierBytes(oid), algorithm)
    }

    private static func pss(hashByte: UInt8, salt: UInt8) -> [UInt8] {
        let hash: [UInt8] = [
            0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, hashByte, 0x05, 0x00,
        ]
        let mgf1: [UInt8] = [0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08] + hash
        return [0x30, 0x34, 0xa0, 0x0f] + hash + [0xa1, 0x1c] + mgf1 + [0xa2, 0x03, 0x02, 0x01, salt]
    }

    /// SHA-256/MGF1-SHA-256/salt 32, SHA-384/…/48, SHA-512/…/64 (the CA/B Forum Baseline Requirements, 7.1.3.2).
    private static let pssParameters: [(parameters: [UInt8], algorithm: SignatureAlgorithm)] = [
        (pss(hashByte: 0x01, salt: 32), .rsaPSSSHA256),
        (pss(hashByte: 0x02, salt: 48), .rsaPSSSHA384),
        (pss(hashByte: 0x03, salt: 64), .rsaPSSSHA512),
    ]
}
