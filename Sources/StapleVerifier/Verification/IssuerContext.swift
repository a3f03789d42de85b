import Crypto
import Synchronization

/// What every verification of a response about one end-entity needs from the pair (end-entity,
/// issuer), worked out at most once per ``PreparedChain`` instead of once per staple: the issuer's
/// key object (for swift-crypto; RSA keys also keep their Montgomery set-up inside), the SHA-1 of its
/// key (a byKey ResponderID), the CertID hashes per algorithm, the end-entity's OCSP location, and
/// the OCSP cache key. Each value is computed on first use — the values are functions of the
/// certificates' bytes alone, so a verification sees exactly what computing it afresh would give.
final class IssuerContext: Sendable {
    let endEntity: ParsedCertificate
    let issuer: ParsedCertificate

    private let key = Once<Result<SignatureCheck.Key, SignatureCheck.KeyError>>()
    private let keySHA1Value = Once<[UInt8]>()
    private let certIDHashes = Mutex<[CertIDHash: CertIDHashes]>([:])
    private let location = Once<Result<String?, VerificationError>>()
    private let cacheKeyValue = Once<[UInt8]>()

    /// issuerNameHash and issuerKeyHash of a CertID for this end-entity, with one algorithm.
    struct CertIDHashes: Sendable {
        let name: [UInt8]
        let key: [UInt8]
    }

    init(endEntity: ParsedCertificate, issuer: ParsedCertificate) {
        self.endEntity = endEntity
        self.issuer = issuer
    }

    /// The issuer's key, without the policy's RSA size rule (applied at each use).
    var issuerKey: Result<SignatureCheck.Key, SignatureCheck.KeyError> {
        key.get { SignatureCheck.parseKey(spki: issuer.spkiDER) }
    }

    /// SHA-1 of the issuer's subjectPublicKey bits (RFC 6960 §4.2.1 byKey).
    var issuerKeySHA1: [UInt8] { keySHA1Value.get { issuer.keySHA1 } }

    /// The hashes a CertID about the end-entity must carry for `hash` (RFC 6960 §4.1.1).
    func certIDHashes(_ hash: CertIDHash) -> CertIDHashes {
        if let known = certIDHashes.withLock({ $0[hash] }) { return known }
        let made = CertIDHashes(name: digest(hash, endEntity.issuerDER), key: digest(hash, issuer.publicKeyBits))
        certIDHashes.withLock { $0[hash] = made }
        return made
    }

    /// ``RevocationChecker/ocspLocation(of:)`` of the end-entity.
    var ocspLocation: Result<String?, VerificationError> {
        location.get {
            Result { () throws(VerificationError) in try RevocationChecker.ocspLocation(of: endEntity) }
        }
    }

    /// ``OCSPCache/key(issuerNameDER:issuerSPKIDER:serial:)`` of the end-entity.
    var ocspCacheKey: [UInt8] {
        cacheKeyValue.get { OCSPCache.key(issuerNameDER: endEntity.issuerDER, issuerSPKIDER: issuer.spkiDER, serial: endEntity.serial) }
    }
}

/// A value computed at most once (two racing threads may both compute it; both get an equal value).
final class Once<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func get(_ make: () -> Value) -> Value {
        if let known = value.withLock({ $0 }) { return known }
        let made = make()
        value.withLock { if $0 == nil { $0 = made } }
        return made
    }
}
