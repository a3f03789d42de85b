import Foundation
@testable import StapleVerifier
import StapleForge

/// The keys and certificates every input is built from, made once per process. The intermediate
/// carries the *name* of TestVectors' intermediate and the leaf the serial of its must-staple
/// leaf, so that a corpus staple's CertIDs and byName responder IDs refer to this PKI once its key
/// hashes are swapped (`CorpusSeeds`).
struct FuzzPKI {
    let keyType: ForgePKI.KeyType
    let rootKey: ForgeKey
    let intermediateKey: ForgeKey
    let delegateKey: ForgeKey
    let unrelatedKey: ForgeKey
    let root: [UInt8]
    let intermediate: [UInt8]
    let leaf: [UInt8]
    let otherLeaf: [UInt8]
    let parsedLeaf: ParsedCertificate
    let parsedIntermediate: ParsedCertificate
    /// Embedded-certificate candidates: index 0 is the well-formed delegated responder.
    let certificates: [(name: String, der: [UInt8])]
    let rootName: [UInt8]
    let intermediateName: [UInt8]
    let delegateName: [UInt8]
    /// TestVectors' intermediate public key bits, for `CorpusSeeds`.
    let corpusIntermediateKeyBits: [UInt8]
    let intermediateKeyBits: [UInt8]

    static let t0: Int64 = 1_780_315_200  // 2026-06-01T12:00:00Z, the corpus's usual time
    static let day: Int64 = 86_400

    init(_ keyType: ForgePKI.KeyType, testVectors: String) {
        self.keyType = keyType
        func key() -> ForgeKey { keyType == .ecdsa ? .p256() : .rsa(bits: 2048) }
        func pem(_ path: String) -> [[UInt8]] {
            guard
                let text = try? String(
                    contentsOfFile: testVectors + "/pki/\(keyType.rawValue)/" + path,
                    encoding: .utf8
                )
            else { fatalError("cannot read TestVectors/pki/\(keyType.rawValue)/\(path) (set FUZZ_TESTVECTORS)") }
            return text.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst().map { part in
                let body = part.components(separatedBy: "-----END CERTIFICATE-----")[0]
                    .split(whereSeparator: \.isNewline).joined()
                return Array(Data(base64Encoded: body)!)
            }
        }
        let corpusIntermediate = try! CertificateFields(pem("int.pem")[0])
        let corpusLeaf = try! CertificateFields(pem("ee-must-staple.pem")[0])
        corpusIntermediateKeyBits = corpusIntermediate.publicKeyBits

        rootKey = key()
        intermediateKey = key()
        delegateKey = .p256()
        unrelatedKey = key()
        let t0 = Self.t0
        let day = Self.day
        rootName = CertificateForge.name("Fuzz Root \(keyType.rawValue)", organization: "swift-must-staple")
        intermediateName = corpusIntermediate.subjectName
        delegateName = CertificateForge.name("Fuzz OCSP Responder", organization: "swift-must-staple")
        func cert(
            serial: [UInt8],
            issuer: [UInt8],
            subject: [UInt8],
            key subjectKey: ForgeKey,
            signer: ForgeKey,
            from: Int64 = t0 - 400 * day,
            to: Int64 = t0 + 400 * day,
            extensions: [[UInt8]],
            algorithm: ForgeSignatureAlgorithm? = nil
        ) -> [UInt8] {
            CertificateForge(
                serial: serial,
                issuerName: issuer,
                subjectName: subject,
                notBefore: from,
                notAfter: to,
                subjectKey: subjectKey,
                extensions: extensions,
                signatureAlgorithm: algorithm ?? signer.defaultAlgorithm
            ).signed(by: signer)
        }
        let ca = [ForgeExtension.basicConstraints(ca: true), ForgeExtension.keyUsage(ca: true)]
        root = cert(serial: [0x01], issuer: rootName, subject: rootName, key: rootKey, signer: rootKey, extensions: ca)
        intermediate = cert(
            serial: [0x02],
            issuer: rootName,
            subject: intermediateName,
            key: intermediateKey,
            signer: rootKey,
            extensions: ca
        )
        let ee = [
            ForgeExtension.basicConstraints(ca: false), ForgeExtension.keyUsage(ca: false),
            ForgeExtension.extendedKeyUsage([ForgeExtension.serverAuth]),
            ForgeExtension.ocspURL("http://127.0.0.1:8888/"), ForgeExtension.tlsFeature([5]),
        ]
        let leafKey = key()
        leaf = cert(
            serial: corpusLeaf.serial,
            issuer: intermediateName,
            subject: CertificateForge.name("localhost"),
            key: leafKey,
            signer: intermediateKey,
            extensions: ee
        )
        otherLeaf = cert(
            serial: corpusLeaf.serial + [0x01],
            issuer: intermediateName,
            subject: CertificateForge.name("other"),
            key: leafKey,
            signer: intermediateKey,
            extensions: ee
        )
        parsedLeaf = try! ParsedCertificate(der: leaf)
        parsedIntermediate = try! ParsedCertificate(der: intermediate)
        intermediateKeyBits = try! CertificateFields(intermediate).publicKeyBits

        // Nested functions cannot capture `self` before every property is set: locals instead.
        let (iName, iKey, dName, dKey, rName, rKey, uKey) = (
            intermediateName, intermediateKey, delegateName, delegateKey, rootName, rootKey, unrelatedKey
        )
        let signing = ForgeExtension.extendedKeyUsage([ForgeExtension.ocspSigning])
        let notCA = ForgeExtension.basicConstraints(ca: false)
        func delegate(
            _ extensions: [[UInt8]],
            issuer: [UInt8]? = nil,
            signer: ForgeKey? = nil,
            from: Int64 = t0 - 30 * day,
            to: Int64 = t0 + 30 * day,
            algorithm: ForgeSignatureAlgorithm? = nil
        ) -> [UInt8] {
            cert(
                serial: [0x20, 0x01],
                issuer: issuer ?? iName,
                subject: dName,
                key: dKey,
                signer: signer ?? iKey,
                from: from,
                to: to,
                extensions: extensions,
                algorithm: algorithm
            )
        }
        let sha1: ForgeSignatureAlgorithm = keyType == .ecdsa ? .ecdsaSHA1 : .rsaPKCS1SHA1
        certificates = [
            ("delegate", delegate([notCA, signing])),
            ("delegate without EKU", delegate([notCA])),
            (
                "delegate with serverAuth only",
                delegate([notCA, ForgeExtension.extendedKeyUsage([ForgeExtension.serverAuth])])
            ),
            (
                "delegate with anyEKU and OCSP signing",
                delegate([notCA, ForgeExtension.extendedKeyUsage([[2, 5, 29, 37, 0], ForgeExtension.ocspSigning])])
            ),
            ("delegate expired", delegate([notCA, signing], from: t0 - 30 * day, to: t0 - 1)),
            ("delegate not yet valid", delegate([notCA, signing], from: t0 + 1, to: t0 + 30 * day)),
            ("delegate that is a CA", delegate([ForgeExtension.basicConstraints(ca: true), signing])),
            ("delegate issued by the root", delegate([notCA, signing], issuer: rName, signer: rKey)),
            ("delegate with a bad signature", delegate([notCA, signing], signer: uKey)),
            ("delegate signed with SHA-1", delegate([notCA, signing], algorithm: sha1)),
            (
                "delegate with ocsp-nocheck",
                delegate([
                    notCA, signing, ForgeExtension.raw(oid: [1, 3, 6, 1, 5, 5, 7, 48, 1, 5], value: [0x05, 0x00]),
                ])
            ),
            (
                "delegate with an unknown critical extension",
                delegate([notCA, signing, ForgeExtension.raw(oid: [1, 2, 3, 4], critical: true, value: [0x05, 0x00])])
            ),
            ("the intermediate", intermediate),
            ("the root", root),
            ("the leaf", leaf),
            ("an empty SEQUENCE", [0x30, 0x00]),
        ]
    }
}
