import Foundation
import StapleForge
import StapleTestSupport
import Testing

/// `staple verify` with a chain whose root is signed with md5WithRSA: the root's own signature is
/// never verified, so the chain is usable and the verdict is the staple's.
@Suite struct UncheckedRootCLITests {
    @Test("an md5WithRSA root: accepted with a Good staple, exit 0")
    func md5Root() async throws {
        let pki = ForgePKI(keyType: .rsa, notBefore: 1_767_225_600, notAfter: 1_798_761_600, label: "MD5")
        let root = CertificateForge(
            serial: [0x01],
            issuerName: pki.rootName,
            subjectName: pki.rootName,
            notBefore: pki.notBefore,
            notAfter: pki.notAfter,
            subjectKey: pki.rootKey,
            extensions: [ForgeExtension.basicConstraints(ca: true), ForgeExtension.keyUsage(ca: true)],
            signatureAlgorithm: .md5WithRSA
        ).withSignature(Array(repeating: 0x5A, count: 256))
        let leaf = pki.leaf()
        let staple = pki.response(for: leaf, thisUpdate: Files.t0 - 3600, nextUpdate: Files.t0 + 3 * 86_400).der()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("staple-md5-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let chain = dir.appendingPathComponent("chain.pem")
        let stapleFile = dir.appendingPathComponent("staple.der")
        try Data((PEM.encode(leaf) + PEM.encode(pki.intermediate) + PEM.encode(root)).utf8).write(to: chain)
        try Data(staple).write(to: stapleFile)
        let r = try await StapleCLI.run([
            "verify", "--at", Files.at, "--chain", chain.path, "--staple", stapleFile.path,
        ])
        #expect(r.exitCode == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("verdict:     ACCEPTED"))
    }
}
