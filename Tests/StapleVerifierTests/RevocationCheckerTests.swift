import StapleVectors
import SwiftASN1
import StapleTestSupport
import StapleForge
import Testing
@testable import StapleVerifier

/// Firefox's revocation state machine (firefox-policy §2.3–§2.7, §5.3–§5.4) and its tests firefox-policy §8.2,
/// firefox-policy §8.5–§8.7, §8.9, where several verifications share one cache or the network is scripted.
@Suite struct RevocationCheckerTests {
    let pki = Fixture.ecdsa
    let leaf = Fixture.plainLeaf(.ecdsa)
    let t0 = Fixture.t0, day = Fixture.day

    var good: [UInt8] { Fixture.good(pki, leaf).der() }
    var tryLater: [UInt8] { ResponseForge.unsuccessful(3) }

    @Test("firefox-policy §2.4: a Good staple is cached; the next connection without a staple needs no fetch")
    func goodIsCached() async throws {
        let cache = OCSPCache()
        #expect(try await run(pki, leaf: leaf, staple: good, cache: cache).accepted)
        let second = try await run(pki, leaf: leaf, staple: nil, cache: cache)
        #expect(second.accepted)
        #expect(second.requests == 0)
        #expect(second.verdict.trace.contains { $0.stage == .cache })
    }

    @Test("firefox-policy §2.4: Revoked is sticky, even when a later staple is Good only the staple decides")
    func revokedIsSticky() async throws {
        let cache = OCSPCache()
        let revoked = pki.response(for: leaf, status: .revoked(at: t0 - day), thisUpdate: t0 - 60, nextUpdate: t0 + day)
            .der()
        #expect(try await run(pki, leaf: leaf, staple: revoked, cache: cache).error == "SEC_ERROR_REVOKED_CERTIFICATE")
        let later = try await run(pki, leaf: leaf, staple: nil, at: t0 + 30 * day, cache: cache)
        #expect(later.error == "SEC_ERROR_REVOKED_CERTIFICATE", "no freshness test for a cached Revoked")
        #expect(later.requests == 0)
    }

    @Test(
        "firefox-policy §5.3: a failure is cached for 5 minutes (firefox-policy §8.6 'again', firefox-policy §8.5 row 2)"
    )
    func negativeCaching() async throws {
        let cache = OCSPCache()
        let first = try await run(pki, leaf: leaf, staple: nil, cache: cache)
        #expect(first.accepted)
        #expect(first.requests == 1)
        #expect(try await run(pki, leaf: leaf, staple: nil, at: t0 + 300, cache: cache).requests == 0)
        #expect(try await run(pki, leaf: leaf, staple: nil, at: t0 + 301, cache: cache).requests == 1)
    }

    @Test("firefox-policy §8.5: hard-fail, bad signature fetched, then cached; cache cleared, empty body → malformed")
    func requireTable() async throws {
        let cache = OCSPCache()
        let hard = RevocationPolicy.firefox.with("fetch=hard")
        var bad = Fixture.good(pki, leaf)
        bad.corruptSignature = true
        let a = try await run(
            pki,
            leaf: leaf,
            staple: nil,
            policy: hard,
            responder: [.response(bad.der())],
            cache: cache
        )
        #expect(a.error == "SEC_ERROR_OCSP_BAD_SIGNATURE")
        #expect(a.requests == 1)
        let b = try await run(
            pki,
            leaf: leaf,
            staple: nil,
            policy: hard,
            responder: [.response(bad.der())],
            cache: cache
        )
        #expect(b.error == "SEC_ERROR_OCSP_BAD_SIGNATURE")
        #expect(b.requests == 0)
        cache.removeAll()
        let c = try await run(pki, leaf: leaf, staple: nil, policy: hard, responder: [.response([])], cache: cache)
        #expect(c.error == "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
        #expect(c.requests == 1)
    }

    @Test(
        "firefox-policy §2.4/§8.2: a fetched expired answer is cached as OLD_RESPONSE but does not stop the next fetch (Firefox's 2 requests)"
    )
    func cachedOldResponseAllowsAFetch() async throws {
        let cache = OCSPCache()
        let expired = Fixture.expired(pki, leaf).der()
        for pass in 1...2 {
            let r = try await run(pki, leaf: leaf, staple: expired, responder: [.response(expired)], cache: cache)
            #expect(r.error == "SEC_ERROR_OCSP_OLD_RESPONSE", "pass \(pass)")
            #expect(r.requests == 1, "pass \(pass): a cached OLD_RESPONSE is no cached failure")
        }
        // A fresh Good afterwards replaces it.
        #expect(try await run(pki, leaf: leaf, staple: nil, responder: [.response(good)], cache: cache).accepted)
        #expect(try await run(pki, leaf: leaf, staple: nil, cache: cache).requests == 0)
    }

    @Test(
        "firefox-policy §8.6: a stapled Unknown is cached and honoured when the responder fails; a later Good replaces it"
    )
    func unknownThenGood() async throws {
        let cache = OCSPCache()
        let unknown = pki.response(for: leaf, status: .unknown, thisUpdate: t0 - 60, nextUpdate: t0 + day).der()
        let a = try await run(pki, leaf: leaf, staple: unknown, cache: cache)
        #expect(a.error == "SEC_ERROR_OCSP_UNKNOWN_CERT")
        #expect(a.requests == 0)
        let b = try await run(pki, leaf: leaf, staple: nil, cache: cache)
        #expect(b.error == "SEC_ERROR_OCSP_UNKNOWN_CERT")
        #expect(b.requests == 1)
        let newer = pki.response(for: leaf, thisUpdate: t0 + 60, nextUpdate: t0 + 2 * day).der()
        let c = try await run(pki, leaf: leaf, staple: nil, at: t0 + 120, responder: [.response(newer)], cache: cache)
        #expect(c.accepted)
        let d = try await run(pki, leaf: leaf, staple: nil, at: t0 + 180, cache: cache)
        #expect(d.accepted)
        #expect(d.requests == 0)
    }

    @Test(
        "firefox-policy §8.7: a responder that never answers — soft-fail accepts, hard-fail is SERVER_ERROR; timeouts clamped"
    )
    func timeouts() async throws {
        #expect(try await run(pki, leaf: leaf, staple: nil, responder: [.timeout]).accepted)
        #expect(
            try await run(pki, leaf: leaf, staple: nil, policy: .firefox.with("fetch=hard"), responder: [.timeout])
                .error == "SEC_ERROR_OCSP_SERVER_ERROR"
        )
        #expect(RevocationPolicy.firefox.fetchTimeoutMs == 2000)
        #expect(RevocationPolicy.firefox.with("fetch=hard").fetchTimeoutMs == 10000)
        #expect(RevocationPolicy.firefox.with("softTimeoutMs=9000").fetchTimeoutMs == 5000)
        #expect(RevocationPolicy.firefox.with("fetch=hard", "hardTimeoutMs=30000").fetchTimeoutMs == 20000)
        let evaluation = try StapleEngine().evaluate(chainDER: pki.chain(leaf), staple: nil, at: Fixture.date)
        guard case .needsFetch(let pending) = evaluation else {
            Issue.record("expected a fetch")
            return
        }
        #expect(pending.request.timeoutMilliseconds == 2000)
    }

    @Test(
        "firefox-policy §2.7: a body too large for mozpkix Input is MALFORMED_RESPONSE, on the failure path (cached 5 minutes)"
    )
    func bodyTooLarge() async throws {
        struct TooLarge: OCSPFetcher {
            func fetch(_ request: OCSPFetchRequest) async -> OCSPFetchResult { .failed(.bodyTooLarge(65_536)) }
        }
        let hard = StapleEngine(policy: .firefox.with("fetch=hard"))
        let a = try await hard.verify(chainDER: pki.chain(leaf), staple: nil, at: Fixture.date, fetcher: TooLarge())
        #expect(a.error?.code == .ocspMalformedResponse)
        #expect(a.fetches.map(\.outcome.description) == ["body too large (65536 bytes)"])
        let b = try await hard.verify(chainDER: pki.chain(leaf), staple: nil, at: Fixture.date, fetcher: TooLarge())
        #expect(b.error?.code == .ocspMalformedResponse)
        #expect(b.fetches.map(\.fromCache) == [true])
        #expect(
            try await StapleEngine().verify(
                chainDER: pki.chain(leaf),
                staple: nil,
                at: Fixture.date,
                fetcher: TooLarge()
            ).isAccepted
        )
    }

    @Test("firefox-policy §2.7: the OCSP request — SHA-1 CertID, no extensions, POST body of one CertID, ≤ 127 bytes")
    func request() throws {
        let evaluation = try StapleEngine().evaluate(chainDER: pki.chain(leaf), staple: nil, at: Fixture.date)
        guard case .needsFetch(let pending) = evaluation else {
            Issue.record("expected a fetch")
            return
        }
        let body = pending.request.body
        #expect(body.count <= 127)
        let certID = try ResponseForge.certID(leaf: leaf, issuer: pki.intermediate, hash: .sha1)
        #expect(body == DERWriter.sequence(DERWriter.sequence(DERWriter.sequence(DERWriter.sequence(certID)))))
        #expect(pending.request.url.text == "http://127.0.0.1:8888/")
        #expect(pending.request.url.port == 8888)
    }

    @Test("firefox-policy §3.12: a serial too long for a 127-byte request is a hard BAD_DER when a fetch is needed")
    func longSerial() throws {
        #expect(throws: Never.self) {
            try OCSPRequest.encode(
                issuerNameDER: [0x30, 0x00],
                issuerKeyBits: [1],
                serial: ArraySlice(repeating: 1, count: 60)
            )
        }
        #expect(throws: VerificationError(.badDER, "")) {
            try OCSPRequest.encode(
                issuerNameDER: [0x30, 0x00],
                issuerKeyBits: [1],
                serial: ArraySlice(repeating: 1, count: 61)
            )
        }
    }

    // MARK: firefox-policy §2.5 no fetch, firefox-policy §2.6 no OCSP URI

    @Test(
        "firefox-policy §2.5/§5.4: a short-lived certificate is never fetched for; a tolerated staple error is then ignored (Firefox TODO)"
    )
    func shortLived() async throws {
        let short = pki.leaf(serial: [0x55], notBefore: t0 - 2 * day, notAfter: t0 + 3 * day)
        let a = try await run(pki, leaf: short, staple: nil)
        #expect(a.accepted)
        #expect(a.requests == 0)
        let b = try await run(pki, leaf: short, staple: tryLater)
        #expect(b.accepted)
        #expect(b.requests == 0)
        #expect(!b.verdict.warnings.isEmpty)
        // Exactly 10 days is not short-lived (strictly less, firefox-policy §2.5b).
        let ten = pki.leaf(serial: [0x56], notBefore: t0 - 5 * day, notAfter: t0 + 5 * day)
        #expect(try await run(pki, leaf: ten, staple: nil).requests == 1)
    }

    @Test("firefox-policy §2.5: fetching off — tolerated staples pass with a warning, a cached Unknown still fails")
    func fetchOff() async throws {
        let off = RevocationPolicy.firefox.with("fetch=off")
        let a = try await run(pki, leaf: leaf, staple: tryLater, policy: off)
        #expect(a.accepted)
        #expect(a.requests == 0)
        let cache = OCSPCache()
        let unknown = pki.response(for: leaf, status: .unknown, thisUpdate: t0 - 60, nextUpdate: t0 + day).der()
        _ = try await run(pki, leaf: leaf, staple: unknown, cache: cache)
        #expect(
            try await run(pki, leaf: leaf, staple: nil, policy: off, cache: cache).error
                == "SEC_ERROR_OCSP_UNKNOWN_CERT"
        )
    }

    @Test(
        "firefox-policy §2.6: no OCSP URI — no staple is fine even in hard-fail; a tolerated staple error is returned"
    )
    func noAIA() async throws {
        let noAIA = pki.leaf(serial: [0x57], ocspURL: nil)
        #expect(try await run(pki, leaf: noAIA, staple: nil, policy: .firefox.with("fetch=hard")).accepted)
        let r = try await run(pki, leaf: noAIA, staple: tryLater)
        #expect(r.error == "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        #expect(r.requests == 0)
    }

    // MARK: firefox-policy §2.2, §5.2, §8.9 locations

    @Test(
        "firefox-policy §8.9: OCSP URL forms",
        arguments: [
            ("ftp://127.0.0.1:8888/", false), ("https://127.0.0.1:8888/", false), ("://127.0.0.1/", false),
            ("127.0.0.1:8888", false),
            ("http://127.0.0.1:-8/", false), ("http:///path", false), ("unknown://host/", false),
            ("http://h:0/", false), ("http://h:65536/", false),
            ("hTTp://127.0.0.1:8888/", true), ("http://127.0.0.1:8888", true),
            ("http://user:pass@127.0.0.1:8888/x", true), ("http://[::1]:80/", true),
        ]
    )
    func urls(_ text: String, _ ok: Bool) {
        #expect((try? OCSPURL(text)) != nil ? ok : !ok, "\(text)")
    }

    @Test(
        "firefox-policy §8.9: a leaf whose OCSP URL is not http fails with BAD_ACCESS_LOCATION when a fetch is needed"
    )
    func badURLThroughEngine() async throws {
        let ftp = pki.leaf(serial: [0x58], ocspURL: "ftp://127.0.0.1/")
        let r = try await run(pki, leaf: ftp, staple: nil, policy: .firefox.with("fetch=hard"))
        #expect(r.error == "SEC_ERROR_CERT_BAD_ACCESS_LOCATION")
        #expect(r.requests == 0)
        #expect(
            try await run(pki, leaf: ftp, staple: Fixture.good(pki, ftp).der()).accepted,
            "a Good staple needs no fetch"
        )
    }

    @Test("firefox-policy §2.2: an OCSP URI over 1024 bytes fails even with a Good staple")
    func longURI() async throws {
        let long = pki.leaf(serial: [0x59], ocspURL: "http://127.0.0.1/" + String(repeating: "a", count: 1100))
        #expect(
            try await run(pki, leaf: long, staple: Fixture.good(pki, long).der()).error
                == "SEC_ERROR_CERT_BAD_ACCESS_LOCATION"
        )
    }

    // MARK: treatments and presets

    @Test("tryLater treatments: fallback, fail, ignore, accept", arguments: [false, true])
    func tryLaterTreatments(_ mustStaple: Bool) async throws {
        let leaf = mustStaple ? Fixture.mustStapleLeaf(.ecdsa) : self.leaf
        let goodFetch = ScriptedFetcher.Answer.response(Fixture.good(pki, leaf).der())
        let up = try await run(pki, leaf: leaf, staple: tryLater, responder: [goodFetch])
        #expect(up.accepted, "fallback: a Good fetch saves the connection (firefox-policy §1.6)")
        let down = try await run(pki, leaf: leaf, staple: tryLater)
        #expect(down.error == "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        #expect(down.verdict.staple.status == .invalid)
        let fail = try await run(
            pki,
            leaf: leaf,
            staple: tryLater,
            policy: .firefox.with("tryLater=fail"),
            responder: [goodFetch]
        )
        #expect(fail.error == "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        #expect(fail.requests == 0)
        let ignore = try await run(pki, leaf: leaf, staple: tryLater, policy: .firefox.with("tryLater=ignore"))
        #expect(ignore.error == (mustStaple ? "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING" : nil))
        let accept = try await run(pki, leaf: leaf, staple: tryLater, policy: .firefox.with("tryLater=accept"))
        #expect(accept.accepted)
        #expect(accept.requests == 0)
        #expect(!accept.verdict.warnings.isEmpty)
    }

    @Test("presets on the same inputs")
    func presets() async throws {
        let ms = Fixture.mustStapleLeaf(.ecdsa)
        let expired = Fixture.expired(pki, leaf).der()
        func error(_ p: RevocationPolicy, _ l: [UInt8], _ s: [UInt8]?) async throws -> String {
            try await run(pki, leaf: l, staple: s, policy: p).error ?? "accepted"
        }
        // Good staple: everyone accepts.
        for p in [RevocationPolicy.firefox, .firefox2016, .strict, .permissive] {
            #expect(try await error(p, leaf, good) == "accepted", "\(p.preset)")
        }
        #expect(try await error(.firefox, leaf, nil) == "accepted")
        #expect(try await error(.strict, leaf, nil) == "STAPLE_ERROR_STAPLE_REQUIRED")
        #expect(try await error(.strict, ms, nil) == "MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING")
        #expect(try await error(.strict, leaf, expired) == "SEC_ERROR_OCSP_OLD_RESPONSE")
        #expect(try await error(.firefox2016, leaf, tryLater) == "SEC_ERROR_OCSP_TRY_SERVER_LATER")
        #expect(try await error(.firefox2016, leaf, expired) == "SEC_ERROR_OCSP_OLD_RESPONSE")
        #expect(try await error(.permissive, leaf, tryLater) == "accepted")
        #expect(try await error(.permissive, leaf, expired) == "accepted")
        #expect(try await error(.permissive, ms, nil) == "accepted")
        let revoked = pki.response(for: leaf, status: .revoked(at: t0 - day), thisUpdate: t0 - 60, nextUpdate: t0 + day)
            .der()
        for p in [RevocationPolicy.firefox, .firefox2016, .strict, .permissive] {
            #expect(try await error(p, leaf, revoked) == "SEC_ERROR_REVOKED_CERTIFICATE", "\(p.preset)")
        }
    }

    // MARK: the split API used inside a TLS handshake

    @Test("evaluate: decided locally, or a pending fetch whose best case says whether any fetch can help")
    func evaluateAPI() throws {
        let v = StapleEngine()
        guard case .decided(let d) = try v.evaluate(chainDER: pki.chain(leaf), staple: good, at: Fixture.date) else {
            Issue.record("a Good staple needs no fetch")
            return
        }
        #expect(d.isAccepted)
        guard
            case .needsFetch(let p) = try v.evaluate(
                chainDER: pki.chain(Fixture.mustStapleLeaf(.ecdsa)),
                staple: nil,
                at: Fixture.date
            )
        else {
            Issue.record("expected a fetch")
            return
        }
        #expect(
            p.bestCase.error?.code == .requiredTLSFeatureMissing,
            "must-staple without a staple: no fetch can save it"
        )
        guard
            case .needsFetch(let q) = try StapleEngine().evaluate(
                chainDER: pki.chain(leaf),
                staple: tryLater,
                at: Fixture.date
            )
        else {
            Issue.record("expected a fetch")
            return
        }
        #expect(q.bestCase.isAccepted)
        #expect(q.complete(with: .failed(.refused)).error?.code == .ocspTryServerLater)
        #expect(q.complete(with: .response(Fixture.good(pki, leaf).der())).isAccepted)
    }

    @Test("inputs that cannot be evaluated throw, naming the problem")
    func operationalErrors() throws {
        let v = StapleEngine()
        #expect(throws: StapleVerifierError.self) { try v.evaluate(chainDER: [], staple: nil, at: Fixture.date) }
        do {
            _ = try v.evaluate(chainDER: [leaf, Fixture.otherECDSA.intermediate], staple: nil, at: Fixture.date)
            Issue.record("an unlinked chain must throw")
        } catch {
            #expect(error.kind == .chainDoesNotLink)
            #expect(error.reason.contains("certificate 1"))
        }
        do {
            _ = try v.evaluate(chainDER: [Array(leaf.prefix(100))], staple: nil, at: Fixture.date)
            Issue.record("a truncated certificate must throw")
        } catch {
            #expect(error.kind == .unreadableCertificate)
        }
        guard case .decided(let d) = try v.evaluate(chainDER: [leaf], staple: good, at: Fixture.date) else { return }
        #expect(d.error?.code == .chainIncomplete)
    }

    @Test("a chain longer than mozpkix's 8 certificates is refused before any certificate is read")
    func chainLengthBound() throws {
        let v = StapleEngine()
        #expect(StapleEngine.maximumChainLength == 8)
        // 8 copies of the leaf are read (and do not link); 9 — or 100 — are not read at all.
        do {
            _ = try v.evaluate(chainDER: Array(repeating: leaf, count: 8), staple: good, at: Fixture.date)
            Issue.record("8 copies of one certificate do not link")
        } catch {
            #expect(error.kind == .chainDoesNotLink)
        }
        for count in [9, 100] {
            do {
                _ = try v.evaluate(chainDER: Array(repeating: [0x30], count: count), staple: good, at: Fixture.date)
                Issue.record("a chain of \(count) must throw")
            } catch {
                #expect(error.kind == .chainTooLong)
                #expect(error.reason.contains("\(count) certificates; at most 8"), "\(error.reason)")
            }
        }
    }

    @Test("certificate validity is checked at the verification time")
    func validity() async throws {
        #expect(
            try await run(pki, leaf: leaf, staple: nil, at: Fixture.notAfter + 1).error
                == "SEC_ERROR_EXPIRED_CERTIFICATE"
        )
        #expect(
            try await run(pki, leaf: leaf, staple: nil, at: Fixture.notBefore - 1).error
                == "MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE"
        )
        let late = pki.leaf(serial: [0x5A], notBefore: t0 - day, notAfter: Fixture.notAfter + 400 * day)
        #expect(try await run(pki, leaf: late, staple: nil, at: Fixture.notAfter + 1900 * day + 1).error != nil)
    }
}

/// Fetch records for the report: details from the fetcher, and answers served by the cache.
@Suite struct FetchRecordTests {
    struct TimedFetcher: OCSPFetcher {
        let answer: OCSPFetchResult
        func fetch(_ request: OCSPFetchRequest) async -> OCSPFetchResult { answer }
        func fetchWithDetails(_ request: OCSPFetchRequest) async -> (OCSPFetchResult, OCSPFetchDetails) {
            (answer, OCSPFetchDetails(httpStatus: 503, durationMilliseconds: 42))
        }
    }

    @Test func detailsAndCache() async throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.plainLeaf(.ecdsa)
        let v = StapleEngine()
        let first = try await v.verify(
            chainDER: pki.chain(leaf),
            staple: nil,
            at: Fixture.date,
            fetcher: TimedFetcher(answer: .failed(.httpStatus(503)))
        )
        #expect(first.fetches.count == 1)
        #expect(first.fetches[0].httpStatus == 503)
        #expect(first.fetches[0].durationMs == 42)
        #expect(!first.fetches[0].fromCache)
        let second = try await v.verify(
            chainDER: pki.chain(leaf),
            staple: nil,
            at: Fixture.date,
            fetcher: TimedFetcher(answer: .failed(.timeout))
        )
        #expect(second.fetches.count == 1)
        #expect(second.fetches[0].fromCache)
        #expect(second.fetches[0].outcome.description == "cache")
        #expect(second.fetches[0].result.name == "SEC_ERROR_OCSP_SERVER_ERROR")
    }
}
