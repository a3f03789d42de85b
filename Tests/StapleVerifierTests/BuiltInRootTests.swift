import Foundation
import StapleForge
import StapleVectors
import Testing

@testable import StapleVerifier

/// Firefox's CRLite rule for chains that end in a built-in root (firefox-policy §2.5 (d), §5.6, §9 step 4):
/// with CRLite in Enforce mode and soft-fail fetching, no OCSP fetch is made there. The test PKI's root
/// is configured as built-in; the same chains with no built-in roots are fetched for.
@Suite struct BuiltInRootTests {
    let pki = Fixture.ecdsa
    let leaf = Fixture.plainLeaf(.ecdsa)
    var builtIn: BuiltInRoots { BuiltInRoots(certificates: [pki.root]) }
    var good: [UInt8] { Fixture.good(pki, leaf).der() }
    var tryLater: [UInt8] { ResponseForge.unsuccessful(3) }

    @Test(
        "§2.5 (d): no staple, a built-in root → accepted without a fetch, and the verdict says revocation was not checked"
    )
    func noStapleNoFetch() async throws {
        let r = try await run(pki, leaf: leaf, staple: nil, responder: [.response(good)], builtInRoots: builtIn)
        #expect(r.accepted)
        #expect(r.requests == 0)
        #expect(r.verdict.fetches.isEmpty)
        #expect(r.verdict.warnings.contains { $0.contains("revocation was not checked") })
        #expect(r.verdict.trace.contains { $0.detail.contains("§2.5 (d)") })
    }

    @Test("§2.5 (d): a root that is not built in → the fetch is made (a Revoked answer is then Firefox's error)")
    func otherRootIsFetched() async throws {
        let revoked = pki.response(
            for: leaf,
            status: .revoked(at: Fixture.t0 - Fixture.day),
            thisUpdate: Fixture.t0 - 60,
            nextUpdate: Fixture.t0 + Fixture.day
        ).der()
        let none = try await run(pki, leaf: leaf, staple: nil, responder: [.response(revoked)])
        #expect(none.requests == 1)
        #expect(none.error == "SEC_ERROR_REVOKED_CERTIFICATE")
        let other = try await run(
            pki,
            leaf: leaf,
            staple: nil,
            responder: [.response(revoked)],
            builtInRoots: BuiltInRoots(certificates: [Fixture.rsa.root])
        )
        #expect(other.requests == 1)
        #expect(other.error == "SEC_ERROR_REVOKED_CERTIFICATE")
        let builtIn = try await run(
            pki,
            leaf: leaf,
            staple: nil,
            responder: [.response(revoked)],
            builtInRoots: builtIn
        )
        #expect(builtIn.requests == 0)
        #expect(
            builtIn.accepted,
            "Firefox would leave this to CRLite; without its filters the certificate is not covered"
        )
    }

    @Test("§2.5 (d): a tolerated tryLater staple is accepted without a fetch when the root is built in")
    func tryLaterStaple() async throws {
        let fetched = try await run(pki, leaf: leaf, staple: tryLater)
        #expect(fetched.requests == 1)
        #expect(fetched.error == "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        let r = try await run(pki, leaf: leaf, staple: tryLater, builtInRoots: builtIn)
        #expect(r.accepted)
        #expect(r.requests == 0)
        #expect(r.verdict.warnings.contains { $0.contains("SEC_ERROR_OCSP_TRY_SERVER_LATER") })
    }

    @Test("§2.5 (d) needs Enforce and soft-fail: crlite=off, fetch=hard and the firefox2016 preset all fetch")
    func onlyEnforceAndSoft() async throws {
        for policy in [
            RevocationPolicy.firefox.with("crlite=off"), RevocationPolicy.firefox.with("fetch=hard"), .firefox2016,
        ] {
            let r = try await run(
                pki,
                leaf: leaf,
                staple: nil,
                policy: policy,
                responder: [.response(good)],
                builtInRoots: builtIn
            )
            #expect(r.requests == 1, "\(policy.preset) crlite=\(policy.crlite) fetch=\(policy.fetch)")
            #expect(r.accepted)
        }
    }

    @Test("§2.5 (d) comes after the staple and the cache: a Revoked staple and a cached Revoked still fail")
    func stapleAndCacheFirst() async throws {
        let revoked = pki.response(
            for: leaf,
            status: .revoked(at: Fixture.t0 - Fixture.day),
            thisUpdate: Fixture.t0 - 60,
            nextUpdate: Fixture.t0 + Fixture.day
        ).der()
        let cache = OCSPCache()
        let stapled = try await run(pki, leaf: leaf, staple: revoked, cache: cache, builtInRoots: builtIn)
        #expect(stapled.error == "SEC_ERROR_REVOKED_CERTIFICATE")
        let cached = try await run(pki, leaf: leaf, staple: nil, cache: cache, builtInRoots: builtIn)
        #expect(cached.error == "SEC_ERROR_REVOKED_CERTIFICATE")
        #expect(cached.requests == 0)
    }

    @Test("§1.3 after §2.5 (d): a must-staple certificate without a staple still fails, with no fetch")
    func mustStapleStillEnforced() async throws {
        let r = try await run(
            pki,
            leaf: Fixture.mustStapleLeaf(.ecdsa),
            staple: nil,
            responder: [.response(good)],
            builtInRoots: builtIn
        )
        #expect(r.error == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING")
        #expect(r.requests == 0)
    }

    @Test("a chain that stops below the root is not 'ending in a built-in root'")
    func chainWithoutRoot() async throws {
        let r = try await run(
            pki,
            leaf: leaf,
            staple: nil,
            responder: [.response(good)],
            chain: [leaf, pki.intermediate],
            builtInRoots: builtIn
        )
        #expect(r.requests == 1)
    }

    @Test("a policy written before `crlite` existed decodes with its preset's value")
    func decodesOlderPolicy() throws {
        for preset in [RevocationPolicy.firefox, .firefox2016] {
            var object = try #require(
                try JSONSerialization.jsonObject(with: JSONEncoder().encode(preset)) as? [String: Any]
            )
            object["crlite"] = nil
            let decoded = try JSONDecoder().decode(
                RevocationPolicy.self,
                from: JSONSerialization.data(withJSONObject: object)
            )
            #expect(decoded == preset)
        }
        #expect(throws: RevocationPolicy.SettingError.self) {
            try RevocationPolicy.firefox.applying("crlite=telemetry")
        }
    }
}

extension RevocationPolicy {
    fileprivate func applying(_ setting: String) throws(SettingError) -> RevocationPolicy {
        var p = self
        try p.apply([setting])
        return p
    }
}
