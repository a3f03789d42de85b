import Crypto
import Foundation
import SwiftASN1

/// What every verification of a response about one end-entity needs from the pair (end-entity,
/// issuer), worked out at most once per ``PreparedChain`` instead of once per staple: the issuer's
/// key object (for swift-crypto; RSA keys also keep their Montgomery set-up inside), the SHA-1 of its
/// key (a byKey ResponderID), the CertID hashes per algorithm, the end-entity's OCSP location, and
/// the OCSP cache key, and the delegated responders met so far (``DelegatedSigner``). Each value is computed on first use — the values are functions of the
/// certificates' bytes alone, so a verification sees exactly what computing it afresh would give.
final class IssuerContext: Sendable {
    let endEntity: ParsedCertificate
    let issuer: ParsedCertificate

    private let key = Once<Result<SignatureCheck.Key, SignatureCheck.KeyError>>()
    private let keySHA1Value = Once<[UInt8]>()
    private let certIDHashes = Locked<[CertIDHash: CertIDHashes]>([:])
    private let location = Once<Result<String?, VerificationError>>()
    private let cacheKeyValue = Once<[UInt8]>()
    fileprivate let signers = Locked<[DelegatedSigner]>([])

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
        cacheKeyValue.get {
            OCSPCache.key(issuerNameDER: endEntity.issuerDER, issuerSPKIDER: issuer.spkiDER, serial: endEntity.serial)
        }
    }
}

/// A value computed at most once (two racing threads may both compute it; both get an equal value).
final class Once<Value: Sendable>: Sendable {
    private let value = Locked<Value?>(nil)

    func get(_ make: () -> Value) -> Value {
        if let known = value.withLock({ $0 }) { return known }
        let made = make()
        value.withLock { if $0 == nil { $0 = made } }
        return made
    }
}

/// A delegated responder certificate met in a response about the context's end-entity
/// (RFC 6960 §4.2.2.2), with what only depends on its bytes and on the issuer: read once, then reused by the
/// responses it signs after that (a responder signs every response for days). The checks that
/// depend on the time or the policy (validity now, RSA size floor, SHA-1) are still made for every
/// response, in mozpkix's order (OCSPResponseVerifier.signerCertificateProblem).
final class DelegatedSigner: Sendable {
    let certificate: ParsedCertificate
    let isCA: Bool
    let extendedKeyUsage: [ASN1ObjectIdentifier]?
    /// The signer's key, without the policy's RSA size rule.
    let key: Result<SignatureCheck.Key, SignatureCheck.KeyError>
    private let keySHA1Value = Once<[UInt8]>()
    private let summary = Once<String>()
    private let issuerSignature = Once<Bool>()
    private let issuerKey: Result<SignatureCheck.Key, SignatureCheck.KeyError>

    init(_ certificate: ParsedCertificate, issuerKey: Result<SignatureCheck.Key, SignatureCheck.KeyError>) {
        self.certificate = certificate
        self.isCA = certificate.isCA
        self.extendedKeyUsage = certificate.extendedKeyUsage
        self.key = SignatureCheck.parseKey(spki: certificate.spkiDER)
        self.issuerKey = issuerKey
    }

    var keySHA1: [UInt8] { keySHA1Value.get { certificate.keySHA1 } }
    var subjectSummary: String { summary.get { certificate.subjectSummary } }

    /// Whether the issuer's key (any size) verifies this certificate's signature with `algorithm`,
    /// which is read from this certificate's own bytes (so one answer per certificate).
    func signedByIssuer(_ algorithm: SignatureAlgorithm) -> Bool {
        issuerSignature.get {
            SignatureCheck.verify(
                key: issuerKey,
                minRSABits: 0,
                algorithm: algorithm,
                signature: certificate.signature,
                message: certificate.tbs
            )
        }
    }
}

extension IssuerContext {
    /// Delegated signers kept per context. A response carries at most 8 certificates (mozpkix);
    /// a server's responder rarely changes. Past this many, new ones are read but not kept.
    static let maximumSigners = 8

    /// The embedded certificate `bytes` as a signer candidate, or the reason it cannot be read
    /// (unreadable certificates are not kept: they are read, and refused, every time).
    func signer(embedded bytes: ArraySlice<UInt8>) throws(VerificationError) -> DelegatedSigner {
        if let known = signers.withLock({ list in list.first { sameBytes($0.certificate.der, bytes) } }) {
            return known
        }
        let certificate = try ParsedCertificate(der: Array(bytes), requireX509: false)
        let made = DelegatedSigner(certificate, issuerKey: issuerKey)
        signers.withLock { list in
            if list.count < Self.maximumSigners, !list.contains(where: { sameBytes($0.certificate.der, bytes) }) {
                list.append(made)
            }
        }
        return made
    }
}

/// Byte equality of an array and a slice (memcmp).
func sameBytes(_ a: [UInt8], _ b: ArraySlice<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    guard !a.isEmpty else { return true }
    return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
}
