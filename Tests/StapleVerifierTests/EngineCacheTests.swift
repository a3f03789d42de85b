import Foundation
import StapleForge
import Testing
@testable import StapleVerifier

/// The chain cache and the delegated signers kept per chain never change a verdict.
@Suite struct EngineCacheTests {
    let t0 = Fixture.t0, day = Fixture.day

    func verdict(_ e: StapleEngine.Evaluation) -> Verdict { e.verdictWithResponderDown }

    @Test("evaluate(chainDER:) finds a chain again by its bytes; chains that throw are not kept")
    func chainCache() throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.mustStapleLeaf(.ecdsa)
        let chainCache = PreparedChainCache(capacity: 2)
        let v = StapleEngine(verdictCache: nil, chainCache: chainCache)
        let plain = StapleEngine(verdictCache: nil, chainCache: nil)
        let staple = Fixture.good(pki, leaf).der()
        for time in [t0, t0 + 30 * day] {
            let a = verdict(try v.evaluate(chainDER: pki.chain(leaf), staple: staple, at: Date(epochSeconds: time)))
            let b = verdict(try plain.evaluate(chainDER: pki.chain(leaf), staple: staple, at: Date(epochSeconds: time)))
            #expect(a == b)
        }
        #expect(chainCache.count == 1)
        let unlinked = [leaf, Fixture.otherECDSA.intermediate]
        for _ in 0..<2 {
            #expect(throws: StapleVerifierError.self) {
                try v.evaluate(chainDER: unlinked, staple: staple, at: Fixture.date)
            }
        }
        #expect(chainCache.count == 1)
        // Bounded: a third chain evicts the least recently used.
        _ = try v.evaluate(chainDER: pki.chain(Fixture.plainLeaf(.ecdsa)), staple: nil, at: Fixture.date)
        _ = try v.evaluate(chainDER: Fixture.rsa.chain(Fixture.plainLeaf(.rsa)), staple: nil, at: Fixture.date)
        #expect(chainCache.count == 2)
    }

    @Test(
        "a delegated signer met before is still judged at each time and under each policy",
        arguments: ForgePKI.KeyType.allCases
    )
    func delegatedSignerReuse(_ type: ForgePKI.KeyType) throws {
        let pki = Fixture.pki(type)
        let leaf = Fixture.mustStapleLeaf(type)
        let key = Fixture.responderKey(type)
        // A responder valid for ten days around T0.
        let responder = pki.responder(key: key, notBefore: t0 - 5 * day, notAfter: t0 + 5 * day, serial: [0x20, 0x77])
        var forge = pki.response(for: leaf, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * day)
        forge.responder = try ResponseForge.byName(responder)
        forge.certificates = [responder]
        forge.signer = key
        let staple = forge.der()
        let prepared = try PreparedChain(der: pki.chain(leaf))
        let cases: [(Int64, RevocationPolicy)] = [
            (t0, .firefox), (t0 + 6 * day, .firefox), (t0, .firefox.with("minRSABits=4096")), (t0 - 6 * day, .firefox),
            (t0, .firefox),
        ]
        for (time, policy) in cases {
            let date = Date(epochSeconds: time)
            let reused = verdict(
                StapleEngine(policy: policy, verdictCache: nil).evaluate(prepared: prepared, staple: staple, at: date)
            )
            let fresh = verdict(
                try StapleEngine(policy: policy, verdictCache: nil, chainCache: nil).evaluate(
                    chainDER: pki.chain(leaf),
                    staple: staple,
                    at: date
                )
            )
            #expect(reused == fresh, "at \(time) with \(policy.minRSABits) bits")
        }
        #expect(
            verdict(StapleEngine(verdictCache: nil).evaluate(prepared: prepared, staple: staple, at: Fixture.date))
                .isAccepted
        )
        // A responder certificate not signed by the issuer stays refused, however often it is met.
        let forged = Fixture.other(type).responder(
            key: key,
            issuer: (
                name: try CertificateFields(pki.intermediate).subjectName, key: Fixture.other(type).intermediateKey
            )
        )
        var bad = forge
        bad.responder = try ResponseForge.byName(forged)
        bad.certificates = [forged]
        for _ in 0..<2 {
            let v = verdict(
                StapleEngine(verdictCache: nil).evaluate(prepared: prepared, staple: bad.der(), at: Fixture.date)
            )
            #expect(v.staple.result?.name == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT")
        }
    }
}
