import StapleForge
import Testing
@testable import StapleVerifier

/// firefox-policy §1 and the gtest table firefox-policy §8.12 (pkixcheck_TLSFeaturesSatisfiedInternal_tests).
@Suite struct TLSFeatureTests {
    typealias W = DERWriter

    /// A row of firefox-policy §8.12: the extension value, the result with a staple and without.
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let value: [UInt8]
        let withStaple: String?
        let withoutStaple: String?

        init(_ name: String, _ value: [UInt8], _ withStaple: String?, _ withoutStaple: String?) {
            self.name = name
            self.value = value
            self.withStaple = withStaple
            self.withoutStaple = withoutStaple
        }

        var testDescription: String { name }
    }

    static let table: [Row] = [
        Row("empty", [], "SEC_ERROR_BAD_DER", "SEC_ERROR_BAD_DER"),
        Row("SEQ{}", W.sequence(), "SEC_ERROR_BAD_DER", "SEC_ERROR_BAD_DER"),
        Row("SEQ{5}", W.sequence(W.integer(5)), nil, "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"),
        Row(
            "SEQ{6}",
            W.sequence(W.integer(6)),
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        ),
        Row(
            "SEQ{5,6}",
            W.sequence(W.integer(5), W.integer(6)),
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        ),
        Row("SEQ{5,5}", W.sequence(W.integer(5), W.integer(5)), nil, "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"),
        Row(
            "SEQ{17}",
            W.sequence(W.integer(17)),
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        ),
        Row(
            "SEQ{INTEGER 05 05}",
            W.sequence(W.integer([0x05, 0x05])),
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        ),
        Row(
            "SEQ{INTEGER zero bytes}",
            W.sequence(W.integer([UInt8]())),
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        ),
        Row("OCTET STRING instead of SEQUENCE", W.octetString([5]), "SEC_ERROR_BAD_DER", "SEC_ERROR_BAD_DER"),
        Row("SEQ{BOOLEAN}", W.sequence(W.boolean(true)), "SEC_ERROR_BAD_DER", "SEC_ERROR_BAD_DER"),
        // Read in order, as NestedOf does: an element refused before a DER fault is the answer.
        Row(
            "SEQ{5} + trailing byte",
            W.sequence(W.integer(5)) + [0x00],
            "SEC_ERROR_BAD_DER",
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        ),
        Row(
            "SEQ{5, BOOLEAN}",
            W.sequence(W.integer(5), W.boolean(true)),
            "SEC_ERROR_BAD_DER",
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        ),
        Row(
            "SEQ{17, BOOLEAN}",
            W.sequence(W.integer(17), W.boolean(true)),
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        ),
        Row(
            "SEQ{5, INTEGER with a non-minimal length}",
            [0x30, 0x07, 0x02, 0x01, 0x05, 0x02, 0x81, 0x01, 0x05],
            "SEC_ERROR_BAD_DER",
            "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        ),
    ]

    static func satisfied(_ value: [UInt8], staple: Bool) -> String? {
        do {
            try TLSFeatureRules.checkSatisfied(TLSFeatures.read(value[...]), staplePresent: staple)
            return nil
        } catch {
            return error.code.name
        }
    }

    @Test("firefox-policy §8.12 TLSFeaturesSatisfiedInternal", arguments: table)
    func gtestTable(_ row: Row) {
        #expect(Self.satisfied(row.value, staple: true) == row.withStaple, "\(row.name) with a staple")
        #expect(Self.satisfied(row.value, staple: false) == row.withoutStaple, "\(row.name) without a staple")
    }

    @Test func featureNumbersAndMustStaple() throws {
        let f = try TLSFeatures(extensionValue: W.sequence(W.integer(5), W.integer(17))[...])
        #expect(f.features == [5, 17])
        #expect(f.requiresStatusRequest)
        let g = try TLSFeatures(extensionValue: W.sequence(W.integer(6))[...])
        #expect(!g.requiresStatusRequest)
    }

    // MARK: firefox-policy §1.3–§1.4 through the whole engine (firefox-policy §8.3)

    @Test(
        "must-staple with a Good staple is accepted, without one rejected after the fetch",
        arguments: ForgePKI.KeyType.allCases
    )
    func mustStaple(_ type: ForgePKI.KeyType) async throws {
        let pki = Fixture.pki(type)
        let leaf = Fixture.mustStapleLeaf(type)
        let good = try await run(pki, leaf: leaf, staple: Fixture.good(pki, leaf).der())
        #expect(good.accepted)
        #expect(good.verdict.mustStaple.applied)
        #expect(good.requests == 0)
        let missing = try await run(pki, leaf: leaf, staple: nil)
        #expect(missing.error == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING")
        #expect(missing.requests == 1, "Firefox allows the fetch before the TLS Feature check (firefox-policy §8.3)")
        // Stapling off, or must-staple off: not enforced (firefox-policy §1.4, §8.3 last rows).
        #expect(try await run(pki, leaf: leaf, staple: nil, policy: .firefox.with("stapling=false")).accepted)
        #expect(try await run(pki, leaf: leaf, staple: nil, policy: .firefox.with("mustStaple=false")).accepted)
    }

    @Test("must-staple with a revoked staple reports the revocation (revocation runs first, firefox-policy §1.4)")
    func mustStapleRevoked() async throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.mustStapleLeaf(.ecdsa)
        let r = try await run(
            pki,
            leaf: leaf,
            staple: pki.response(
                for: leaf,
                status: .revoked(at: Fixture.t0 - Fixture.day),
                thisUpdate: Fixture.t0 - 60,
                nextUpdate: Fixture.t0 + Fixture.day
            ).der()
        )
        #expect(r.error == "SEC_ERROR_REVOKED_CERTIFICATE")
    }

    @Test("must-staple with an empty staple: malformed, not missing (firefox-policy §8.3 must-staple-empty)")
    func mustStapleEmpty() async throws {
        let r = try await run(Fixture.ecdsa, leaf: Fixture.mustStapleLeaf(.ecdsa), staple: [])
        #expect(r.error == "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
        #expect(r.requests == 0)
    }

    @Test("a leaf requiring feature 6 is unusable even with a Good staple")
    func unsupportedFeature() async throws {
        let pki = Fixture.ecdsa
        let leaf = pki.leaf(serial: [0x31], extraExtensions: [ForgeExtension.tlsFeature([6])])
        let r = try await run(pki, leaf: leaf, staple: Fixture.good(pki, leaf).der())
        #expect(r.error == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING")
    }

    @Test("a critical TLS Feature is treated like a non-critical one (firefox-policy §1.1)")
    func criticalFeature() async throws {
        let pki = Fixture.ecdsa
        let leaf = pki.leaf(serial: [0x32], extraExtensions: [ForgeExtension.tlsFeature([5], critical: true)])
        #expect(try await run(pki, leaf: leaf, staple: Fixture.good(pki, leaf).der()).accepted)
        #expect(try await run(pki, leaf: leaf, staple: nil).error == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING")
    }

    @Test("an empty TLS Feature value makes the certificate unusable (firefox-policy §1.1)")
    func emptyValue() async throws {
        let pki = Fixture.ecdsa
        let leaf = pki.leaf(serial: [0x33], extraExtensions: [ForgeExtension.tlsFeature(rawValue: [])])
        let r = try await run(pki, leaf: leaf, staple: Fixture.good(pki, leaf).der())
        #expect(r.error == "SEC_ERROR_EXTENSION_VALUE_INVALID")
    }

    // MARK: firefox-policy §1.2 chain rule

    static let mustStapleIntermediate = ForgePKI(
        keyType: .ecdsa,
        notBefore: Fixture.notBefore,
        notAfter: Fixture.notAfter,
        label: "MustStaple",
        intermediateExtensions: [ForgeExtension.tlsFeature([5])]
    )
    static let multiFeatureIntermediate = ForgePKI(
        keyType: .ecdsa,
        notBefore: Fixture.notBefore,
        notAfter: Fixture.notAfter,
        label: "Multi",
        intermediateExtensions: [ForgeExtension.tlsFeature([5, 17])]
    )

    @Test(
        "firefox-policy §8.3: a plain EE under a must-staple intermediate fails the chain rule, even with stapling off"
    )
    func inheritance() async throws {
        let pki = Self.mustStapleIntermediate
        let good = pki.leaf(extraExtensions: [ForgeExtension.tlsFeature([5])])
        #expect(try await run(pki, leaf: good, staple: Fixture.good(pki, good).der()).accepted)
        let plain = pki.leaf(serial: [0x41])
        let r = try await run(pki, leaf: plain, staple: Fixture.good(pki, plain).der())
        #expect(r.error == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING")
        #expect(r.requests == 0)
        #expect(
            try await run(pki, leaf: plain, staple: nil, policy: .firefox.with("stapling=false")).error
                == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        )
    }

    @Test(
        "firefox-policy §8.3 multi-tls-feature-good / -bad (stapling off): bytes must match, values are not interpreted"
    )
    func multiFeature() async throws {
        let pki = Self.multiFeatureIntermediate
        let off = RevocationPolicy.firefox.with("stapling=false")
        let copy = pki.leaf(extraExtensions: [ForgeExtension.tlsFeature([5, 17])])
        #expect(try await run(pki, leaf: copy, staple: nil, policy: off).accepted)
        let different = pki.leaf(serial: [0x42], extraExtensions: [ForgeExtension.tlsFeature([5])])
        #expect(
            try await run(pki, leaf: different, staple: nil, policy: off).error
                == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING"
        )
    }
}
