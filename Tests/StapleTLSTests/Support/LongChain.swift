import Foundation
import StapleForge
import StapleTestSupport

/// A chain of any length, forged for one test: a root, `length − 2` CAs each issued by the one
/// before, and a plain leaf for localhost / 127.0.0.1 (no OCSP URL, no TLS Feature: with no staple
/// the firefox policy accepts it without a fetch). All ECDSA P-256, valid 2026-01-01 → 2027-01-01
/// (T0 inside). The server's chain file holds the leaf and the CAs, not the root.
struct LongChain {
    let length: Int
    let identity: Fixtures.Identity
    let root: [UInt8]
    let directory: URL

    /// - Parameter leafPadding: bytes of a private, non-critical extension in the leaf (to make a
    ///   large Certificate message).
    init(length: Int, leafPadding: Int = 0) throws {
        precondition(length >= 2)
        self.length = length
        let notBefore: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
        let notAfter: Int64 = 1_798_761_600  // 2027-01-01T00:00:00Z
        let caExtensions = [ForgeExtension.basicConstraints(ca: true), ForgeExtension.keyUsage(ca: true)]
        var key = ForgeKey.p256()
        var name = CertificateForge.name("Long Chain Root", organization: "swift-must-staple tests")
        root = CertificateForge(
            serial: [0x01],
            issuerName: name,
            subjectName: name,
            notBefore: notBefore,
            notAfter: notAfter,
            subjectKey: key,
            extensions: caExtensions,
            signatureAlgorithm: .ecdsaSHA256
        ).signed(by: key)
        var issued: [[UInt8]] = []  // CAs, the root's child first
        for i in 1..<(length - 1) {
            let subjectKey = ForgeKey.p256()
            let subjectName = CertificateForge.name("Long Chain CA \(i)", organization: "swift-must-staple tests")
            issued.append(
                CertificateForge(
                    serial: [0x02, UInt8(i & 0xFF), UInt8(i >> 8)],
                    issuerName: name,
                    subjectName: subjectName,
                    notBefore: notBefore,
                    notAfter: notAfter,
                    subjectKey: subjectKey,
                    extensions: caExtensions,
                    signatureAlgorithm: .ecdsaSHA256
                ).signed(by: key)
            )
            key = subjectKey
            name = subjectName
        }
        let leafKey = ForgeKey.p256()
        let leaf = CertificateForge(
            serial: [0x10, 0x01],
            issuerName: name,
            subjectName: CertificateForge.name("localhost"),
            notBefore: notBefore,
            notAfter: notAfter,
            subjectKey: leafKey,
            extensions: [
                ForgeExtension.basicConstraints(ca: false), ForgeExtension.keyUsage(ca: false),
                ForgeExtension.extendedKeyUsage([ForgeExtension.serverAuth]),
                ForgeExtension.subjectAltName(dns: ["localhost"], ips: [[127, 0, 0, 1]]),
            ]
                + (leafPadding > 0
                    ? [
                        ForgeExtension.raw(
                            oid: [1, 3, 6, 1, 4, 1, 55555, 7],
                            value: [UInt8](repeating: 0x50, count: leafPadding)
                        )
                    ] : []),
            signatureAlgorithm: .ecdsaSHA256
        ).signed(by: key)

        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "long-chain-\(length)-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let chainFile = directory.appendingPathComponent("chain.pem")
        let keyFile = directory.appendingPathComponent("key.pem")
        let leafFile = directory.appendingPathComponent("leaf.pem")
        try ([leaf] + issued.reversed()).map { PEM.encode($0) }.joined().write(
            to: chainFile,
            atomically: true,
            encoding: .utf8
        )
        try PEM.encode(leaf).write(to: leafFile, atomically: true, encoding: .utf8)
        guard case .p256(let privateKey) = leafKey.backing else { fatalError("P-256 expected") }
        try privateKey.pemRepresentation.write(to: keyFile, atomically: true, encoding: .utf8)
        identity = Fixtures.Identity(
            leaf: leafFile.path,
            issuer: chainFile.path,
            chain: chainFile.path,
            key: keyFile.path
        )
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

}
