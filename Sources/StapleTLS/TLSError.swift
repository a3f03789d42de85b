import StapleVerifier

/// Why a TLS connection could not be checked, or was refused: a stable ``Code`` (the name that
/// leaves the process — CLI, JSON), a human reason, and the facts OpenSSL gave (its verify result,
/// the alerts on the wire, its error queue).
///
/// Two errors are equal when their codes are equal (as the engine's `VerificationError`).
public struct TLSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable identity of an error. The list is append-only: a code that has left the process keeps its name.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// What the failure says about the server: ``Category``.
        public let category: Category

        init(_ name: String, _ category: Category) {
            self.name = name
            self.category = category
        }

        public var description: String { name }

        /// The certificate does not name the host we asked for (X509_V_ERR_HOSTNAME_MISMATCH and friends).
        public static let hostnameMismatch = Code("hostnameMismatch", .certificate)
        /// No path from the server's certificate to a trust anchor of the trust store.
        public static let untrustedRoot = Code("untrustedRoot", .certificate)
        /// A certificate of the chain has expired at the verification time.
        public static let certificateExpired = Code("certificateExpired", .certificate)
        /// Any other path-validation failure; the reason is OpenSSL's `X509_verify_cert_error_string`.
        public static let verifyFailed = Code("verifyFailed", .certificate)
        /// The engine's verdict rejected the connection (``TLSError/verdict`` says why).
        public static let rejectedByPolicy = Code("rejectedByPolicy", .certificate)
        /// The engine could not read the chain at all (a `StapleVerifierError`).
        public static let unusableChain = Code("unusableChain", .certificate)
        /// OpenSSL refused the stapled response before the engine could see it: empty (OpenSSL 3.0
        /// cannot hold a zero-length staple) or over its 16 KiB limit for TLS 1.2's CertificateStatus.
        /// The engine would reject either (an empty or oversized staple is malformed, firefox-policy §2.3).
        public static let stapleUnreadable = Code("stapleUnreadable", .certificate)
        /// The handshake did not finish within the configured time.
        public static let handshakeTimeout = Code("handshakeTimeout", .transport)
        /// The TCP connection did not come up within the configured time.
        public static let connectTimeout = Code("connectTimeout", .transport)
        /// The peer closed the connection before the handshake finished.
        public static let connectionClosedDuringHandshake = Code("connectionClosedDuringHandshake", .transport)
        /// Nothing listens at the address.
        public static let connectionRefused = Code("connectionRefused", .transport)
        /// Any other failure to connect (name resolution, unreachable network, …).
        public static let connectionFailed = Code("connectionFailed", .transport)
        /// The TLS protocol failed; the reason is the OpenSSL error queue and the alert, if any.
        public static let protocolError = Code("protocolError", .transport)
        /// The connection ended after the handshake without a close_notify.
        public static let uncleanShutdown = Code("uncleanShutdown", .transport)
        /// The configuration cannot be used (unreadable CA file, bad ALPN name, …).
        public static let invalidConfiguration = Code("invalidConfiguration", .configuration)
        /// The server's chain is longer than ``TLSClientConfiguration/maximumChainLength`` (OpenSSL's
        /// verify depth) or than the engine reads (`StapleEngine/maximumChainLength`).
        public static let chainTooLong = Code("chainTooLong", .certificate)
        /// After the handshake the server asked to renegotiate (TLS 1.2 HelloRequest), which we
        /// refuse, and it then ended the connection.
        public static let renegotiationRefused = Code("renegotiationRefused", .transport)

        /// Every code, in the order above (append-only).
        public static let all: [Code] = [
            .hostnameMismatch, .untrustedRoot, .certificateExpired, .verifyFailed, .rejectedByPolicy,
            .unusableChain, .stapleUnreadable, .handshakeTimeout, .connectTimeout, .connectionClosedDuringHandshake,
            .connectionRefused, .connectionFailed, .protocolError, .uncleanShutdown, .invalidConfiguration,
            .chainTooLong, .renegotiationRefused,
        ]
    }

    /// What an error says about the endpoint; the exit status follows from it (`ExitStatus`).
    public enum Category: String, Hashable, Sendable, Codable {
        /// The server was reached and its certificate or staple was refused: exit 1.
        case certificate
        /// The connection or the handshake could not be completed: exit 3.
        case transport
        /// Our own inputs are unusable: exit 2.
        case configuration

        package var exitCode: Int32 {
            switch self {
            case .certificate: return ExitStatus.rejected
            case .transport: return ExitStatus.couldNotEvaluate
            case .configuration: return ExitStatus.usage
            }
        }
    }

    public let code: Code
    public let reason: String
    /// For ``Code/rejectedByPolicy``: the engine's verdict.
    public package(set) var verdict: Verdict?
    /// OpenSSL's verify result (`X509_V_ERR_…`), when path validation failed.
    public package(set) var verifyResult: Int?
    /// The alert we sent, if any (113 `bad_certificate_status_response` for a rejected staple).
    public package(set) var alertSent: TLSAlert?
    /// The alert the peer sent, if any.
    public package(set) var alertReceived: TLSAlert?
    /// OpenSSL's error queue at the failure, one line per entry.
    public package(set) var openSSLErrors: [String]
    /// What was known of the handshake when it failed (chain, staple, timings).
    public package(set) var handshake: HandshakeReport?

    package init(
        _ code: Code,
        _ reason: String,
        verdict: Verdict? = nil,
        verifyResult: Int? = nil,
        alertSent: TLSAlert? = nil,
        alertReceived: TLSAlert? = nil,
        openSSLErrors: [String] = [],
        handshake: HandshakeReport? = nil
    ) {
        self.code = code
        self.reason = reason
        self.verdict = verdict
        self.verifyResult = verifyResult
        self.alertSent = alertSent
        self.alertReceived = alertReceived
        self.openSSLErrors = openSSLErrors
        self.handshake = handshake
    }

    public var description: String { "\(code.name): \(reason)" }

    public static func == (lhs: TLSError, rhs: TLSError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension TLSError: Encodable {
    enum CodingKeys: String, CodingKey {
        case name, category, message, verdictError, verifyResult, alertSent, alertReceived, openSSLErrors
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code.name, forKey: .name)
        try c.encode(code.category, forKey: .category)
        try c.encode(reason, forKey: .message)
        try c.encodeIfPresent(verdict?.error, forKey: .verdictError)
        try c.encodeIfPresent(verifyResult, forKey: .verifyResult)
        try c.encodeIfPresent(alertSent, forKey: .alertSent)
        try c.encodeIfPresent(alertReceived, forKey: .alertReceived)
        try c.encode(openSSLErrors, forKey: .openSSLErrors)
    }
}

extension TLSError {
    /// The engine could not evaluate the chain: too long (``Code/chainTooLong``), or unreadable or
    /// unlinked (``Code/unusableChain``).
    static func unusable(
        _ error: StapleVerifierError,
        note: String = "",
        handshake: HandshakeReport? = nil,
        alertSent: TLSAlert? = nil,
        alertReceived: TLSAlert? = nil,
        openSSLErrors: [String] = []
    ) -> TLSError {
        let code: Code = error.kind == .chainTooLong ? .chainTooLong : .unusableChain
        return TLSError(
            code,
            "the engine cannot read the chain: \(error.reason)\(note)",
            alertSent: alertSent,
            alertReceived: alertReceived,
            openSSLErrors: openSSLErrors,
            handshake: handshake
        )
    }
}
