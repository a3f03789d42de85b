import Crypto
import _CryptoExtras
import X509

/// A signing key for forged certificates and responses: ECDSA P-256 or RSA.
// The swift-crypto private keys are immutable values but not marked Sendable; nothing here mutates them.
public struct ForgeKey: @unchecked Sendable {
    public enum Backing {
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    public let backing: Backing

    public static func p256() -> ForgeKey { ForgeKey(backing: .p256(P256.Signing.PrivateKey())) }

    public static func rsa(bits: Int = 2048) -> ForgeKey {
        ForgeKey(backing: .rsa(try! _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: bits))))
    }

    public var certificatePrivateKey: Certificate.PrivateKey {
        switch backing {
        case .p256(let k): return Certificate.PrivateKey(k)
        case .rsa(let k): return Certificate.PrivateKey(k)
        }
    }

    public var certificatePublicKey: Certificate.PublicKey { certificatePrivateKey.publicKey }

    /// The private key in PEM (PKCS#8 for P-256), for servers that tests start from files.
    public var pemRepresentation: String {
        switch backing {
        case .p256(let k): return k.pemRepresentation
        case .rsa(let k): return k.pemRepresentation
        }
    }

    /// The natural SHA-256 signature algorithm for this key.
    public var defaultAlgorithm: ForgeSignatureAlgorithm {
        switch backing {
        case .p256: return .ecdsaSHA256
        case .rsa: return .rsaPKCS1SHA256
        }
    }

    public var certificateSignatureAlgorithm: Certificate.SignatureAlgorithm {
        switch backing {
        case .p256: return .ecdsaWithSHA256
        case .rsa: return .sha256WithRSAEncryption
        }
    }

    /// Signs `message` with `algorithm` (the key must fit the algorithm's family).
    public func sign(_ message: [UInt8], algorithm: ForgeSignatureAlgorithm) -> [UInt8] {
        switch (backing, algorithm) {
        case (.p256(let k), .ecdsaSHA256):
            return Array(try! k.signature(for: SHA256.hash(data: message)).derRepresentation)
        case (.p256(let k), .ecdsaSHA1):
            return Array(try! k.signature(for: Insecure.SHA1.hash(data: message)).derRepresentation)
        case (.p256(let k), .ecdsaSHA384):
            return Array(try! k.signature(for: SHA384.hash(data: message)).derRepresentation)
        case (.rsa(let k), .rsaPKCS1SHA256):
            return Array(
                try! k.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
            )
        case (.rsa(let k), .rsaPKCS1SHA1):
            return Array(
                try! k.signature(for: Insecure.SHA1.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
            )
        case (.rsa(let k), .rsaPSSSHA256):
            return Array(try! k.signature(for: SHA256.hash(data: message), padding: .PSS).rawRepresentation)
        default:
            preconditionFailure("ForgeKey: \(algorithm) does not fit this key")
        }
    }
}

/// Signature algorithms the forge can write, with their AlgorithmIdentifier DER.
public enum ForgeSignatureAlgorithm: Sendable {
    case ecdsaSHA1, ecdsaSHA256, ecdsaSHA384
    case rsaPKCS1SHA1, rsaPKCS1SHA256, rsaPSSSHA256
    /// md5WithRSAEncryption's identifier (the signature bytes are whatever the caller supplies).
    case md5WithRSA

    public var algorithmIdentifier: [UInt8] {
        typealias W = DERWriter
        switch self {
        case .ecdsaSHA1: return W.sequence(W.oid([1, 2, 840, 10045, 4, 1]))
        case .ecdsaSHA256: return W.sequence(W.oid([1, 2, 840, 10045, 4, 3, 2]))
        case .ecdsaSHA384: return W.sequence(W.oid([1, 2, 840, 10045, 4, 3, 3]))
        case .rsaPKCS1SHA1: return W.sequence(W.oid([1, 2, 840, 113549, 1, 1, 5]), W.null)
        case .rsaPKCS1SHA256: return W.sequence(W.oid([1, 2, 840, 113549, 1, 1, 11]), W.null)
        case .md5WithRSA: return W.sequence(W.oid([1, 2, 840, 113549, 1, 1, 4]), W.null)
        case .rsaPSSSHA256:
            let sha256 = W.sequence(W.oid([2, 16, 840, 1, 101, 3, 4, 2, 1]), W.null)
            let mgf1 = W.sequence(W.oid([1, 2, 840, 113549, 1, 1, 8]), sha256)
            return W.sequence(
                W.oid([1, 2, 840, 113549, 1, 1, 10]),
                W.sequence(W.explicit(0, sha256), W.explicit(1, mgf1), W.explicit(2, W.integer(32)))
            )
        }
    }
}

extension ForgeKey {
    /// The private key's DER: PKCS#8 for P-256, PKCS#1 for RSA (OpenSSL's d2i_AutoPrivateKey reads both).
    public var privateKeyDER: [UInt8] {
        switch backing {
        case .p256(let k): return Array(k.derRepresentation)
        case .rsa(let k): return Array(k.derRepresentation)
        }
    }
}
