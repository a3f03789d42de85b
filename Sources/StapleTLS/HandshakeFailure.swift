import StapleVerifier

/// Turns a failed `SSL_do_handshake` into a precise ``TLSError``: our own rejection first (we
/// know why we aborted), then OpenSSL's path validation, then what OpenSSL said about the staple,
/// then the protocol error as OpenSSL's queue and the alerts tell it.
enum HandshakeFailure {
    static func classify(
        _ failure: SSLFailure,
        verification: HandshakeVerification,
        serverName: String?,
        alertsSent: [TLSAlert],
        alertsReceived: [TLSAlert],
        protocolVersion: String,
        maximumChainLength: Int
    ) -> TLSError {
        let sent = alertsSent.last
        let received = alertsReceived.last
        let queue = failure.errors.map(\.description)
        func error(
            _ code: TLSError.Code,
            _ reason: String,
            verdict: Verdict? = nil,
            verifyResult: Int? = nil
        ) -> TLSError {
            TLSError(
                code,
                reason,
                verdict: verdict,
                verifyResult: verifyResult,
                alertSent: sent,
                alertReceived: received,
                openSSLErrors: queue
            )
        }
        let alertNote = sent.map { "; alert \($0) sent" } ?? ""
        func sentence(_ text: String) -> String { text.hasSuffix(".") ? String(text.dropLast()) : text }

        switch verification.abort {
        case .staple(let verdict)?, .certificate(let verdict)?:
            return error(.rejectedByPolicy, "\(sentence(verdict.explanation))\(alertNote)", verdict: verdict)
        case .unusable(let engineError)?:
            return .unusable(
                engineError,
                note: alertNote,
                alertSent: sent,
                alertReceived: received,
                openSSLErrors: queue
            )
        case .nameMismatch(let x509Error, let verdict)?:
            return error(
                .hostnameMismatch,
                "\(nameMismatchReason(serverName: serverName, x509Error: x509Error))\(alertNote)",
                verdict: verdict,
                verifyResult: Int(x509Error)
            )
        case nil:
            break
        }

        let verifyResult = Int32(failure.verifyResult)
        if verifyResult != X509Errors.ok {
            let text = SSLConnection.verifyErrorString(failure.verifyResult)
            let at = verification.pathFailure.map { " (certificate at depth \($0.depth): \($0.subject))" } ?? ""
            let code: TLSError.Code
            let reason: String
            switch verifyResult {
            case X509Errors.hostnameMismatch, X509Errors.ipAddressMismatch:
                code = .hostnameMismatch
                reason = nameMismatchReason(serverName: serverName, x509Error: verifyResult)
            case X509Errors.certChainTooLong:
                code = .chainTooLong
                reason =
                    "the chain is longer than the \(maximumChainLength) certificates allowed, end-entity and trust anchor included (maximumChainLength; OpenSSL: \(text))"
            case X509Errors.certHasExpired:
                code = .certificateExpired
                reason = "\(text) at the verification time \(TimeText.iso8601(verification.time))\(at)"
            case let e where X509Errors.untrusted.contains(e):
                code = .untrustedRoot
                reason = "no path to a trusted root: \(text)\(at)"
            default:
                code = .verifyFailed
                reason = "\(text)\(at)"
            }
            return error(code, "\(reason)\(alertNote)", verifyResult: failure.verifyResult)
        }

        // What OpenSSL refused before the status callback could run (facts about OpenSSL 3.0).
        if failure.errors.contains(where: {
            $0.function == "tls_process_cert_status_body" && $0.reason == OpenSSLReasons.mallocFailure
        }) {
            return error(
                .stapleUnreadable,
                "the server stapled an empty OCSP response; OpenSSL 3.0 cannot hold a zero-length staple and aborted the handshake (for the engine an empty staple is present and malformed: SEC_ERROR_OCSP_MALFORMED_RESPONSE)\(alertNote)"
            )
        }
        if failure.errors.contains(where: { $0.reason == OpenSSLReasons.excessiveMessageSize }) {
            if failure.stage == .readingCertificateStatus {
                return error(
                    .stapleUnreadable,
                    "the stapled OCSP response is larger than OpenSSL accepts in a TLS 1.2 CertificateStatus message (16 KiB); the engine would refuse it too (over 64 KiB, or malformed)\(alertNote)"
                )
            }
            let what =
                failure.stage == .readingCertificate
                ? "Certificate message (the chain, and in TLS 1.3 the staple) is larger than OpenSSL accepts (100 KiB)"
                : "handshake message is larger than OpenSSL accepts"
            return error(.protocolError, "the server's \(what)\(alertNote)")
        }

        if received == nil, failure.errors.contains(where: { $0.reason == OpenSSLReasons.wrongVersionNumber }) {
            return error(
                .protocolError,
                "not a TLS server: its answer is not a TLS record (it answered in plain HTTP, or another protocol?)"
            )
        }
        if let received, received != .closeNotify {
            return error(
                .protocolError,
                "the server sent alert \(received) (\(protocolVersion), state '\(failure.state)')"
            )
        }
        let first = failure.errors.first?.text ?? "SSL_get_error \(failure.sslError)"
        return error(.protocolError, "\(first) (state '\(failure.state)')\(alertNote)")
    }

    /// A certificate that does not name the server, checked after the verdict (firefox-policy §1.4).
    static func nameMismatchReason(serverName: String?, x509Error: Int32) -> String {
        let text = SSLConnection.verifyErrorString(Int(x509Error))
        return "the certificate is not valid for \(serverName.map { "'\($0)'" } ?? "the server name") (\(text))"
    }
}
