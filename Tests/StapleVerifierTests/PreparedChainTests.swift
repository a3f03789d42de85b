import Foundation
import StapleForge
import Testing
import X509
@testable import StapleVerifier

/// A prepared chain gives the verdicts `evaluate(chainDER:)` gives, and refuses what it refuses.
@Suite struct PreparedChainTests {
    let t0 = Fixture.t0, day = Fixture.day

    func verdict(_ e: StapleEngine.Evaluation) -> Verdict { e.verdictWithResponderDown }

    @Test(
        "the same verdict as evaluate(chainDER:) for Good, revoked, expired, wrong-certificate, bad-signature, delegated and no staple",
        arguments: ForgePKI.KeyType.allCases
    )
    func sameVerdicts(_ type: ForgePKI.KeyType) throws {
        let pki = Fixture.pki(type)
        let leaf = Fixture.mustStapleLeaf(type)
        let chain = pki.chain(leaf)
        let prepared = try PreparedChain(der: chain)
        #expect(prepared.count == 3 && prepared.der == chain)
        var revoked = pki.response(for: leaf, thisUpdate: t0 - 3600, nextUpdate: t0 + day)
        revoked.responses[0].status = .revoked(at: t0 - 7200)
        var badSignature = Fixture.good(pki, leaf)
        badSignature.corruptSignature = true
        var delegated = Fixture.good(pki, leaf)
        let responder = pki.responder(key: Fixture.responderKey(type))
        delegated.responder = try ResponseForge.byName(responder)
        delegated.certificates = [responder]
        delegated.signer = Fixture.responderKey(type)
        let staples: [[UInt8]?] = [
            Fixture.good(pki, leaf).der(), revoked.der(),
            pki.response(for: leaf, thisUpdate: t0 - 20 * day, nextUpdate: t0 - 15 * day).der(),
            Fixture.good(pki, Fixture.plainLeaf(type)).der(), badSignature.der(), delegated.der(), nil, [],
        ]
        for staple in staples {
            for time in [t0, t0 + 5 * day] {
                let date = Date(epochSeconds: time)
                // Fresh verifiers without a verdict cache, so neither answer comes from a cache.
                let a = verdict(try StapleEngine(verdictCache: nil).evaluate(chainDER: chain, staple: staple, at: date))
                let b = verdict(StapleEngine(verdictCache: nil).evaluate(prepared: prepared, staple: staple, at: date))
                #expect(a == b, "staple \(staple?.count ?? -1) bytes at \(time)")
            }
        }
    }

    @Test("one prepared chain serves many verifications and fills the verdict cache like chainDER")
    func reuseAndVerdictCache() throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.plainLeaf(.ecdsa)
        let prepared = try PreparedChain(der: pki.chain(leaf))
        let verifier = StapleEngine()
        let staple = Fixture.good(pki, leaf).der()
        let first = verdict(verifier.evaluate(prepared: prepared, staple: staple, at: Fixture.date))
        #expect(first.isAccepted && first.trace.last?.stage != .cache)
        let second = verdict(verifier.evaluate(prepared: prepared, staple: staple, at: Date(epochSeconds: t0 + 60)))
        #expect(second.isAccepted && second.trace.last?.stage == .cache)
        // The cache is shared with evaluate(chainDER:) for the same bytes.
        let third = verdict(try verifier.evaluate(chainDER: pki.chain(leaf), staple: staple, at: Fixture.date))
        #expect(third.trace.last?.stage == .cache)
    }

    @Test("preparing throws what evaluate(chainDER:) throws")
    func sameErrors() throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.plainLeaf(.ecdsa)
        let chains: [[[UInt8]]] = [
            [],
            [leaf, [0x30, 0x03, 0x02, 0x01, 0x01]],
            [leaf, Fixture.otherECDSA.intermediate],
            [leaf, pki.root],
        ]
        for chain in chains {
            var expected: StapleVerifierError?
            do { _ = try StapleEngine().evaluate(chainDER: chain, staple: nil, at: Fixture.date) } catch {
                expected = error
            }
            var got: StapleVerifierError?
            do { _ = try PreparedChain(der: chain) } catch { got = error }
            #expect(expected != nil && got == expected, "\(chain.count) certificate(s)")
        }
    }

    @Test("from swift-certificates values: the same as from DER")
    func fromCertificates() throws {
        let pki = Fixture.rsa
        let leaf = Fixture.mustStapleLeaf(.rsa)
        let certificates = try pki.chain(leaf).map { try Certificate(derEncoded: $0) }
        let prepared = try PreparedChain(certificates)
        let staple = Fixture.good(pki, leaf).der()
        let a = verdict(
            try StapleEngine(verdictCache: nil).evaluate(chain: certificates, staple: staple, at: Fixture.date)
        )
        let b = verdict(StapleEngine(verdictCache: nil).evaluate(prepared: prepared, staple: staple, at: Fixture.date))
        #expect(a == b && a.isAccepted)
    }
}
