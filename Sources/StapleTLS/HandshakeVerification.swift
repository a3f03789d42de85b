import Foundation
import StapleVerifier

/// The engine inside the handshake: answers OpenSSL's verify and status callbacks for one
/// connection and remembers what it decided.
///
/// 1. Verify callback, end-entity, after OpenSSL's own checks passed (trust, validity; the host
///    name is overruled, below):
///    the engine's *chain* rules (TLS Feature decoding and issuer ⇒ subject inheritance, firefox-policy §1.1–§1.2;
///    an unusable AIA, firefox-policy §2.2) on the verified chain. A failure there is a certificate problem:
///    `X509_V_ERR_CERT_REJECTED`, alert 42 `bad_certificate`.
///    Without `status_request`, the whole verification runs here instead (there is no staple to wait for).
/// 2. Status callback (TLS 1.2 and 1.3, also when no staple came): the whole verification with the
///    staple. A rejection aborts the handshake with alert 113 `bad_certificate_status_response`.
/// 3. A verdict that needs an OCSP fetch is left ``Outcome/pending``: the handler completes the
///    handshake, fetches, and decides before any application byte is written (docs/ARCHITECTURE.md).
///    Even when no answer could save the connection (the best case rejects: a must-staple
///    certificate without a staple), the fetch is made: Firefox checks revocation before
///    must-staple (firefox-policy §1.4, §9), so a Revoked answer names the rejection. Without a
///    fetcher there is nothing to wait for: the no-fetcher answer decides inside the callback.
///
/// The host name comes last, as in Firefox: `CertVerifier::VerifySSLServerCert` builds and checks
/// the path (revocation and must-staple included) before `CheckCertHostname`, so when both fail
/// the engine's error is the one reported (firefox-policy §1.4). OpenSSL checks the name during path
/// validation, before the engine runs; its mismatch is overruled there, remembered in
/// ``nameMismatch``, and turned into a rejection wherever a verdict would accept: in the verify
/// or status callback, or after the handshake (``StapleClientHandler``'s single point of
/// acceptance). Any other path failure, reported after it, still fails the handshake.
final class HandshakeVerification: HandshakeHooks {
    enum Outcome {
        case notRun
        case decided(Verdict)
        case pending(PendingVerification)
        /// The engine could not read the chain.
        case unusable(StapleVerifierError)
    }

    /// Why *we* aborted the handshake (as opposed to OpenSSL).
    enum Abort {
        /// In the verify callback, by the chain rules (or the whole verification without status_request).
        case certificate(Verdict)
        /// In the status callback (alert 113).
        case staple(Verdict)
        case unusable(StapleVerifierError)
        /// The verdict accepts, but the certificate does not name the server:
        /// `X509_V_ERR_HOSTNAME_MISMATCH` or `X509_V_ERR_IP_ADDRESS_MISMATCH`.
        case nameMismatch(Int32, Verdict)
    }

    let verifier: StapleEngine
    let time: Date
    let requestStaple: Bool
    /// A fetcher is configured. Without one a pending fetch's answer is known at once (no request
    /// can be sent), so the verdict is decided inside the callback like any other.
    let canFetch: Bool
    private(set) var outcome: Outcome = .notRun
    private(set) var abort: Abort?
    /// The first failure OpenSSL's path validation reported: depth, `X509_V_ERR_…`, subject.
    private(set) var pathFailure: (depth: Int, error: Int32, subject: String)?
    /// OpenSSL's host name or IP address mismatch, overruled until the verdict is known.
    private(set) var nameMismatch: Int32?
    /// Time spent in the engine during the handshake.
    private(set) var engineDuration: Duration = .zero
    private var chainChecked = false

    init(verifier: StapleEngine, time: Date, requestStaple: Bool, canFetch: Bool) {
        self.verifier = verifier
        self.time = time
        self.requestStaple = requestStaple
        self.canFetch = canFetch
    }

    // MARK: HandshakeHooks

    func verifyCertificate(
        preverifyOK: Bool,
        depth: Int,
        error: Int32,
        certificate: X509Certificate?,
        chain: () -> [X509Certificate]
    ) -> VerifyAnswer {
        guard preverifyOK else {
            if depth == 0, pathFailure == nil, nameMismatch == nil,
                error == X509Errors.hostnameMismatch || error == X509Errors.ipAddressMismatch
            {
                nameMismatch = error
                return .overrule  // decided after the verdict, as Firefox orders it
            }
            if pathFailure == nil { pathFailure = (depth, error, certificate?.subject ?? "?") }
            return .proceed  // OpenSSL's own failure stands
        }
        guard depth == 0, !chainChecked else { return .proceed }
        chainChecked = true
        let chainDER = chain().map(\.der)
        if requestStaple {
            // Step 1: the chain rules only — no staple, no revocation, no shared cache.
            switch run(verifier.chainRulesOnly(), chainDER, staple: nil) {
            case .decided(let verdict) where !verdict.isAccepted:
                abort = .certificate(verdict)
                return .reject(x509Error: Self.x509Error(for: verdict))
            case .unusable(let error):
                abort = .unusable(error)
                return .reject(x509Error: X509Errors.certRejected)
            default:
                return .proceed
            }
        }
        // No status_request: nothing more will come; decide now.
        outcome = run(verifier, chainDER, staple: nil)
        switch outcome {
        case .decided(let verdict) where !verdict.isAccepted:
            abort = .certificate(verdict)
            return .reject(x509Error: Self.x509Error(for: verdict))
        case .unusable(let error):
            abort = .unusable(error)
            return .reject(x509Error: X509Errors.certRejected)
        case .decided(let verdict):
            guard let mismatch = refusedByName(verdict) else { return .proceed }
            return .reject(x509Error: mismatch)
        case .notRun, .pending:
            return .proceed
        }
    }

    func statusReceived(staple: [UInt8]?, verifiedChain: [X509Certificate]) -> StatusAnswer {
        outcome = run(verifier, verifiedChain.map(\.der), staple: staple)
        switch outcome {
        case .decided(let verdict) where !verdict.isAccepted:
            abort = .staple(verdict)
            return .reject
        case .unusable(let error):
            abort = .unusable(error)
            return .internalError
        case .decided(let verdict):
            // The status callback can only refuse with alert 113.
            return refusedByName(verdict) == nil ? .accept : .reject
        case .notRun, .pending:
            return .accept
        }
    }

    /// After the handshake, if no callback decided (fail closed: it should not happen with
    /// status_request, whose callback OpenSSL always runs).
    func evaluateAfterHandshake(chain: [X509Certificate], staple: [UInt8]?) -> Outcome {
        if case .notRun = outcome {
            outcome = run(verifier, chain.map(\.der), staple: staple)
        }
        return outcome
    }

    // MARK: -

    /// An accepting verdict meets the host name last (firefox-policy §1.4): the overruled mismatch, now
    /// noted as the abort, or nil when the name matched.
    private func refusedByName(_ verdict: Verdict) -> Int32? {
        guard let nameMismatch else { return nil }
        abort = .nameMismatch(nameMismatch, verdict)
        return nameMismatch
    }

    private func run(_ verifier: StapleEngine, _ chainDER: [[UInt8]], staple: [UInt8]?) -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        defer { engineDuration += clock.now - start }
        do {
            switch try verifier.evaluate(chainDER: chainDER, staple: staple, at: time) {
            case .decided(let verdict): return .decided(verdict)
            case .needsFetch(let pending) where !canFetch: return .decided(pending.complete(with: .failed(.noFetcher)))
            case .needsFetch(let pending): return .pending(pending)
            }
        } catch {
            return .unusable(error)
        }
    }

    /// The verify error whose alert fits a certificate-level rejection.
    private static func x509Error(for verdict: Verdict) -> Int32 {
        switch verdict.error?.code {
        case .expiredCertificate?, .expiredIssuerCertificate?: return X509Errors.certHasExpired
        case .notYetValidCertificate?, .notYetValidIssuerCertificate?: return X509Errors.certNotYetValid
        case .revokedCertificate?: return X509Errors.certRevoked
        default: return X509Errors.certRejected
        }
    }
}
