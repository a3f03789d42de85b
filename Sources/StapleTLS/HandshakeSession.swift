import Foundation
import NIOCore
import StapleVerifier

/// One handshake in progress: the OpenSSL connection, the engine's verification, the deadline and
/// what the report needs. It exists in ``StapleClientHandler``'s handshaking and awaiting-verdict
/// states only, so nothing of it can be read in a state where it means nothing.
final class HandshakeSession {
    let connection: SSLConnection
    let verification: HandshakeVerification
    let serverName: String?
    let requestStaple: Bool
    let started = ContinuousClock.now
    /// The handshake timeout (moved once for an OCSP fetch: `allowTimeForFetch`).
    var timeout: Scheduled<Void>?
    var deadline: NIODeadline
    /// Bytes received before the verdict (for the timeout's message).
    var bytesReceived = 0
    /// How long the OCSP fetch took, once it answered.
    var fetchDuration: Duration?
    /// A `read` held back while the verdict waits (backpressure: `StapleClientHandler.read`).
    var readHeld = false

    init(
        connection: SSLConnection,
        verification: HandshakeVerification,
        serverName: String?,
        requestStaple: Bool,
        deadline: NIODeadline
    ) {
        self.connection = connection
        self.verification = verification
        self.serverName = serverName
        self.requestStaple = requestStaple
        self.deadline = deadline
    }

    /// What is known of the handshake so far.
    func report() -> HandshakeReport {
        // OpenSSL keeps the partial chain it built when path validation fails: report the chain
        // as sent then.
        let verified = verification.pathFailure == nil ? connection.verifiedChain : []
        let chain = verified.isEmpty ? connection.peerChain : verified
        let staple = connection.staple
        var verdict: Verdict?
        switch verification.abort {
        case .staple(let v)?, .certificate(let v)?: verdict = v
        default:
            if case .decided(let v) = verification.outcome { verdict = v }
        }
        let elapsed = ContinuousClock.now - started
        let cipher = connection.cipher
        var report = HandshakeReport(
            serverName: serverName,
            tlsVersion: cipher == nil ? nil : connection.protocolVersion,
            cipher: cipher,
            alpn: connection.negotiatedProtocol,
            chain: chain.compactMap { CertificateSummaryCache.shared.summary(of: $0.der) },
            chainVerified: !verified.isEmpty,
            staple: .init(requested: requestStaple, present: staple != nil, size: staple?.count),
            verdict: verdict,
            alertsSent: connection.alertsSent,
            alertsReceived: connection.alertsReceived,
            verificationTime: verification.time,
            timings: .init(
                handshakeMs: TimeText.milliseconds(elapsed),
                verificationMs: TimeText.milliseconds(verification.engineDuration + (fetchDuration ?? .zero)),
                fetchMs: fetchDuration.map(TimeText.milliseconds)
            )
        )
        report.chainDER = chain.map(\.der)
        report.stapleBytes = staple
        return report
    }
}

extension HandshakeReport {
    /// The report of a connection that failed before its handshake started.
    static func beforeHandshake(serverName: String?, requestStaple: Bool, time: Date) -> HandshakeReport {
        HandshakeReport(
            serverName: serverName,
            tlsVersion: nil,
            cipher: nil,
            alpn: nil,
            chain: [],
            chainVerified: false,
            staple: .init(requested: requestStaple, present: false, size: nil),
            verdict: nil,
            alertsSent: [],
            alertsReceived: [],
            verificationTime: time,
            timings: .init(handshakeMs: 0, verificationMs: 0, fetchMs: nil)
        )
    }
}
