import StapleForge
import StapleTestSupport
import Testing
@testable import StapleVerifier

/// The last certificate of a chain — the trust anchor — is never verified by an issuer, as in
/// mozpkix, so its own signature algorithm does not matter: an old private root signed with
/// md5WithRSA (which swift-certificates does not read) anchors a chain like any other.
@Suite struct UncheckedSignatureTests {
    let pki = Fixture.rsa
    let t0 = Fixture.t0, day = Fixture.day

    /// The PKI's root, re-issued with md5WithRSA as its signature algorithm (same name and key, so
    /// the intermediate still links to it) and signature bytes nobody checks.
    var md5Root: [UInt8] {
        CertificateForge(
            serial: [0x01],
            issuerName: pki.rootName,
            subjectName: pki.rootName,
            notBefore: pki.notBefore,
            notAfter: pki.notAfter + 86_400 * 3650,
            subjectKey: pki.rootKey,
            extensions: [ForgeExtension.basicConstraints(ca: true), ForgeExtension.keyUsage(ca: true)],
            signatureAlgorithm: .md5WithRSA
        ).withSignature(Array(repeating: 0x5A, count: 256))
    }

    @Test("a root signed with md5WithRSA anchors a chain; the verdict is the staple's")
    func md5Root() async throws {
        let leaf = Fixture.plainLeaf(.rsa)
        let chain = [leaf, pki.intermediate, md5Root]
        let good = try await run(pki, leaf: leaf, staple: Fixture.good(pki, leaf).der(), chain: chain)
        #expect(good.accepted)
        let revoked = pki.response(for: leaf, status: .revoked(at: t0 - day), thisUpdate: t0 - 60, nextUpdate: t0 + day)
        let rejected = try await run(pki, leaf: leaf, staple: revoked.der(), chain: chain)
        #expect(rejected.error == "SEC_ERROR_REVOKED_CERTIFICATE")
    }

    @Test("a certificate whose signature is verified still has to be readable")
    func md5IntermediateIsRefused() async throws {
        let leaf = Fixture.plainLeaf(.rsa)
        // The md5 root in the middle: the intermediate's position is verified by the root after it.
        let chain = [leaf, pki.intermediate, md5Root, pki.root]
        await #expect(throws: StapleVerifierError.self) {
            _ = try await run(pki, leaf: leaf, staple: Fixture.good(pki, leaf).der(), chain: chain)
        }
    }
}
