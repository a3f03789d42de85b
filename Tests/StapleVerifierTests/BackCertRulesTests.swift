import StapleForge
import Testing
@testable import StapleVerifier

/// An embedded responder certificate that mozpkix's `BackCert::Init` refuses ends the
/// verification with that error, even when it is properly signed (firefox-policy §3.3, §3.5).
@Suite struct BackCertRulesTests {
    let pki = Fixture.ecdsa
    let leaf = Fixture.plainLeaf(.ecdsa)
    let t0 = Fixture.t0, day = Fixture.day

    /// A delegated responder's response, its certificate carrying `extensions` besides the usual.
    func delegated(extraExtensions: [[UInt8]]) throws -> VerificationError.Code? {
        let responderKey = ForgeKey.p256()
        let responder = CertificateForge(
            serial: [0x7E, 0x01],
            issuerName: pki.intermediateName,
            subjectName: CertificateForge.name("Responder with extras"),
            notBefore: pki.notBefore,
            notAfter: pki.notAfter,
            subjectKey: responderKey,
            extensions: [
                ForgeExtension.basicConstraints(ca: false),
                ForgeExtension.extendedKeyUsage([[1, 3, 6, 1, 5, 5, 7, 3, 9]]),
            ] + extraExtensions,
            signatureAlgorithm: pki.intermediateKey.defaultAlgorithm
        ).signed(by: pki.intermediateKey)
        var f = Fixture.good(pki, leaf)
        f.responder = try ResponseForge.byKey(responder)
        f.certificates = [responder]
        f.signer = responderKey
        f.signatureAlgorithm = responderKey.defaultAlgorithm
        return try verifyResponse(pki, leaf: leaf, f.der()).error?.code
    }

    @Test("a well-formed delegated responder signs")
    func wellFormed() throws {
        #expect(try delegated(extraExtensions: []) == nil)
    }

    @Test("an unknown critical extension, an empty or a repeated understood one")
    func refused() throws {
        #expect(
            try delegated(extraExtensions: [
                ForgeExtension.raw(oid: [1, 2, 3, 4], critical: true, value: DERWriter.null)
            ])
                == .unknownCriticalExtension
        )
        #expect(
            try delegated(extraExtensions: [ForgeExtension.raw(oid: [2, 5, 29, 15], value: [])])
                == .extensionValueInvalid
        )
        #expect(
            try delegated(extraExtensions: [ForgeExtension.extendedKeyUsage([[1, 3, 6, 1, 5, 5, 7, 3, 9]])])
                == .extensionValueInvalid
        )
    }

    @Test("tolerated: a non-critical unknown extension, an empty critical ocsp-nocheck")
    func tolerated() throws {
        #expect(try delegated(extraExtensions: [ForgeExtension.raw(oid: [1, 2, 3, 4], value: DERWriter.null)]) == nil)
        #expect(
            try delegated(extraExtensions: [
                ForgeExtension.raw(oid: [1, 3, 6, 1, 5, 5, 7, 48, 1, 5], critical: true, value: [])
            ])
                == nil
        )
    }
}
