import StapleVectors
import Foundation
import StapleTestSupport
import StapleForge
import Testing
@testable import StapleVerifier

/// Compare, health and report-only at the library level (the embedder's API).
@Suite struct OperationsTests {
    let pki = Fixture.ecdsa
    let t0 = Fixture.t0, day = Fixture.day

    @Test("compare: every policy sees the same responder, asked once per distinct request")
    func compare() async throws {
        let leaf = Fixture.mustStapleLeaf(.ecdsa)
        let fetcher = ScriptedFetcher([.response(Fixture.good(pki, leaf).der())])
        let c = try await PolicyComparison.compare(
            chainDER: pki.chain(leaf),
            staple: ResponseForge.unsuccessful(3),
            at: Fixture.date,
            fetcher: fetcher
        )
        let byName = Dictionary(uniqueKeysWithValues: c.rows.map { ($0.name, $0.error?.code.name ?? "accepted") })
        #expect(byName["firefox"] == "accepted")
        #expect(byName["firefox2016"] == "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        #expect(byName["strict"] == "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        #expect(byName["permissive"] == "accepted")
        #expect(byName["firefox+tryLater=ignore"] == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING")
        #expect(byName["firefox+tryLater=accept"] == "accepted")
        #expect(fetcher.requests.count == 1, "one real request, replayed to every policy")
        #expect(c.summary.hasPrefix("firefox: accepted; firefox2016: SEC_ERROR_OCSP_TRY_SERVER_LATER"))
    }

    @Test("health: remaining validity, Firefox's window, update interval, warning")
    func health() async throws {
        let leaf = Fixture.mustStapleLeaf(.ecdsa)
        let staple = pki.response(for: leaf, thisUpdate: t0 - day, nextUpdate: t0 + 2 * day).der()
        let v = try await StapleEngine().verify(chainDER: pki.chain(leaf), staple: staple, at: Fixture.date)
        let h = StapleHealth(verdict: v, warnBeforeSeconds: 36 * 3600)
        #expect(h.stapleRemainingSeconds == 2 * day)
        #expect(h.firefoxRemainingSeconds == 3 * day, "nextUpdate + one day of slop")
        #expect(h.updateIntervalSeconds == 3 * day)
        #expect(h.mustStaple)
        #expect(!h.warning)
        #expect(StapleHealth(verdict: v, warnBeforeSeconds: 2 * day).warning, "nextUpdate exactly at the limit warns")
        #expect(!StapleHealth(verdict: v).warning)
    }

    @Test("report-only: a rejection becomes a warning and an Expect-Staple-style report")
    func reportOnly() async throws {
        let leaf = Fixture.mustStapleLeaf(.ecdsa)
        let v = try await StapleEngine().verify(chainDER: pki.chain(leaf), staple: nil, at: Fixture.date)
        #expect(!v.isAccepted)
        let (r, report) = v.reportOnly(staple: nil, chainDER: pki.chain(leaf), hostname: "example.test", port: 443)
        #expect(r.isAccepted)
        #expect(r.reportedError?.code == .requiredTLSFeatureMissing)
        #expect(r.warnings.contains { $0.contains("report-only") })
        #expect(report?.responseStatus == "MISSING")
        #expect(report?.hostname == "example.test")
        #expect(report?.servedCertificateChain.count == 3)
        let good = try await StapleEngine().verify(
            chainDER: pki.chain(leaf),
            staple: Fixture.good(pki, leaf).der(),
            at: Fixture.date
        )
        #expect(good.reportOnly(staple: nil, chainDER: []).report == nil)
        let tryLater = try await StapleEngine().verify(
            chainDER: pki.chain(leaf),
            staple: ResponseForge.unsuccessful(3),
            at: Fixture.date
        )
        #expect(
            ViolationReport(verdict: tryLater, staple: ResponseForge.unsuccessful(3), chainDER: [])?.responseStatus
                == "ERROR_RESPONSE"
        )
    }
}
