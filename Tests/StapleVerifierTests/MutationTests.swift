import StapleForge
import Testing
@testable import StapleVerifier

/// Truncation and single-bit flips over every parser entry point: never a
/// crash, always a precise error, never an acceptance of a damaged staple.
@Suite struct MutationTests {
    static let pki = Fixture.ecdsa
    static let leaf = Fixture.plainLeaf(.ecdsa)

    /// A Good staple with no embedded certificate, and one signed by a delegated responder.
    static let direct = Fixture.good(pki, leaf).der()
    static let delegated: [UInt8] = {
        var f = Fixture.good(pki, leaf)
        let cert = pki.responder(key: Fixture.responderKeyECDSA)
        f.responder = try! ResponseForge.byKey(cert)
        f.signer = Fixture.responderKeyECDSA
        f.certificates = [cert]
        return f.der()
    }()

    func outcome(_ bytes: [UInt8]) throws -> OCSPResponseVerifier.Outcome {
        try verifyResponse(Self.pki, leaf: Self.leaf, bytes)
    }

    static let staples = [Named("issuer-signed", direct), Named("delegated responder", delegated)]

    @Test("every truncation of a staple is rejected with a named error", arguments: staples)
    func truncations(_ staple: Named<[UInt8]>) throws {
        let staple = staple.value
        #expect(try outcome(staple).error == nil)
        for n in 0..<staple.count {
            let o = try outcome(Array(staple.prefix(n)))
            #expect(o.error != nil, "prefix of \(n) bytes accepted")
            #expect(o.error?.reason.isEmpty == false)
        }
    }

    @Test("every single-bit flip of a staple is rejected", arguments: staples)
    func bitFlips(_ staple: Named<[UInt8]>) throws {
        let staple = staple.value
        var accepted: [Int] = []
        var codes: Set<String> = []
        for i in 0..<staple.count * 8 {
            var m = staple
            m[i / 8] ^= UInt8(1 << (i % 8))
            let o = try outcome(m)
            if let e = o.error { codes.insert(e.code.name) } else { accepted.append(i) }
        }
        #expect(accepted.isEmpty, "bit flips accepted at bits \(accepted.prefix(10))")
        // The damage is named precisely, not lumped together.
        #expect(codes.isSuperset(of: ["SEC_ERROR_OCSP_MALFORMED_RESPONSE", "SEC_ERROR_OCSP_BAD_SIGNATURE"]))
    }

    @Test("garbage of every small length, and random bytes, never crash")
    func garbage() throws {
        var rng = SplitMix64(seed: 7)
        for length in [1, 2, 3, 5, 16, 100, 1000, 65_535, 65_536] {
            for _ in 0..<5 {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                #expect(try outcome(bytes).error != nil)
                #expect(try outcome([0x30] + DERWriter.length(length) + bytes).error != nil)
            }
        }
    }

    @Test("every truncation and bit flip of a TLS Feature value is an error or a definite answer")
    func tlsFeature() {
        let value = DERWriter.sequence(DERWriter.integer(5), DERWriter.integer(17))
        for n in 0..<value.count {
            #expect((try? TLSFeatures(extensionValue: value.prefix(n))) == nil, "prefix \(n)")
        }
        for i in 0..<value.count * 8 {
            var m = value
            m[i / 8] ^= UInt8(1 << (i % 8))
            // Either it fails to decode, or it decodes to a definite list of elements.
            if let f = try? TLSFeatures(extensionValue: m[...]) { #expect(!f.elements.isEmpty) }
        }
    }

    @Test(
        "every truncation of a certificate is refused by the chain reader",
        arguments: [Named("intermediate", pki.intermediate), Named("leaf", leaf)]
    )
    func certificateTruncations(_ certificate: Named<[UInt8]>) {
        let der = certificate.value
        for n in stride(from: 0, to: der.count, by: 7) {
            #expect(throws: VerificationError.self) { try ParsedCertificate(der: Array(der.prefix(n))) }
        }
    }

    @Test("bit flips in a chain certificate: unreadable, unlinked, or rejected — never accepted")
    func certificateFlips() async throws {
        let staple = Self.direct
        var accepted = 0
        for i in stride(from: 0, to: Self.leaf.count * 8, by: 3) {
            var m = Self.leaf
            m[i / 8] ^= UInt8(1 << (i % 8))
            if let v = try? await StapleEngine().verify(
                chainDER: [m, Self.pki.intermediate],
                staple: staple,
                at: Fixture.date
            ), v.isAccepted {
                accepted += 1
            }
        }
        #expect(accepted == 0)
    }
}

/// Found by the fuzzer (Fuzz/regressions): swift-crypto 3.12.3 double-freed when BoringSSL refused
/// an RSA public key, so a server could crash the verifier with one bad certificate. Fixed by
/// swift-crypto 4.5.2; these must fail closed, never crash.
@Suite struct RSAKeyRegressionTests {
    /// The RSA exponent 65537 (`02 03 01 00 01`) made even (65536), which BoringSSL refuses.
    static func evenExponent(_ der: [UInt8]) -> [UInt8] {
        var m = der
        let needle: [UInt8] = [0x02, 0x03, 0x01, 0x00, 0x01]
        let at = m.indices.first { i in i + needle.count <= m.count && Array(m[i..<i + needle.count]) == needle }!
        m[at + 4] = 0x00
        return m
    }

    @Test("a chain certificate with an RSA key BoringSSL refuses: unreadable, no crash")
    func chainCertificate() throws {
        let leaf = Self.evenExponent(Fixture.plainLeaf(.rsa))
        do {
            _ = try StapleEngine().evaluate(chainDER: [leaf, Fixture.rsa.intermediate], staple: nil, at: Fixture.date)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unreadableCertificate)
        }
    }

    @Test("an embedded signer with an RSA key BoringSSL refuses: invalid signing cert, no crash")
    func embeddedSigner() throws {
        let pki = Fixture.rsa
        let leaf = Fixture.plainLeaf(.rsa)
        let cert = Self.evenExponent(pki.responder(key: Fixture.responderKeyRSA, serial: [0x7E]))
        var f = Fixture.good(pki, leaf)
        f.responder = try ResponseForge.byName(cert)
        f.signer = Fixture.responderKeyRSA
        f.certificates = [cert]
        #expect(try verifyResponse(pki, leaf: leaf, f.der()).error?.code == .ocspInvalidSigningCert)
    }
}
