import StapleForge
import StapleTestSupport
import Testing
@testable import StapleVerifier

/// Badly encoded fields that mozpkix reports with a specific error rather than as a malformed
/// response: the error is the one Firefox gives, and the one mozilla::pkix's own
/// `VerifyEncodedOCSPResponse` returns in `make differential`. (responseStatus: `badEnumerated` in
/// ResponseVerificationTests.)
@Suite struct EncodingErrorNameTests {
    typealias W = DERWriter
    let pki = Fixture.ecdsa
    let leaf = Fixture.plainLeaf(.ecdsa)

    /// A good response for `leaf` whose BasicOCSPResponse carries `signature` in place of the
    /// signature BIT STRING.
    func response(signature: [UInt8]) -> [UInt8] {
        let f = Fixture.good(pki, leaf)
        let basic = W.tlv(0x30, f.tbsResponseData + f.signatureAlgorithm.algorithmIdentifier + signature)
        let bytes = W.sequence(W.oid([1, 3, 6, 1, 5, 5, 7, 48, 1, 1]), W.octetString(basic))
        return W.sequence(W.enumerated(0), W.explicit(0, bytes))
    }

    @Test("a signature that is not a BIT STRING is OCSP_BAD_SIGNATURE (firefox-policy §3.3)")
    func signatureNotABitString() throws {
        let f = Fixture.good(pki, leaf)
        let real = f.signer.sign(f.tbsResponseData, algorithm: f.signatureAlgorithm)
        for (label, signature) in [
            ("an OCTET STRING", W.octetString(real)),
            ("absent", []),
            ("a BIT STRING with unused bits", W.tlv(0x03, [0x01] + real)),
        ] {
            let outcome = try verifyResponse(pki, leaf: leaf, response(signature: signature))
            #expect(
                outcome.error?.code == .ocspBadSignature,
                "signature \(label): \(String(describing: outcome.error))"
            )
        }
        // The same response with its BIT STRING verifies.
        #expect(try verifyResponse(pki, leaf: leaf, response(signature: W.bitString(real))).error == nil)
    }

    @Test("ResponseData.version badly encoded is INVALID_INTEGER_ENCODING; v2 is malformed (firefox-policy §3.4)")
    func versionEncoding() throws {
        let name = try CertificateFields(pki.intermediate).subjectName
        func outcome(_ version: [UInt8]) throws -> VerificationError.Code? {
            var f = Fixture.good(pki, leaf)
            f.responder = .raw(W.explicit(0, version) + W.explicit(1, name))
            return try verifyResponse(pki, leaf: leaf, f.der()).error?.code
        }
        #expect(try outcome(W.integer([0x00, 0x00])) == .invalidIntegerEncoding)
        #expect(try outcome(W.integer([UInt8]())) == .invalidIntegerEncoding)
        #expect(try outcome(W.integer([0x80])) == .invalidIntegerEncoding)
        #expect(try outcome(W.integer(1)) == .ocspMalformedResponse)
        #expect(try outcome(W.integer(0)) == nil, "an explicit v1 is accepted")
    }

    @Test(
        "byName holding something other than a Name matches no signer: OCSP_INVALID_SIGNING_CERT (firefox-policy §3.5)"
    )
    func byNameNotAName() throws {
        var f = Fixture.good(pki, leaf)
        f.responder = .raw(W.explicit(1, W.octetString([0x01, 0x02, 0x03])))
        #expect(try verifyResponse(pki, leaf: leaf, f.der()).error?.code == .ocspInvalidSigningCert)
        // A primitive [1] is no ResponderID at all.
        f.responder = .raw(W.tlv(0x81, [0x01]))
        #expect(try verifyResponse(pki, leaf: leaf, f.der()).error?.code == .ocspMalformedResponse)
    }

    @Test("a chain certificate with the TLS Feature extension twice is EXTENSION_VALUE_INVALID (firefox-policy §1.1)")
    func duplicateTLSFeature() async throws {
        let twice = pki.leaf(
            serial: [0x10, 0x77],
            extraExtensions: [Fixture.mustStapleExtension, Fixture.mustStapleExtension]
        )
        let error = #expect(throws: VerificationError.self) { try ParsedCertificate(der: twice) }
        #expect(error?.code == .extensionValueInvalid)
        // An unknown extension twice is still swift-certificates' refusal.
        let unknown = ForgeExtension.raw(oid: [1, 2, 3, 4], critical: false, value: DERWriter.null)
        let other = pki.leaf(serial: [0x10, 0x78], extraExtensions: [unknown, unknown])
        let refused = #expect(throws: VerificationError.self) { try ParsedCertificate(der: other) }
        #expect(refused?.code == .badDER)
    }
}
