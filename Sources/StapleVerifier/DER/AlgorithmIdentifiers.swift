import SwiftASN1

/// The hash functions a CertID may use (firefox-policy.md §3.7 step 1): SHA-1, SHA-256, SHA-384,
/// SHA-512, with NULL or absent parameters. Anything else makes mozpkix skip that SingleResponse.
public enum CertIDHash: String, Hashable, Sendable, Codable, CaseIterable {
    case sha1, sha256, sha384, sha512

    var oid: ASN1ObjectIdentifier {
        switch self {
        case .sha1: return [1, 3, 14, 3, 2, 26]
        case .sha256: return [2, 16, 840, 1, 101, 3, 4, 2, 1]
        case .sha384: return [2, 16, 840, 1, 101, 3, 4, 2, 2]
        case .sha512: return [2, 16, 840, 1, 101, 3, 4, 2, 3]
        }
    }

    var length: Int {
        switch self {
        case .sha1: return 20
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }
}

/// A signature algorithm the verifier accepts, with its hash (firefox-policy.md §3.6).
public enum SignatureAlgorithm: String, Hashable, Sendable, Codable {
    case rsaPKCS1SHA1, rsaPKCS1SHA256, rsaPKCS1SHA384, rsaPKCS1SHA512
    case rsaPSSSHA256, rsaPSSSHA384, rsaPSSSHA512
    case ecdsaSHA1, ecdsaSHA256, ecdsaSHA384, ecdsaSHA512

    var usesSHA1: Bool { self == .rsaPKCS1SHA1 || self == .ecdsaSHA1 }
}

/// An AlgorithmIdentifier (RFC 5280 §4.1.1.2) as read from the wire: the OID and the raw parameters.
struct AlgorithmIdentifierValue: Hashable, Sendable {
    let oid: ASN1ObjectIdentifier
    /// The parameters' whole TLV, or nil when absent.
    let parameters: ArraySlice<UInt8>?

    init(derEncoded node: ASN1Node, path: String, code: VerificationError.Code = .ocspMalformedResponse) throws(VerificationError) {
        var c = try DERCursor(node, path: path, code: code)
        let oidNode = try c.next("algorithm", .objectIdentifier)
        do { self.oid = try ASN1ObjectIdentifier(derEncoded: oidNode) } catch {
            throw VerificationError(code, "\(path).algorithm: \(error)")
        }
        self.parameters = c.isAtEnd ? nil : try c.next("parameters").encodedBytes
        try c.end()
    }

    /// Parameters NULL or absent, as `DigestAlgorithmIdentifier` and the RSA/ECDSA identifiers allow.
    var parametersAreNullOrAbsent: Bool { parameters == nil || parameters! == [0x05, 0x00] }

    /// The CertID hash, or nil for an algorithm that makes mozpkix skip the SingleResponse.
    var certIDHash: CertIDHash? {
        guard parametersAreNullOrAbsent else { return nil }
        return CertIDHash.allCases.first { $0.oid == oid }
    }

    /// The signature algorithm, or `SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED` for anything
    /// outside §3.6's list (MD5, SHA-224, DSA, PSS with other parameters…).
    func signatureAlgorithm(field: String) throws(VerificationError) -> SignatureAlgorithm {
        if let a = Self.rsaAndECDSA[oid], parametersAreNullOrAbsent { return a }
        if oid == [1, 2, 840, 113549, 1, 1, 10], let p = parameters {
            // RSASSA-PSS only with the three CA/Browser Forum encodings, byte for byte (§3.6).
            if let a = Self.pssParameters[Array(p)] { return a }
        }
        throw VerificationError(.certSignatureAlgorithmDisabled, "\(field): signature algorithm \(oid) with these parameters is not accepted")
    }

    /// PKCS #1 v1.5 and ECDSA identifiers (parameters NULL or absent). Built once, not per call.
    private static let rsaAndECDSA: [ASN1ObjectIdentifier: SignatureAlgorithm] = [
        [1, 2, 840, 113549, 1, 1, 5]: .rsaPKCS1SHA1,
        [1, 3, 14, 3, 2, 29]: .rsaPKCS1SHA1,  // OIW sha1WithRSASignature
        [1, 2, 840, 113549, 1, 1, 11]: .rsaPKCS1SHA256,
        [1, 2, 840, 113549, 1, 1, 12]: .rsaPKCS1SHA384,
        [1, 2, 840, 113549, 1, 1, 13]: .rsaPKCS1SHA512,
        [1, 2, 840, 10045, 4, 1]: .ecdsaSHA1,
        [1, 2, 840, 10045, 4, 3, 2]: .ecdsaSHA256,
        [1, 2, 840, 10045, 4, 3, 3]: .ecdsaSHA384,
        [1, 2, 840, 10045, 4, 3, 4]: .ecdsaSHA512,
    ]

    private static func pss(hashByte: UInt8, salt: UInt8) -> [UInt8] {
        let hash: [UInt8] = [0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, hashByte, 0x05, 0x00]
        let mgf1: [UInt8] = [0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08] + hash
        return [0x30, 0x34, 0xa0, 0x0f] + hash + [0xa1, 0x1c] + mgf1 + [0xa2, 0x03, 0x02, 0x01, salt]
    }

    /// SHA-256/MGF1-SHA-256/salt 32, SHA-384/…/48, SHA-512/…/64 (CA/B Forum BR §7.1.3.2).
    private static let pssParameters: [[UInt8]: SignatureAlgorithm] = [
        pss(hashByte: 0x01, salt: 32): .rsaPSSSHA256,
        pss(hashByte: 0x02, salt: 48): .rsaPSSSHA384,
        pss(hashByte: 0x03, salt: 64): .rsaPSSSHA512,
    ]
}
