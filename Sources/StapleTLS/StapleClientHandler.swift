import Foundation
import Logging
import NIOCore
import StapleVerifier

/// What ``StapleClientHandler`` tells the handlers after it.
public enum StapleTLSEvent: Sendable {
    /// The handshake completed and the engine accepted the connection: application data flows
    /// from now on. Writes made earlier are sent right after this event.
    case handshakeCompleted(HandshakeReport)
}

/// A TLS client on the system OpenSSL for any NIO client pipeline: put it first (closest to the
/// socket). It runs the handshake over memory BIOs, asks for a staple, validates the path to the
/// trust store and the host name, and runs the engine inside the handshake
/// (`HandshakeVerification`). A rejection aborts the handshake with alert 113 (staple) or the
/// alert OpenSSL derives from the certificate error, fires a ``TLSError`` and closes the channel;
/// nothing written by the handlers after it ever reaches the network.
///
/// Writes made before the verdict are held and sent after ``StapleTLSEvent/handshakeCompleted(_:)``.
/// Closing sends close_notify. Errors: ``TLSError`` through `errorCaught`.
public final class StapleClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    enum State {
        /// Added, waiting for the channel to become active.
        case idle
        case handshaking
        /// The handshake is done; the engine waits for an OCSP fetch. Writes are held, reads wait.
        case awaitingVerdict
        /// Accepted: application data flows both ways.
        case active
        /// Our close_notify is sent.
        case closing
        case closed
        case failed
    }

    private let tlsContext: StapleTLSContext
    private let serverName: String?
    private let logger: Logger?
    private var state = State.idle
    private var connection: SSLConnection?
    private var verification: HandshakeVerification?
    private var heldWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var heldFlush = false
    private var unflushedPromises: [EventLoopPromise<Void>] = []
    private var timeout: Scheduled<Void>?
    private var timeoutDeadline: NIODeadline?
    private var handshakeStart: ContinuousClock.Instant?
    private var fetchDuration: Duration?
    private var deliveredData = false
    /// The last write of OpenSSL's own output (handshake, alert, close_notify) not yet on the wire.
    private var lastWrite: EventLoopFuture<Void>?
    /// A `read` held back while the verdict waits (backpressure: see ``read(context:)``).
    private var readHeld = false
    /// Bytes received before the verdict (for the timeout's message).
    private var bytesReceived = 0

    private var configuration: TLSClientConfiguration { tlsContext.configuration }

    /// - Parameters:
    ///   - context: the shared configuration and OpenSSL context.
    ///   - serverName: sent as SNI (for a DNS name) and verified against the certificate (DNS name
    ///     or IP address). nil: no SNI and no name check — only for tests of other things.
    ///   - logger: where the handshake's decisions are logged (debug level); nil: nowhere.
    public init(context: StapleTLSContext, serverName: String?, logger: Logger? = nil) {
        self.tlsContext = context
        self.serverName = serverName
        self.logger = logger
    }

    public convenience init(
        configuration: TLSClientConfiguration,
        serverName: String?,
        logger: Logger? = nil
    ) throws(TLSError) {
        self.init(context: try StapleTLSContext(configuration: configuration), serverName: serverName, logger: logger)
    }

    // MARK: - Lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        timeout?.cancel()
        failHeldWrites(ChannelError.ioOnClosedChannel)
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking, .awaitingVerdict:
            fail(
                context,
                TLSError(
                    .connectionClosedDuringHandshake,
                    "the server closed the connection \(state == .awaitingVerdict ? "before the verdict" : "during the handshake")",
                    alertReceived: connection?.alertsReceived.last,
                    handshake: report()
                )
            )
        case .active:
            context.fireErrorCaught(
                renegotiationRefusal(then: "closed the connection")
                    ?? TLSError(.uncleanShutdown, "the connection ended without close_notify")
            )
        case .closing, .closed, .failed:
            break
        }
        state = .closed
        timeout?.cancel()
        context.fireChannelInactive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard state == .idle else { return }
        let verification = HandshakeVerification(
            verifier: configuration.engine,
            time: configuration.clock(),
            requestStaple: configuration.requestStaple
        )
        do {
            connection = try SSLConnection(
                context: tlsContext.sslContext,
                serverName: serverName,
                applicationProtocols: configuration.applicationProtocols,
                requestStaple: configuration.requestStaple,
                verificationTime: verification.time,
                hooks: verification
            )
        } catch {
            fail(context, error)
            return
        }
        self.verification = verification
        logger?.debug(
            "TLS handshake started",
            metadata: [
                "serverName": "\(serverName ?? "-")",
                "verificationTime": "\(TimeText.iso8601(verification.time))",
            ]
        )
        state = .handshaking
        handshakeStart = ContinuousClock.now
        let limit = configuration.handshakeTimeout
        timeoutDeadline = .now() + TimeAmount(limit)
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limit)) { [self] in
            let what =
                state == .awaitingVerdict
                ? "no verdict within \(TimeText.seconds(limit)): the handshake completed, the OCSP fetch did not finish"
                : "no completed handshake within \(TimeText.seconds(limit)): "
                    + (bytesReceived == 0 ? "the server sent nothing" : "the server sent \(bytesReceived) bytes")
            fail(context, TLSError(.handshakeTimeout, what, handshake: report()))
        }
        advanceHandshake(context)
    }

    // MARK: - Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let connection else { return }
        switch state {
        case .handshaking:
            bytesReceived += buffer.readableBytes
            connection.bios.feed(buffer)
            advanceHandshake(context)
        case .awaitingVerdict:
            // What was already on its way when reading stopped (``read(context:)``): at most one
            // read cycle, read once accepted.
            connection.bios.feed(buffer)
        case .active, .closing:
            connection.bios.feed(buffer)
            readPlaintext(context)
        case .idle, .closed, .failed:
            break
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        if deliveredData {
            deliveredData = false
            context.fireChannelReadComplete()
        }
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .idle, .handshaking, .awaitingVerdict:
            // A reset or another socket error before the verdict: the peer went away mid-handshake.
            fail(
                context,
                TLSError(
                    .connectionClosedDuringHandshake,
                    "the connection failed during the handshake: \(error)",
                    handshake: report()
                )
            )
        default:
            context.fireErrorCaught(error)
        }
    }

    private func advanceHandshake(_ context: ChannelHandlerContext) {
        guard let connection, let verification else { return }
        switch connection.handshake() {
        case .wantRead:
            flushOutput(context)
        case .complete:
            flushOutput(context)
            handshakeCompleted(context, connection, verification)
        case .failed(let failure):
            let error = HandshakeFailure.classify(
                failure,
                verification: verification,
                serverName: serverName,
                alertsSent: connection.alertsSent,
                alertsReceived: connection.alertsReceived,
                protocolVersion: connection.protocolVersion,
                maximumChainLength: configuration.maximumChainLength
            )
            var withReport = error
            withReport.handshake = report()
            fail(context, withReport)
        }
    }

    private func handshakeCompleted(
        _ context: ChannelHandlerContext,
        _ connection: SSLConnection,
        _ verification: HandshakeVerification
    ) {
        switch verification.evaluateAfterHandshake(chain: connection.verifiedChain, staple: connection.staple) {
        case .decided(let verdict):
            decide(context, verdict)
        case .pending(let pending):
            state = .awaitingVerdict
            allowTimeForFetch(context, milliseconds: pending.request.timeoutMilliseconds)
            let fetcher = configuration.fetcher
            let promise = context.eventLoop.makePromise(of: Verdict.self)
            let start = ContinuousClock.now
            promise.completeWithTask { await pending.complete(using: fetcher) }
            promise.futureResult.assumeIsolated().whenSuccess { [self] verdict in
                fetchDuration = ContinuousClock.now - start
                guard state == .awaitingVerdict else { return }  // closed or timed out meanwhile
                decide(context, verdict)
            }
        case .unusable(let error):
            rejectAfterHandshake(context, .unusable(error, handshake: report()))
        case .notRun:
            rejectAfterHandshake(context, TLSError(.unusableChain, "the engine did not run", handshake: report()))
        }
    }

    /// The OCSP fetch has a deadline of its own (the policy's soft or hard timeout, firefox-policy §5.1): when
    /// less than that (plus a second) is left of the handshake timeout, the timeout is moved so
    /// that the fetch's own outcome decides — a responder that never answers is then a `timeout`
    /// fetch failure under Firefox's rules, not a `handshakeTimeout`.
    private func allowTimeForFetch(_ context: ChannelHandlerContext, milliseconds: Int) {
        let needed = NIODeadline.now() + .milliseconds(Int64(max(milliseconds, 0)) + 1000)
        guard let current = timeout, let deadline = timeoutDeadline, deadline < needed else { return }
        current.cancel()
        timeoutDeadline = needed
        let limit = configuration.handshakeTimeout
        timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: needed) { [self] in
            fail(
                context,
                TLSError(
                    .handshakeTimeout,
                    "no verdict within \(limit.formatted()), nor within the OCSP fetch's own \(milliseconds) ms and a second",
                    handshake: report()
                )
            )
        }
    }

    /// The verdict after the handshake (no fetch needed, or the fetch answered).
    private func decide(_ context: ChannelHandlerContext, _ verdict: Verdict) {
        var report = report()
        report.verdict = verdict
        guard verdict.isAccepted else {
            let explanation =
                verdict.explanation.hasSuffix(".") ? String(verdict.explanation.dropLast()) : verdict.explanation
            rejectAfterHandshake(
                context,
                TLSError(
                    .rejectedByPolicy,
                    "\(explanation); decided after the handshake: closed with close_notify before any application byte",
                    verdict: verdict,
                    handshake: report
                )
            )
            return
        }
        timeout?.cancel()
        state = .active
        logger?.debug("TLS connection accepted", metadata: ["verdict": "\(verdict.explanation)"])
        context.fireUserInboundEventTriggered(StapleTLSEvent.handshakeCompleted(report))
        // Writes made before the verdict, in order.
        let held = heldWrites
        heldWrites = []
        for (buffer, promise) in held { writeApplicationData(buffer, promise: promise) }
        if heldFlush || !held.isEmpty { flushApplicationData(context) }
        readPlaintext(context)
        if readHeld {
            readHeld = false
            context.read()
        }
    }

    /// The handshake is complete but the verdict rejects: no alert can be sent any more (OpenSSL
    /// has no public call for it), so the connection ends with close_notify before any
    /// application byte.
    private func rejectAfterHandshake(_ context: ChannelHandlerContext, _ error: TLSError) {
        connection?.shutdown()
        fail(context, error)
    }

    private func readPlaintext(_ context: ChannelHandlerContext) {
        guard let connection else { return }
        var buffer = context.channel.allocator.buffer(capacity: 0)
        let step = connection.read(into: &buffer)
        if buffer.readableBytes > 0 {
            deliveredData = true
            context.fireChannelRead(wrapInboundOut(buffer))
        }
        switch step {
        case .wantRead:
            flushOutput(context)
        case .closed:
            // The peer's close_notify: answer it and close.
            if state == .active {
                connection.shutdown()
            }
            state = .closed
            closeAfterFlushing(context, promise: nil)
        case .failed(let failure):
            let text = failure.errors.first?.text ?? "SSL_get_error \(failure.sslError)"
            let received = connection.alertsReceived.last.map { "sent alert \($0)" } ?? "failed: \(text)"
            var error =
                renegotiationRefusal(then: received)
                ?? TLSError(.protocolError, "reading application data failed: \(text)")
            error.alertSent = connection.alertsSent.last
            error.alertReceived = connection.alertsReceived.last
            error.openSSLErrors = failure.errors.map(\.description)
            fail(context, error)
        }
    }

    /// After an accepted handshake a TLS 1.2 server may ask to renegotiate (HelloRequest). We never
    /// do: the certificate and staple the engine verified must stay the peer's, and a second
    /// handshake could present others (SSL_OP_NO_RENEGOTIATION: OpenSSL answers with the warning
    /// alert no_renegotiation and the connection goes on). If the server then ends the connection,
    /// this is the error; nil when we never refused.
    private func renegotiationRefusal(then what: String) -> TLSError? {
        guard connection?.alertsSent.contains(.noRenegotiation) == true else { return nil }
        return TLSError(
            .renegotiationRefused,
            "the server asked to renegotiate after the handshake; renegotiation is refused (alert \(TLSAlert.noRenegotiation) sent, the verified certificate and staple stay the peer's), and the server then \(what)"
        )
    }

    // MARK: - Outbound

    /// No reads while the verdict waits for an OCSP fetch: the server may send application data
    /// meanwhile, and none of it can be delivered before the verdict. Without this, everything it
    /// sent piled up in OpenSSL's inbound memory BIO (a flooding server made the client hold
    /// hundreds of MiB within the handshake timeout); now the kernel's socket buffers hold it and
    /// TCP flow control stops the server. Reading resumes once accepted.
    public func read(context: ChannelHandlerContext) {
        if state == .awaitingVerdict {
            readHeld = true
            return
        }
        context.read()
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        switch state {
        case .idle, .handshaking, .awaitingVerdict:
            heldWrites.append((buffer, promise))
        case .active:
            writeApplicationData(buffer, promise: promise)
        case .closing, .closed, .failed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    public func flush(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking, .awaitingVerdict:
            heldFlush = true
        case .active:
            flushApplicationData(context)
        case .closing, .closed, .failed:
            break
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch state {
        case .active:
            connection?.shutdown()
            state = .closing
            closeAfterFlushing(context, promise: promise)
        case .idle, .handshaking, .awaitingVerdict:
            state = .closed
            timeout?.cancel()
            failHeldWrites(ChannelError.ioOnClosedChannel)
            context.close(mode: mode, promise: promise)
        case .closing, .closed, .failed:
            // An alert or close_notify may still be on its way out: close behind it.
            closeAfter(lastWrite, context, mode: mode, promise: promise)
        }
    }

    private func writeApplicationData(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
        guard let connection else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        if let failure = connection.write(buffer) {
            promise?.fail(
                TLSError(
                    .protocolError,
                    "SSL_write failed: \(failure.errors.first?.text ?? "SSL_get_error \(failure.sslError)")",
                    openSSLErrors: failure.errors.map(\.description)
                )
            )
        } else if let promise {
            unflushedPromises.append(promise)
        }
    }

    private func flushApplicationData(_ context: ChannelHandlerContext) {
        let promises = unflushedPromises
        unflushedPromises = []
        guard let output = connection?.bios.takeOutput(allocator: context.channel.allocator) else {
            promises.forEach { $0.succeed() }
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        for promise in promises { written.futureResult.cascade(to: promise) }
        context.writeAndFlush(wrapOutboundOut(output), promise: written)
    }

    /// Sends what OpenSSL wrote (handshake records, alerts, close_notify).
    private func flushOutput(_ context: ChannelHandlerContext) {
        _ = writeOutput(context)
    }

    /// Sends what OpenSSL wrote, then closes (so that an alert or close_notify is on the wire first).
    private func closeAfterFlushing(_ context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        closeAfter(writeOutput(context), context, mode: .all, promise: promise)
    }

    /// Writes OpenSSL's pending output; the returned future (nil: nothing to write) completes when
    /// it is on the wire. Later closes wait for it (``close(context:mode:promise:)``).
    private func writeOutput(_ context: ChannelHandlerContext) -> EventLoopFuture<Void>? {
        guard context.channel.isActive, let output = connection?.bios.takeOutput(allocator: context.channel.allocator)
        else {
            return lastWrite
        }
        let written = context.writeAndFlush(wrapOutboundOut(output))
        lastWrite = written
        written.assumeIsolated().whenComplete { [self] _ in
            if lastWrite === written { lastWrite = nil }
        }
        return written
    }

    private func closeAfter(
        _ write: EventLoopFuture<Void>?,
        _ context: ChannelHandlerContext,
        mode: CloseMode,
        promise: EventLoopPromise<Void>?
    ) {
        guard let write else {
            context.close(mode: mode, promise: promise)
            return
        }
        write.assumeIsolated().whenComplete { _ in context.close(mode: mode, promise: promise) }
    }

    /// Sends what OpenSSL wrote (an alert, close_notify) *before* telling the handlers after us,
    /// who may close the channel at once; then closes.
    private func fail(_ context: ChannelHandlerContext, _ error: TLSError) {
        guard state != .failed && state != .closed else { return }
        state = .failed
        logger?.debug("TLS connection failed", metadata: ["error": "\(error.code.name)", "reason": "\(error.reason)"])
        timeout?.cancel()
        failHeldWrites(error)
        let lastWrite = writeOutput(context)
        context.fireErrorCaught(error)
        closeAfter(lastWrite, context, mode: .all, promise: nil)
    }

    private func failHeldWrites(_ error: any Error) {
        let held = heldWrites
        heldWrites = []
        for (_, promise) in held { promise?.fail(error) }
        let unflushed = unflushedPromises
        unflushedPromises = []
        for promise in unflushed { promise.fail(error) }
    }

    // MARK: - Report

    /// What is known of the handshake so far.
    private func report() -> HandshakeReport {
        // OpenSSL keeps the partial chain it built when path validation fails: report the chain
        // as sent then.
        let pathValidated = verification?.pathFailure == nil
        let verified = pathValidated ? (connection?.verifiedChain ?? []) : []
        let chain = verified.isEmpty ? (connection?.peerChain ?? []) : verified
        let staple = connection?.staple
        var verdict: Verdict?
        switch verification?.abort {
        case .staple(let v)?, .certificate(let v)?: verdict = v
        default:
            if case .decided(let v)? = verification?.outcome { verdict = v }
        }
        let engine = verification?.engineDuration ?? .zero
        let elapsed = handshakeStart.map { ContinuousClock.now - $0 } ?? .zero
        let established = connection.map { SSLConnectionFacts($0) }
        var report = HandshakeReport(
            serverName: serverName,
            tlsVersion: established?.version,
            cipher: established?.cipher,
            alpn: established?.alpn,
            chain: chain.compactMap { CertificateSummary(der: $0.der) },
            chainVerified: !verified.isEmpty,
            staple: .init(requested: configuration.requestStaple, present: staple != nil, size: staple?.count),
            verdict: verdict,
            alertsSent: connection?.alertsSent ?? [],
            alertsReceived: connection?.alertsReceived ?? [],
            verificationTime: verification?.time ?? configuration.clock(),
            timings: .init(
                handshakeMs: TimeText.milliseconds(elapsed),
                verificationMs: TimeText.milliseconds(engine + (fetchDuration ?? .zero)),
                fetchMs: fetchDuration.map(TimeText.milliseconds)
            )
        )
        report.chainDER = chain.map(\.der)
        report.stapleBytes = staple
        return report
    }
}

/// The negotiated parameters, when there are any yet.
private struct SSLConnectionFacts {
    let version: String?
    let cipher: String?
    let alpn: String?

    init(_ connection: SSLConnection) {
        cipher = connection.cipher
        version = cipher == nil ? nil : connection.protocolVersion
        alpn = connection.negotiatedProtocol
    }
}

@available(*, unavailable)
extension StapleClientHandler: Sendable {}
