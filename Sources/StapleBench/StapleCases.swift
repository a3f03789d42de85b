import Crypto
import _CryptoExtras
import Foundation
import StapleForge
import StapleVerifier

/// The inputs of the staple benchmarks for one key type: a root, an intermediate (the issuer), a
/// must-staple leaf, a delegated responder, and three Good staples for the leaf — all valid around
/// the real current time, because OpenSSL's `OCSP_basic_verify` and `OCSP_check_validity` read the
/// wall clock.
struct StapleFixture {
    enum Kind: String, CaseIterable {
        /// Signed by the issuer, no certificate embedded; responderID byKey.
        case direct
        /// Signed by the issuer with the issuer's certificate embedded; responderID byName
        /// (what `openssl ocsp` produces by default).
        case embedded
        /// Signed by a delegated responder (EKU id-kp-OCSPSigning, issued by the issuer), its
        /// certificate embedded; responderID byName.
        case delegated
    }

    let keyType: ForgePKI.KeyType
    let pki: ForgePKI
    let leaf: [UInt8]
    let responderKey: ForgeKey
    let responder: [UInt8]
    let staples: [Kind: [UInt8]]
    let time: Date

    init(_ keyType: ForgePKI.KeyType, now: Int64) {
        self.keyType = keyType
        let day: Int64 = 86_400
        pki = ForgePKI(keyType: keyType, notBefore: now - 30 * day, notAfter: now + 335 * day, label: "Bench")
        leaf = pki.leaf(serial: [0x10, 0x02], extraExtensions: [ForgeExtension.tlsFeature([5])])
        responderKey = keyType == .ecdsa ? .p256() : .rsa(bits: 2048)
        responder = pki.responder(key: responderKey)
        time = Date(timeIntervalSince1970: TimeInterval(now))
        let thisUpdate = now - 3600
        let nextUpdate = now + 3 * day

        let direct = pki.response(for: leaf, thisUpdate: thisUpdate, nextUpdate: nextUpdate)
        var embedded = direct
        embedded.responder = try! ResponseForge.byName(pki.intermediate)
        embedded.certificates = [pki.intermediate]
        var delegated = direct
        delegated.responder = try! ResponseForge.byName(responder)
        delegated.certificates = [responder]
        delegated.signer = responderKey
        staples = [.direct: direct.der(), .embedded: embedded.der(), .delegated: delegated.der()]
    }

    /// Leaf and issuer: what a TLS handshake hands the engine (OpenSSL's verified chain holds the
    /// root too; the engine needs the first two).
    var chain: [[UInt8]] { [leaf, pki.intermediate] }

    /// The public key that verifies a staple's signature: the issuer's, or the responder's.
    func signerKey(_ kind: Kind) -> ForgeKey { kind == .delegated ? responderKey : pki.intermediateKey }
}

/// (c), the floor: one signature verification of the staple's own signature with swift-crypto (what
/// the engine uses): decode the signature, hash tbsResponseData, verify with a key made beforehand.
struct RawSignatureCheck {
    let message: [UInt8]
    let signature: [UInt8]
    let verifyOnce: () -> Bool

    init(staple: [UInt8], key: ForgeKey) {
        let basic = try! OCSPResponse(derEncoded: staple).basic!
        let message = Array(basic.tbsResponseData)
        let signature = Array(basic.signature)
        self.message = message
        self.signature = signature
        switch key.backing {
        case .p256(let k):
            let publicKey = k.publicKey
            verifyOnce = {
                guard let s = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
                return publicKey.isValidSignature(s, for: SHA256.hash(data: message))
            }
        case .rsa(let k):
            let publicKey = k.publicKey
            verifyOnce = {
                let s = _RSA.Signing.RSASignature(rawRepresentation: signature)
                return publicKey.isValidSignature(s, for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
            }
        }
    }
}

/// Distinct copies of the same bytes, handed out in turn, so that no comparison can take the
/// "same buffer" shortcut a real handshake (fresh bytes off the wire) would never get.
struct Copies {
    private let copies: [[UInt8]]
    private var next = 0
    init(_ bytes: [UInt8], count: Int = 64) {
        copies = (0..<count).map { _ in bytes.map { $0 } }
    }
    mutating func take() -> [UInt8] {
        next = (next + 1) % copies.count
        return copies[next]
    }
}

extension StapleEngine.Evaluation {
    var isAccepted: Bool {
        if case .decided(let verdict) = self { return verdict.isAccepted }
        return false
    }
    var reusedFromCache: Bool {
        if case .decided(let verdict) = self { return verdict.trace.last?.stage == .cache }
        return false
    }
}
