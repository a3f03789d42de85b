import Foundation
import StapleForge
import Testing
@testable import StapleVerifier

/// The verdict cache may only return a verdict for the same bytes, policy and time window.
@Suite struct VerdictCacheTests {
    let pki = Fixture.ecdsa
    let leaf = Fixture.plainLeaf(.ecdsa)
    let t0 = Fixture.t0, day = Fixture.day

    func evaluate(_ v: StapleEngine, chain: [[UInt8]]? = nil, staple: [UInt8], at time: Int64) throws -> Verdict {
        try v.evaluate(chainDER: chain ?? pki.chain(leaf), staple: staple, at: Date(epochSeconds: time))
            .verdictWithResponderDown
    }

    func reused(_ v: Verdict) -> Bool { v.trace.contains { $0.detail.contains("verdict reused") } }

    @Test func reusesOnlyTheSameBytesPolicyAndWindow() throws {
        let v = StapleEngine()
        let staple = pki.response(for: leaf, thisUpdate: t0 - 3600, nextUpdate: t0 + day).der()
        let first = try evaluate(v, staple: staple, at: t0)
        #expect(first.isAccepted && !reused(first))
        let second = try evaluate(v, staple: staple, at: t0 + 60)
        #expect(second.isAccepted && reused(second))
        #expect(second.time == Date(epochSeconds: t0 + 60), "the reused verdict carries the new time")
        // A different Good staple: verified afresh.
        let other = pki.response(for: leaf, thisUpdate: t0 - 7200, nextUpdate: t0 + day).der()
        #expect(!reused(try evaluate(v, staple: other, at: t0)))
        // One flipped bit in the signature: verified, and rejected.
        var flipped = staple
        flipped[flipped.count - 2] ^= 0x01
        let bad = try evaluate(v, staple: flipped, at: t0)
        #expect(!bad.isAccepted && !reused(bad))
        // Another policy.
        var p = v
        p.policy = .firefox.with("maxLifetimeDays=5")
        #expect(!reused(try evaluate(p, staple: staple, at: t0)))
        // Outside the window: past validThrough (nextUpdate + slop) and before thisUpdate − slop.
        let late = try evaluate(v, staple: staple, at: t0 + 2 * day + 1)
        #expect(late.error?.code == .ocspOldResponse)
        let early = try evaluate(v, staple: staple, at: t0 - 3600 - day - 1)
        #expect(early.error?.code == .ocspFutureResponse)
        // Exactly at the window's end it is still reused.
        #expect(reused(try evaluate(v, staple: staple, at: t0 + 2 * day)))
    }

    @Test("a different chain never reuses a verdict, even for the same staple bytes")
    func otherChain() throws {
        let v = StapleEngine()
        let staple = pki.response(for: leaf, thisUpdate: t0 - 3600, nextUpdate: t0 + day).der()
        _ = try evaluate(v, staple: staple, at: t0)
        let must = Fixture.mustStapleLeaf(.ecdsa)
        let r = try evaluate(v, chain: pki.chain(must), staple: staple, at: t0)
        #expect(!reused(r))
        #expect(r.error?.code == .ocspResponseForCertMissing)
    }

    @Test("a delegated signer's expiry ends the window")
    func signerWindow() throws {
        let v = StapleEngine()
        let cert = pki.responder(
            key: Fixture.responderKeyECDSA,
            notBefore: t0 - day,
            notAfter: t0 + 3600,
            serial: [0x61]
        )
        var f = pki.response(for: leaf, thisUpdate: t0 - 60, nextUpdate: t0 + day)
        f.responder = try ResponseForge.byKey(cert)
        f.signer = Fixture.responderKeyECDSA
        f.certificates = [cert]
        let staple = f.der()
        #expect(try evaluate(v, staple: staple, at: t0).isAccepted)
        #expect(reused(try evaluate(v, staple: staple, at: t0 + 3600)))
        let after = try evaluate(v, staple: staple, at: t0 + 3601)
        #expect(!reused(after))
        #expect(after.staple.result?.name == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT")
        // Firefox's OCSP cache still holds the Good answer verified at t0 (firefox-policy §2.4): that, not the
        // verdict cache, accepts.
        #expect(after.isAccepted)
        #expect(after.trace.contains { $0.stage == .cache && $0.detail.contains("fresh Good") })
    }

    @Test("bounded: the least recently used entry goes first")
    func bounded() throws {
        let v = StapleEngine(verdictCache: VerdictCache(capacity: 2))
        let staples = (0..<3).map {
            pki.response(for: leaf, thisUpdate: t0 - 3600 - Int64($0), nextUpdate: t0 + day).der()
        }
        for s in staples { _ = try evaluate(v, staple: s, at: t0) }
        #expect(v.verdictCache?.count == 2)
        #expect(!reused(try evaluate(v, staple: staples[0], at: t0)), "the oldest was evicted")
        #expect(reused(try evaluate(v, staple: staples[2], at: t0)))
    }

    @Test("rejections, tolerated staples and fetched answers are never cached")
    func onlyGoodStaples() async throws {
        let v = StapleEngine()
        let tryLater = ResponseForge.unsuccessful(3)
        var p = v
        p.policy = .firefox.with("tryLater=accept")
        #expect(try evaluate(p, staple: tryLater, at: t0).isAccepted)
        #expect(!reused(try evaluate(p, staple: tryLater, at: t0)))
        #expect(v.verdictCache?.count == 0)
    }
}
