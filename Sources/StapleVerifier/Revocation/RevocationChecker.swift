/// Firefox's `CheckRevocationByOCSP` for the end-entity (firefox-policy §2.3–§2.7, §9):
/// staple → cache → (no-fetch cases) → fetch, with the staple treatments of ``RevocationPolicy``.
///
/// It is split at the only point that needs I/O: ``start(staple:log:)`` decides everything local
/// and either finishes or returns a ``FetchContext``; ``finish(_:result:log:)`` takes the fetched
/// answer. A TLS handshake callback can run the first half synchronously.
struct RevocationChecker: Sendable {
    let policy: RevocationPolicy
    let cache: OCSPCache
    let endEntity: ParsedCertificate
    let issuer: ParsedCertificate
    let time: EpochSeconds
    /// What is reused from one verification to the next for this end-entity and issuer.
    let context: IssuerContext
    /// The chain's last certificate is one of the engine's built-in roots (firefox-policy §2.5 (d)).
    let endsInBuiltInRoot: Bool
    /// The target this verification is for, named in what it stores in the cache (``StapleEngine/target``).
    let target: String?

    init(
        policy: RevocationPolicy,
        cache: OCSPCache,
        context: IssuerContext,
        time: EpochSeconds,
        endsInBuiltInRoot: Bool = false,
        target: String? = nil
    ) {
        self.policy = policy
        self.endsInBuiltInRoot = endsInBuiltInRoot
        self.target = target
        self.cache = cache
        self.endEntity = context.endEntity
        self.issuer = context.issuer
        self.time = time
        self.context = context
    }

    init(
        policy: RevocationPolicy,
        cache: OCSPCache,
        endEntity: ParsedCertificate,
        issuer: ParsedCertificate,
        time: EpochSeconds
    ) {
        self.init(
            policy: policy,
            cache: cache,
            context: IssuerContext(endEntity: endEntity, issuer: issuer),
            time: time
        )
    }

    /// Everything the fetch step needs, carried across the await.
    struct FetchContext: Sendable {
        let request: OCSPFetchRequest
        /// The cached result that allowed the fetch: none, Unknown, or OLD_RESPONSE (firefox-policy §2.7).
        let cached: VerificationError.Code?
        /// The error of a tolerated staple (treatment `fallback`), returned if nothing better comes.
        let stapledError: VerificationError?
    }

    enum Step: Sendable {
        case done(VerificationError?)
        case fetch(FetchContext)
    }

    var cacheKey: [UInt8] { context.ocspCacheKey }

    var responseVerifier: OCSPResponseVerifier {
        OCSPResponseVerifier(context: context, time: time, policy: policy)
    }

    /// Steps A–D, and the preparation of E.
    func start(staple: [UInt8]?, log: inout VerdictLog) -> Step {
        // firefox-policy §2.2 step 3: the AIA is read first; an unusable one is a hard failure whatever the staple.
        let location: String?
        switch context.ocspLocation {
        case .success(let found): location = found
        case .failure(let error): return .done(error)
        }

        // Step A — the staple (firefox-policy §2.3).
        var stapledError: VerificationError?
        if !policy.stapling {
            log.staple.status = .notChecked
            if staple != nil { log.note(.staple, "stapling is off in this policy: the staple is not looked at") }
        } else if let staple {
            let outcome = responseVerifier.verify(staple)
            log.record(staple: outcome, size: staple.count)
            if outcome.error == nil {
                log.note(.staple, "Good and fresh (valid through \(Timestamp(outcome.validThrough!)))")
                cachePut(outcome, origin: origin("stapled by"))
                var window = (outcome.thisUpdate! - EpochSeconds(policy.slopSeconds))...outcome.validThrough!
                if let signer = outcome.signerValidity { window = window.clamped(to: signer) }
                log.goodStapleWindow = window
                return .done(nil)
            }
            let error = outcome.error!
            let treatment: StapleTreatment?
            if error.code == .ocspOldResponse || outcome.expired {
                log.staple.status = .expired
                treatment = policy.expiredStaple
            } else {
                log.staple.status = .invalid
                switch error.code {
                case .ocspTryServerLater: treatment = policy.tryLater
                case .ocspInvalidSigningCert: treatment = policy.invalidSigner
                case .ocspResponseForCertMissing: treatment = policy.wrongCertificate
                default: treatment = nil
                }
            }
            // Only fresh Good/Revoked/Unknown staples are cached (firefox-policy §2.3 notes).
            if !outcome.expired { cachePut(outcome, origin: origin("stapled by")) }
            switch treatment {
            case nil:
                log.note(.staple, "\(error.code.name): fatal for a staple (§2.3), no fetch")
                return .done(error)
            case .fail?:
                log.note(.staple, "\(error.code.name): the policy fails such a staple at once")
                return .done(error)
            case .accept?:
                log.warn("the staple failed with \(error.code.name) and was accepted by policy (treatment accept)")
                log.note(.staple, "\(error.code.name): accepted by policy, with a warning")
                return .done(nil)
            case .ignore?:
                log.note(.staple, "\(error.code.name): ignored by policy, as if no staple had been sent")
                log.stapleIgnored = true
            case .fallback?:
                log.note(.staple, "\(error.code.name): tolerated (§2.3); remembered, going on to the cache and a fetch")
                stapledError = error
            }
        } else {
            log.staple.status = .none
            log.note(.staple, "none sent")
        }

        // Ours: the operator's strict mode needs a fresh Good staple (docs/CONTRACT.md).
        if policy.requireStaple {
            let error =
                stapledError
                ?? VerificationError(
                    .stapleRequired,
                    "the policy requires a fresh Good staple and \(log.stapleIgnored ? "the staple was ignored" : "none was sent")"
                )
            log.note(.policy, "requireStaple: no fresh Good staple → \(error.code.name)")
            return .done(error)
        }

        // Step B — the cache (firefox-policy §2.4).
        var cached: VerificationError.Code?
        var cachedEntry: OCSPCache.Entry?
        func fromCache(_ result: VerificationResult, _ status: CertStatus? = nil) {
            log.fetches.append(
                FetchRecord(
                    url: location ?? "",
                    requestBytes: 0,
                    outcome: .cache,
                    result: result,
                    certStatus: status,
                    fromCache: true,
                    origin: cachedEntry?.origin
                )
            )
        }
        cachedEntry = cache.get(cacheKey)
        if let entry = cachedEntry {
            let from = entry.origin.map { ", \($0)" } ?? ""
            switch entry.result {
            case nil where entry.validThrough >= time:
                log.note(
                    .cache,
                    "a fresh Good answer is cached (valid through \(Timestamp(entry.validThrough))\(from))"
                )
                fromCache(.success, .good)
                return .done(nil)
            case .revokedCertificate?:
                log.note(.cache, "a Revoked answer is cached (revocation is sticky\(from))")
                fromCache(.failure(.revokedCertificate), .revoked)
                return .done(
                    VerificationError(.revokedCertificate, "a cached OCSP answer says the certificate is revoked")
                )
            case nil:
                cached = .ocspOldResponse
                log.note(.cache, "the cached Good answer is stale: treated as OLD_RESPONSE")
            case .ocspOldResponse?:
                // A fetched response that had expired is cached as OLD_RESPONSE (for 5 minutes), but
                // like a stale Good it does not stop the next fetch: Firefox exempts UNKNOWN_CERT
                // and OLD_RESPONSE from the cached-failure rule (CheckRevocationByOCSP; firefox-policy §8.2 counts
                // 2 requests for an expired fetched answer).
                cached = .ocspOldResponse
                log.note(.cache, "an expired OCSP answer is cached (OLD_RESPONSE): a fetch may bring a newer one")
            case .ocspUnknownCert?:
                cached = .ocspUnknownCert
                log.note(.cache, "an Unknown answer is cached")
            case let code? where entry.validThrough >= time:
                log.note(.cache, "a failure (\(code.name)) is cached until \(Timestamp(entry.validThrough)): no fetch")
                fromCache(.failure(code))
                return .done(
                    handleFailure(
                        cached: nil,
                        stapled: stapledError,
                        error: VerificationError(code, "cached OCSP failure"),
                        log: &log
                    )
                )
            case let code?:
                log.note(.cache, "a cached failure (\(code.name)) has expired: ignored")
            }
        }

        // Step C — no fetch: fetching off, or a short-lived certificate (firefox-policy §2.5, §5.4).
        let lifetime = endEntity.notAfter - endEntity.notBefore
        let shortLived = lifetime < EpochSeconds(policy.shortLivedDays) * 86_400
        if policy.fetch == .off || shortLived {
            log.note(
                shortLived ? .fetch : .policy,
                shortLived
                    ? "short-lived certificate (\(lifetime / 86_400) days < \(policy.shortLivedDays)): never fetched for"
                    : "fetching is off"
            )
            if cached == .ocspUnknownCert {
                return .done(VerificationError(.ocspUnknownCert, "a cached OCSP answer says Unknown"))
            }
            if policy.fetch == .hard && cached == .ocspOldResponse {
                return .done(VerificationError(.ocspOldResponse, "the cached Good answer is stale"))
            }
            if let stapledError {
                // Firefox ignores a remembered staple error here (source TODO, firefox-policy §1.6): we do the same
                // and say so.
                log.warn(
                    "the staple's \(stapledError.code.name) was tolerated without a fetch (Firefox does this when it does not fetch)"
                )
            }
            return .done(nil)
        }

        // Step C (d) — CRLite in Enforce mode, soft-fail fetching and a built-in root: Firefox leaves
        // revocation to CRLite and makes no fetch, even for a certificate CRLite does not cover
        // (firefox-policy §2.5 (d), §5.6). Without CRLite's filters, every certificate is one it does
        // not cover.
        if policy.crlite == .enforce && policy.fetch == .soft && endsInBuiltInRoot {
            log.note(
                .fetch,
                "the chain ends in a built-in root and CRLite is in Enforce mode: no OCSP fetch (§2.5 (d)); CRLite's own answer is not available here"
            )
            log.warn(
                stapledError.map {
                    "the staple's \($0.code.name) was tolerated without a fetch: Firefox leaves a built-in root's chain to CRLite, whose filters this tool does not have"
                }
                    ?? "revocation was not checked: Firefox leaves a built-in root's chain to CRLite, whose filters this tool does not have"
            )
            return .done(nil)
        }

        // Step D — no OCSP URI (firefox-policy §2.6).
        guard let location else {
            log.note(.fetch, "the certificate names no OCSP responder")
            if cached == .ocspUnknownCert {
                return .done(VerificationError(.ocspUnknownCert, "a cached OCSP answer says Unknown"))
            }
            if cached == .ocspOldResponse {
                return .done(VerificationError(.ocspOldResponse, "the cached Good answer is stale"))
            }
            return .done(stapledError)
        }

        // Step E — prepare the fetch (firefox-policy §2.7 step 1, firefox-policy §5.2).
        do {
            let url = try OCSPURL(location)
            let body = try OCSPRequest.encode(
                issuerNameDER: endEntity.issuerDER,
                issuerKeyBits: issuer.publicKeyBits,
                serial: endEntity.serial
            )
            return .fetch(
                FetchContext(
                    request: OCSPFetchRequest(url: url, body: body, timeoutMilliseconds: policy.fetchTimeoutMs),
                    cached: cached,
                    stapledError: stapledError
                )
            )
        } catch {
            log.note(.fetch, "cannot build the request: \(error)")
            return .done(error)
        }
    }

    /// Step E — the fetched answer (firefox-policy §2.7 steps 2–3).
    func finish(
        _ context: FetchContext,
        result: OCSPFetchResult,
        details: OCSPFetchDetails = OCSPFetchDetails(),
        log: inout VerdictLog
    ) -> VerificationError? {
        let url = context.request.url.text
        switch result {
        case .failed(let failure):
            // Every failure is SERVER_ERROR, except a body too large for mozpkix `Input`, which
            // SynchronousCheckRevocationWithServer turns into MALFORMED_RESPONSE ("too big") — on
            // the same failure path (cached 5 minutes, HandleOCSPFailure).
            let code: VerificationError.Code =
                if case .bodyTooLarge = failure { .ocspMalformedResponse } else { .ocspServerError }
            let error = VerificationError(code, "OCSP fetch from \(url) failed: \(failure)")
            cache.put(
                cacheKey,
                result: code,
                thisUpdate: time,
                validThrough: time + OCSPCache.negativeCachingSeconds,
                origin: details.origin ?? origin("fetched for")
            )
            log.fetches.append(
                FetchRecord(
                    url: url,
                    requestBytes: context.request.body.count,
                    outcome: .failed(failure),
                    result: .failure(error.code),
                    httpStatus: details.httpStatus,
                    durationMs: details.durationMilliseconds,
                    origin: details.origin
                )
            )
            log.note(.fetch, "\(url): \(failure) → \(error.code.name) (cached for 5 minutes)")
            return handleFailure(cached: context.cached, stapled: context.stapledError, error: error, log: &log)
        case .response(let body):
            var outcome = responseVerifier.verify(body)
            if body.isEmpty {
                outcome.error = VerificationError(
                    .ocspMalformedResponse,
                    "the responder answered HTTP 200 with an empty body"
                )
            }
            // Every network result is cached; failures for 5 minutes (firefox-policy §5.3).
            if outcome.error == nil || outcome.error?.code == .revokedCertificate
                || outcome.error?.code == .ocspUnknownCert
            {
                cachePut(outcome, origin: details.origin ?? origin("fetched for"))
            } else {
                // thisUpdate as Firefox stores it: the response's own when it got that far (an
                // expired answer), else mozpkix's uninitialized time, the oldest there is — so a
                // later Good answer replaces the entry (firefox-policy §5.3 put rules).
                cache.put(
                    cacheKey,
                    result: outcome.error!.code,
                    thisUpdate: outcome.thisUpdate ?? .min,
                    validThrough: time + OCSPCache.negativeCachingSeconds,
                    origin: details.origin ?? origin("fetched for")
                )
            }
            let result = VerificationResult(outcome.error)
            log.fetches.append(
                FetchRecord(
                    url: url,
                    requestBytes: context.request.body.count,
                    outcome: .response,
                    result: result,
                    certStatus: outcome.certStatus,
                    httpStatus: details.httpStatus ?? 200,
                    durationMs: details.durationMilliseconds,
                    origin: details.origin
                )
            )
            log.note(.fetch, "\(url): \(result)")
            guard let error = outcome.error else { return nil }
            if policy.fetch == .hard { return error }
            if error.code == .ocspUnknownCert || error.code == .revokedCertificate { return error }
            if let stapled = context.stapledError { return stapled }
            log.warn("the fetched OCSP response failed with \(error.code.name); revocation checking soft-fails")
            return nil
        }
    }

    /// `HandleOCSPFailure` (firefox-policy §2.7).
    private func handleFailure(
        cached: VerificationError.Code?,
        stapled: VerificationError?,
        error: VerificationError,
        log: inout VerdictLog
    ) -> VerificationError? {
        if policy.fetch == .hard { return error }
        if cached == .ocspUnknownCert {
            return VerificationError(.ocspUnknownCert, "a cached OCSP answer says Unknown")
        }
        if let stapled { return stapled }
        log.warn("no OCSP answer could be had (\(error.code.name)); revocation checking soft-fails")
        return nil
    }

    /// "stapled by TARGET at T" for what this verification stores, when it knows its target.
    private func origin(_ how: String) -> String? {
        target.map { "\(how) \($0) at \(Timestamp(time))" }
    }

    /// Caches a verified Good, Revoked or Unknown answer with its validThrough.
    private func cachePut(_ outcome: OCSPResponseVerifier.Outcome, origin: String?) {
        guard let thisUpdate = outcome.thisUpdate, let validThrough = outcome.validThrough,
            let status = outcome.certStatus
        else { return }
        let code: VerificationError.Code? =
            switch status {
            case .good: nil
            case .revoked: .revokedCertificate
            case .unknown: .ocspUnknownCert
            }
        cache.put(cacheKey, result: code, thisUpdate: thisUpdate, validThrough: validThrough, origin: origin)
    }

    /// The first OCSP URI of the AIA extension (firefox-policy §2.2 step 3: Firefox takes the first; NSS the last).
    /// An AIA that does not decode, or a URI over 1024 bytes or with a NUL, is a hard failure.
    static func ocspLocation(of cert: ParsedCertificate) throws(VerificationError) -> String? {
        let aia: AuthorityInformationAccessView?
        do { aia = try AuthorityInformationAccessView(cert) } catch {
            throw VerificationError(
                .certBadAccessLocation,
                "the authorityInfoAccess extension does not decode: \(error)"
            )
        }
        guard let uri = aia?.firstOCSPURI else { return nil }
        guard uri.utf8.count <= OCSPURL.maximumLength, !uri.utf8.contains(0) else {
            throw VerificationError(
                .certBadAccessLocation,
                "the OCSP URI is longer than \(OCSPURL.maximumLength) bytes or contains NUL"
            )
        }
        return uri
    }
}
