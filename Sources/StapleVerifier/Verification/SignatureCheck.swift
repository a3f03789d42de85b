import Crypto
import _CryptoExtras
import SwiftASN1

/// One signature verification with swift-crypto: the only place that touches key material.
/// Keys come from a SubjectPublicKeyInfo; the accepted algorithms are firefox-policy §3.6's.
enum SignatureCheck {
    // swift-crypto's EC public keys are immutable values not marked Sendable; nothing mutates them.
    enum Key: @unchecked Sendable {
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
    }

    static let rsaEncryption: ObjectIdentifierBytes = [1, 2, 840, 113549, 1, 1, 1]
    static let ecPublicKey: ObjectIdentifierBytes = [1, 2, 840, 10045, 2, 1]
    static let p256: ObjectIdentifierBytes = [1, 2, 840, 10045, 3, 1, 7]
    static let p384: ObjectIdentifierBytes = [1, 3, 132, 0, 34]
    static let p521: ObjectIdentifierBytes = [1, 3, 132, 0, 35]

    /// The key of an SPKI, or a reason why it cannot verify anything: RSA below `minRSABits`,
    /// a curve other than P-256/384/521, a compressed point (mozpkix accepts uncompressed only, firefox-policy §3.5).
    static func key(spki: ArraySlice<UInt8>, minRSABits: Int) -> Result<Key, KeyError> {
        parseKey(spki: spki).flatMap { $0.meeting(minRSABits: minRSABits) }
    }

    /// ``key(spki:minRSABits:)`` without the RSA size rule, so that the key object can be made once
    /// and kept (PreparedChain) while the policy's minimum is applied at each use.
    static func parseKey(spki: ArraySlice<UInt8>) -> Result<Key, KeyError> {
        // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
        guard let parts = try? readSPKI(spki) else {
            return .failure(KeyError(reason: "unreadable SubjectPublicKeyInfo"))
        }
        let (algorithm, bits) = parts
        if algorithm.algorithm == rsaEncryption {
            guard let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: Array(spki)) else {
                return .failure(KeyError(reason: "unusable RSA key (swift-crypto requires at least 1024 bits)"))
            }
            return .success(.rsa(key))
        }
        guard algorithm.algorithm == ecPublicKey, let params = algorithm.parameters,
            let curveElement = try? DERStructure.root(params, what: "namedCurve", code: .badDER),
            let curve = try? ObjectIdentifierBytes(curveElement, field: "namedCurve", code: .badDER)
        else {
            return .failure(
                KeyError(reason: "public key algorithm \(algorithm.oid) is neither RSA nor ECDSA on a named curve")
            )
        }
        // The last element of the SPKI is the BIT STRING; its point must start with 0x04 (uncompressed).
        guard let point = bits.first == 0 ? bits.dropFirst() : nil, point.first == 0x04 else {
            return .failure(KeyError(reason: "EC point is not uncompressed"))
        }
        do {
            switch curve {
            case p256: return .success(.p256(try P256.Signing.PublicKey(x963Representation: point)))
            case p384: return .success(.p384(try P384.Signing.PublicKey(x963Representation: point)))
            case p521: return .success(.p521(try P521.Signing.PublicKey(x963Representation: point)))
            default: return .failure(KeyError(reason: "curve \(curve) is not P-256, P-384 or P-521"))
            }
        } catch {
            return .failure(KeyError(reason: "invalid EC point: \(error)"))
        }
    }

    struct KeyError: Error { let reason: String }

    /// Whether `algorithm` is of the key's family (ECDSA for an EC key, PKCS#1 or PSS for RSA).
    static func fits(_ key: Key, _ algorithm: SignatureAlgorithm) -> Bool {
        switch key {
        case .p256, .p384, .p521: return algorithm.isECDSA
        case .rsa: return !algorithm.isECDSA
        }
    }

    /// Whether NSS hands a signature of the other key family to the key, where it fails as
    /// SEC_ERROR_INVALID_KEY (firefox-policy §3.6): an RSA one always; an ECDSA one only once it
    /// has been read as an ECDSA-Sig-Value (pkixnss `EncodedECDSASignatureToRawPoint`; otherwise
    /// the answer is a bad signature). swift-crypto's P-521 reader stands in for mozpkix's: it
    /// takes r and s of up to 66 bytes.
    static func reachesTheKey(_ algorithm: SignatureAlgorithm, signature: ArraySlice<UInt8>) -> Bool {
        guard algorithm.isECDSA else { return true }
        return (try? P521.Signing.ECDSASignature(derRepresentation: signature)) != nil
    }

    static func verify(
        key: Result<Key, KeyError>,
        minRSABits: Int,
        algorithm: SignatureAlgorithm,
        signature: ArraySlice<UInt8>,
        message: ArraySlice<UInt8>
    ) -> Bool {
        guard case .success(let key) = key.flatMap({ $0.meeting(minRSABits: minRSABits) }) else { return false }
        return verify(key: key, algorithm: algorithm, signature: signature, message: message)
    }

    /// The algorithm and the subjectPublicKey BIT STRING's content octets of an SPKI.
    private static func readSPKI(
        _ spki: ArraySlice<UInt8>
    ) throws(VerificationError) -> (AlgorithmIdentifierValue, ArraySlice<UInt8>) {
        let root = try DERStructure.root(spki, what: "SubjectPublicKeyInfo", code: .badDER)
        var reader = try DERReader(root, path: "SubjectPublicKeyInfo", code: .badDER)
        let algorithm = try AlgorithmIdentifierValue(
            derEncoded: try reader.next("algorithm", DERIdentifier.sequence),
            path: "SubjectPublicKeyInfo.algorithm",
            code: .badDER
        )
        guard let bits = try reader.next("subjectPublicKey", DERIdentifier.bitString).primitiveContent else {
            throw reader.error("subjectPublicKey", "BIT STRING must be primitive")
        }
        try reader.end()
        return (algorithm, bits)
    }

    static func verify(
        spki: ArraySlice<UInt8>,
        algorithm: SignatureAlgorithm,
        signature: ArraySlice<UInt8>,
        message: ArraySlice<UInt8>,
        minRSABits: Int
    ) -> Bool {
        guard case .success(let key) = self.key(spki: spki, minRSABits: minRSABits) else { return false }
        return verify(key: key, algorithm: algorithm, signature: signature, message: message)
    }

    static func verify(
        key: Key,
        algorithm: SignatureAlgorithm,
        signature: ArraySlice<UInt8>,
        message: ArraySlice<UInt8>
    ) -> Bool {
        switch (key, algorithm) {
        case (.p256(let k), .ecdsaSHA1), (.p256(let k), .ecdsaSHA256), (.p256(let k), .ecdsaSHA384),
            (.p256(let k), .ecdsaSHA512):
            guard let s = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return withDigest(algorithm, message) { k.isValidSignature(s, for: $0) }
        case (.p384(let k), .ecdsaSHA1), (.p384(let k), .ecdsaSHA256), (.p384(let k), .ecdsaSHA384),
            (.p384(let k), .ecdsaSHA512):
            guard let s = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return withDigest(algorithm, message) { k.isValidSignature(s, for: $0) }
        case (.p521(let k), .ecdsaSHA1), (.p521(let k), .ecdsaSHA256), (.p521(let k), .ecdsaSHA384),
            (.p521(let k), .ecdsaSHA512):
            guard let s = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return withDigest(algorithm, message) { k.isValidSignature(s, for: $0) }
        case (.rsa(let k), .rsaPKCS1SHA1), (.rsa(let k), .rsaPKCS1SHA256), (.rsa(let k), .rsaPKCS1SHA384),
            (.rsa(let k), .rsaPKCS1SHA512):
            let s = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return withDigest(algorithm, message) { k.isValidSignature(s, for: $0, padding: .insecurePKCS1v1_5) }
        case (.rsa(let k), .rsaPSSSHA256), (.rsa(let k), .rsaPSSSHA384), (.rsa(let k), .rsaPSSSHA512):
            // swift-crypto's PSS uses MGF1 with the same hash and a salt as long as the digest:
            // exactly the three CA/B Forum parameter sets accepted in AlgorithmIdentifiers.swift.
            let s = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return withDigest(algorithm, message) { k.isValidSignature(s, for: $0, padding: .PSS) }
        default:
            return false  // the key does not fit the algorithm
        }
    }

    private static func withDigest(
        _ algorithm: SignatureAlgorithm,
        _ message: ArraySlice<UInt8>,
        _ body: (any Digest) -> Bool
    ) -> Bool {
        switch algorithm {
        case .rsaPKCS1SHA1, .ecdsaSHA1: return body(Insecure.SHA1.hash(data: message))
        case .rsaPKCS1SHA256, .rsaPSSSHA256, .ecdsaSHA256: return body(SHA256.hash(data: message))
        case .rsaPKCS1SHA384, .rsaPSSSHA384, .ecdsaSHA384: return body(SHA384.hash(data: message))
        case .rsaPKCS1SHA512, .rsaPSSSHA512, .ecdsaSHA512: return body(SHA512.hash(data: message))
        }
    }
}

extension SignatureCheck.Key {
    /// Firefox's RSA size floor (the policy's `minRSABits`); EC keys pass as they are.
    func meeting(minRSABits: Int) -> Result<Self, SignatureCheck.KeyError> {
        if case .rsa(let key) = self, key.keySizeInBits < minRSABits {
            return .failure(
                SignatureCheck.KeyError(reason: "RSA key of \(key.keySizeInBits) bits; at least \(minRSABits) required")
            )
        }
        return .success(self)
    }
}
