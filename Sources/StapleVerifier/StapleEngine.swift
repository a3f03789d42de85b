import Foundation
import SwiftASN1
import X509

/// The engine: a verdict from a chain, a staple, a time and a policy (docs/ARCHITECTURE.md).
///
/// ```swift
/// let verifier = StapleEngine(policy: .firefox)
/// let verdict = try await verifier.verify(chain: [leaf, intermediate], staple: stapleBytes,
///                                         at: Date(), fetcher: myFetcher)
/// if !verdict.isAccepted { print(verdict.explanation) }
/// ```
///
/// The order is Firefox's (firefox-policy §1.4, §2.1, §9): the chain's TLS Feature rules on every
/// link, the end-entity's validity, revocation (staple → cache → fetch), then the must-staple check.
/// No I/O, no clock: the time is an input and fetching goes through an ``OCSPFetcher``.
public struct StapleEngine: Sendable {
    public var policy: RevocationPolicy
    /// Shared by every verification made with this verifier (and by copies of it).
    public let cache: OCSPCache
    /// Accepted verdicts on fresh Good staples, reused for the same bytes, policy and time window;
    /// nil turns it off.
    package let verdictCache: VerdictCache?
    /// Report-only mode (Expect-Staple's spirit): a rejection becomes an acceptance with a warning,
    /// the error kept in ``Verdict/reportedError``. Connections are never failed by the policy.
    public var reportOnly = false
    /// The roots that count as Firefox's built-in ones (``BuiltInRoots``): with the policy's
    /// `crlite` in Enforce mode and `fetch=soft`, a chain whose last certificate is one of them gets
    /// no OCSP fetch (firefox-policy §2.5 (d)). None by default.
    public var builtInRoots = BuiltInRoots.none
    /// The target this engine verifies for ("localhost:8443"), when its OCSP cache is shared with
    /// engines for other targets: what it stores there says so ("stapled by localhost:8443 at T"),
    /// and a verdict that uses such an answer shows it.
    package var target: String?

    /// The most certificates a chain may have, end-entity and trust anchor included: mozpkix's
    /// bound (pkixbuild.cpp: 1 end-entity + `MAX_SUBCA_COUNT` 6 sub-CAs + 1 root, the capacity of its
    /// `NonOwningDERArray`). A longer chain is refused before any certificate is parsed, so a peer
    /// cannot make the engine parse and verify an unbounded number of certificates.
    public static let maximumChainLength = 8

    /// Chains read before, found again by their DER by ``evaluate(chainDER:staple:at:)``; nil
    /// reads every chain afresh. Share one between verifiers that see the same chains.
    package let chainCache: PreparedChainCache?

    /// An engine for `policy`. Engines that share `cache` share what they learn of OCSP answers, as
    /// Firefox's process-wide cache does (firefox-policy §5.3); each engine has its own by default.
    public init(policy: RevocationPolicy = .firefox, cache: OCSPCache = OCSPCache()) {
        self.init(policy: policy, cache: cache, verdictCache: VerdictCache(), chainCache: PreparedChainCache())
    }

    /// As ``init(policy:cache:)`` with the verdict and chain caches chosen (nil turns one off).
    package init(
        policy: RevocationPolicy = .firefox,
        cache: OCSPCache = OCSPCache(),
        verdictCache: VerdictCache? = VerdictCache(),
        chainCache: PreparedChainCache? = PreparedChainCache()
    ) {
        self.policy = policy
        self.cache = cache
        self.verdictCache = verdictCache
        self.chainCache = chainCache
    }

    /// The result of the local part of a verification.
    public enum Evaluation: Sendable {
        /// Decided without the network.
        case decided(Verdict)
        /// The policy wants an OCSP fetch before deciding.
        case needsFetch(PendingVerification)
    }

    /// Everything but the fetch: synchronous, safe to call inside a TLS handshake callback.
    /// Throws only when the inputs cannot be evaluated (no certificate, unreadable, unlinked chain).
    public func evaluate(
        chain: [Certificate],
        staple: [UInt8]?,
        at time: Date
    ) throws(StapleVerifierError) -> Evaluation {
        try Self.checkLength(chain.count)
        return evaluateUncached(try PreparedChain(chain), staple: staple, at: time)
    }

    /// As ``evaluate(chain:staple:at:)`` from DER certificates (leaf first).
    public func evaluate(chainDER: [[UInt8]], staple: [UInt8]?, at time: Date) throws(StapleVerifierError) -> Evaluation
    {
        try Self.checkLength(chainDER.count)
        let key =
            verdictCache == nil || reportOnly
            ? nil : staple.map { VerdictCache.Key(staple: $0, chain: chainDER, policy: policy) }
        if let key, let cached = cachedVerdict(key, at: time) { return cached }
        let chain: PreparedChain
        if let chainCache {
            chain = try chainCache.chain(for: chainDER)
        } else {
            chain = try PreparedChain(der: chainDER)
        }
        return remember(evaluateUncached(chain, staple: staple, at: time), chain: chain, key: key)
    }

    /// As ``evaluate(chainDER:staple:at:)`` with a chain prepared earlier (parsed and linked once,
    /// reused across handshakes): the same verdicts, without reading the chain again.
    package func evaluate(prepared chain: PreparedChain, staple: [UInt8]?, at time: Date) -> Evaluation {
        let key =
            verdictCache == nil || reportOnly
            ? nil : staple.map { VerdictCache.Key(staple: $0, chain: chain.der, policy: policy) }
        if let key, let cached = cachedVerdict(key, at: time) { return cached }
        return remember(evaluateUncached(chain, staple: staple, at: time), chain: chain, key: key)
    }

    /// The same policy with only the chain rules left on (TLS Feature decoding and inheritance,
    /// firefox-policy §1.1–§1.2, and validity): stapling, must-staple, requireStaple and fetching off, an OCSP cache
    /// of its own so that nothing it decides reaches the shared one, and this verifier's chain cache,
    /// so that the chain read here is the one the staple is then verified on. What a TLS verify
    /// callback runs before the staple has arrived.
    package func chainRulesOnly() -> StapleEngine {
        var policy = self.policy
        policy.stapling = false
        policy.mustStaple = false
        policy.requireStaple = false
        policy.fetch = .off
        var engine = StapleEngine(
            policy: policy,
            cache: OCSPCache(capacity: 1),
            verdictCache: nil,
            chainCache: chainCache
        )
        engine.builtInRoots = builtInRoots
        return engine
    }

    /// This engine with an OCSP cache of its own, empty: a first visit for the same policy, chain
    /// cache and verdict cache (neither of which can change a verdict, only its cost).
    package func withOwnOCSPCache() -> StapleEngine {
        var engine = StapleEngine(
            policy: policy,
            cache: OCSPCache(capacity: cache.capacity),
            verdictCache: verdictCache,
            chainCache: chainCache
        )
        engine.reportOnly = reportOnly
        engine.builtInRoots = builtInRoots
        engine.target = target
        return engine
    }

    /// The trace step of a reused verdict. It is appended when the verdict is stored, so that a
    /// hit does not copy the trace.
    static let reusedStep = Verdict.Step(
        stage: .cache,
        detail: "the same chain, staple and policy were accepted before, valid at this time: verdict reused"
    )

    private func cachedVerdict(_ key: VerdictCache.Key, at time: Date) -> Evaluation? {
        guard let cached = verdictCache?.get(key, at: time.epochSeconds) else { return nil }
        var verdict = cached
        verdict.time = time
        return .decided(verdict)
    }

    private func remember(_ evaluation: Evaluation, chain: PreparedChain, key: VerdictCache.Key?) -> Evaluation {
        if let key, let cache = verdictCache, case .decided(let verdict) = evaluation, verdict.isAccepted,
            let window = verdict.goodStapleWindow
        {
            let parsed = chain.certificates
            let certificates = parsed.map(\.notBefore).max()!...parsed.map(\.notAfter).min()!
            if window.overlaps(certificates) {
                let valid = window.clamped(to: certificates)
                var reused = verdict
                reused.trace.append(Self.reusedStep)
                cache.put(key, verdict: reused, validFrom: valid.lowerBound, validUntil: valid.upperBound)
            }
        }
        return evaluation
    }

    /// The whole verification, fetching through `fetcher` where the policy asks for it (a nil
    /// fetcher behaves as an unreachable responder).
    public func verify(
        chain: [Certificate],
        staple: [UInt8]?,
        at time: Date,
        fetcher: (any OCSPFetcher)? = nil
    ) async throws(StapleVerifierError) -> Verdict {
        try await Self.complete(evaluate(chain: chain, staple: staple, at: time), fetcher: fetcher)
    }

    public func verify(
        chainDER: [[UInt8]],
        staple: [UInt8]?,
        at time: Date,
        fetcher: (any OCSPFetcher)? = nil
    ) async throws(StapleVerifierError) -> Verdict {
        try await Self.complete(evaluate(chainDER: chainDER, staple: staple, at: time), fetcher: fetcher)
    }

    package func verify(
        prepared chain: PreparedChain,
        staple: [UInt8]?,
        at time: Date,
        fetcher: (any OCSPFetcher)? = nil
    ) async -> Verdict {
        await Self.complete(evaluate(prepared: chain, staple: staple, at: time), fetcher: fetcher)
    }

    private static func complete(_ evaluation: Evaluation, fetcher: (any OCSPFetcher)?) async -> Verdict {
        switch evaluation {
        case .decided(let verdict): return verdict
        case .needsFetch(let pending): return await pending.complete(using: fetcher)
        }
    }

    /// The verification proper, on a chain whose links were checked when it was prepared.
    func evaluateUncached(_ prepared: PreparedChain, staple: [UInt8]?, at date: Date) -> Evaluation {
        let chain = prepared.certificates
        let leaf = chain[0]
        let time = date.epochSeconds
        var log = VerdictLog()
        log.staple = StapleReport(present: staple != nil, size: staple?.count, status: .notChecked)
        log.note(.chain, Self.linkNote(chain.count))
        let mustStaple = MustStapleReport(
            hasTLSFeature: !leaf.tlsFeatureValues.isEmpty,
            features: leaf.tlsFeatureNumbers,
            enforced: policy.stapling && policy.mustStaple
        )
        let policy = self.policy
        let reportOnly = self.reportOnly
        let decide: @Sendable (VerificationError?, VerdictLog) -> Verdict = { error, log in
            var v = Verdict(
                decision: error == nil ? .accepted : .rejected,
                error: error,
                mustStaple: mustStaple,
                staple: log.staple,
                fetches: log.fetches,
                warnings: log.warnings,
                trace: log.trace,
                policy: policy,
                time: date
            )
            v.goodStapleWindow = log.goodStapleWindow
            return reportOnly ? v.reportOnly(staple: nil, chainDER: []).verdict : v
        }
        if let error = Self.checkChainRules(chain, time: time, log: &log) {
            return .decided(decide(error, log))
        }
        guard chain.count >= 2 else {
            return .decided(
                decide(
                    VerificationError(
                        .chainIncomplete,
                        "only the end-entity was given: its issuer is needed to check a staple"
                    ),
                    log
                )
            )
        }
        let checker = RevocationChecker(
            policy: policy,
            cache: cache,
            context: prepared.issuerContext!,
            time: time,
            endsInBuiltInRoot: builtInRoots.contains(prepared.der[prepared.der.count - 1]),
            target: target
        )
        switch checker.start(staple: staple, log: &log) {
        case .done(let error):
            // A must-staple certificate without a staple under requireStaple: Firefox's own name
            // for the outcome (firefox-policy §1.3) is better than ours.
            if error?.code == .stapleRequired,
                let tlsFeatureError = Self.mustStapleCheck(leaf, staple: staple, policy: policy, log: &log)
            {
                return .decided(decide(tlsFeatureError, log))
            }
            return .decided(decide(error ?? Self.mustStapleCheck(leaf, staple: staple, policy: policy, log: &log), log))
        case .fetch(let context):
            return .needsFetch(
                PendingVerification(checker: checker, context: context, log: log, staple: staple, decide: decide)
            )
        }
    }

    static func checkLength(_ count: Int) throws(StapleVerifierError) {
        guard count <= maximumChainLength else {
            throw StapleVerifierError(
                .chainTooLong,
                "the chain has \(count) certificates; at most \(maximumChainLength) are read (mozpkix: 1 end-entity, 6 sub-CAs, 1 root)"
            )
        }
    }

    /// "N certificate(s) link by name and signature", made once for the usual lengths.
    private static let linkNotes = (0...8).map { "\($0) certificate(s) link by name and signature" }
    static func linkNote(_ count: Int) -> String {
        count < linkNotes.count ? linkNotes[count] : "\(count) certificate(s) link by name and signature"
    }

    /// Neighbours must link: the issuer's subject is the subject's issuer, byte for byte, and the
    /// issuer's key verifies the subject's signature. Says which link does not.
    static func checkLinks(_ chain: [ParsedCertificate]) throws(StapleVerifierError) {
        for i in 0..<max(chain.count - 1, 0) {
            let subject = chain[i]
            let issuer = chain[i + 1]
            guard subject.issuerDER.elementsEqual(issuer.subjectDER) else {
                throw StapleVerifierError(
                    .chainDoesNotLink,
                    "the chain does not link: certificate \(i + 1) (\(subject.subjectSummary)) names issuer \((try? DistinguishedName(derEncoded: DER.parse(subject.issuerDER)))?.description ?? "?"), but certificate \(i + 2) is \(issuer.subjectSummary)"
                )
            }
            guard issuer.signatureVerifies(on: subject) else {
                throw StapleVerifierError(
                    .chainDoesNotLink,
                    "the chain does not link: certificate \(i + 1) (\(subject.subjectSummary)): its signature does not verify with the key of certificate \(i + 2) (\(issuer.subjectSummary))"
                )
            }
        }
    }

    /// firefox-policy §1.1 and §1.2 on every certificate and link, then validity at `time` (path building).
    static func checkChainRules(
        _ chain: [ParsedCertificate],
        time: EpochSeconds,
        log: inout VerdictLog
    ) -> VerificationError? {
        do {
            for (i, cert) in chain.enumerated() {
                try TLSFeatureRules.checkDecodable(cert, position: "certificate \(i + 1) (\(cert.subjectSummary))")
            }
            for i in 0..<max(chain.count - 1, 0) {
                try TLSFeatureRules.checkInheritance(
                    subject: chain[i],
                    issuer: chain[i + 1],
                    link: "certificate \(i + 1) ← certificate \(i + 2)"
                )
            }
        } catch {
            log.note(.tlsFeature, error.description)
            return error
        }
        for (i, cert) in chain.enumerated() {
            // Built only for a message: the subject's rendering is costly.
            var who: String { i == 0 ? "the end-entity" : "issuer certificate \(i + 1) (\(cert.subjectSummary))" }
            if time < cert.notBefore {
                return VerificationError(
                    i == 0 ? .notYetValidCertificate : .notYetValidIssuerCertificate,
                    "\(who) is not valid before \(Timestamp(cert.notBefore))"
                )
            }
            if time > cert.notAfter {
                return VerificationError(
                    i == 0 ? .expiredCertificate : .expiredIssuerCertificate,
                    "\(who) expired at \(Timestamp(cert.notAfter))"
                )
            }
        }
        return nil
    }

    /// firefox-policy §1.3–§1.4: after revocation succeeded, the end-entity's TLS Feature must be satisfied — when
    /// stapling and must-staple are both on.
    static func mustStapleCheck(
        _ leaf: ParsedCertificate,
        staple: [UInt8]?,
        policy: RevocationPolicy,
        log: inout VerdictLog
    ) -> VerificationError? {
        guard let features = leaf.tlsFeatures else { return nil }
        guard policy.stapling && policy.mustStaple else {
            log.note(.mustStaple, "the certificate has a TLS Feature extension; the policy does not enforce it")
            return nil
        }
        do {
            try TLSFeatureRules.checkSatisfied(features, staplePresent: staple != nil && !log.stapleIgnored)
            log.note(.mustStaple, "status_request required and a staple was present")
            return nil
        } catch {
            log.note(.mustStaple, error.description)
            return error
        }
    }
}

/// A verification waiting for one OCSP fetch. ``bestCase`` is the verdict if the responder answered
/// Good: when even that is a rejection, no fetch can save the connection, and a TLS client may
/// abort the handshake at once.
public struct PendingVerification: Sendable {
    let checker: RevocationChecker
    let context: RevocationChecker.FetchContext
    let log: VerdictLog
    let staple: [UInt8]?
    let decide: @Sendable (VerificationError?, VerdictLog) -> Verdict

    /// The request to send.
    public var request: OCSPFetchRequest { context.request }

    /// The verdict if the fetch yields a Good answer. When it rejects, any answer rejects: a TLS
    /// client may refuse the handshake at once, and still fetch to learn the error Firefox gives
    /// (firefox-policy §1.4, §9: revocation is checked before must-staple, so a Revoked answer
    /// names the rejection).
    public var bestCase: Verdict {
        var log = log
        log.note(.fetch, "no request sent yet; assuming the responder answers Good")
        return decide(
            StapleEngine.mustStapleCheck(checker.endEntity, staple: staple, policy: checker.policy, log: &log),
            log
        )
    }

    /// Decides with the fetched answer.
    public func complete(with result: OCSPFetchResult, details: OCSPFetchDetails = OCSPFetchDetails()) -> Verdict {
        var log = log
        // The trace tells of a request only once it was made (or, without a fetcher, that it was not).
        let request = context.request
        if case .failed(.noFetcher) = result {
            log.note(.fetch, "no OCSP fetcher is configured: no request was sent to \(request.url)")
        } else {
            log.note(
                .fetch,
                "POST \(request.body.count) bytes to \(request.url) (timeout \(request.timeoutMilliseconds) ms)"
            )
        }
        let error =
            checker.finish(context, result: result, details: details, log: &log)
            ?? StapleEngine.mustStapleCheck(checker.endEntity, staple: staple, policy: checker.policy, log: &log)
        return decide(error, log)
    }

    /// Fetches with `fetcher` (nil: no fetcher, an unreachable responder) and decides.
    public func complete(using fetcher: (any OCSPFetcher)?) async -> Verdict {
        guard let fetcher else { return complete(with: .failed(.noFetcher)) }
        let (result, details) = await fetcher.fetchWithDetails(context.request)
        return complete(with: result, details: details)
    }
}
