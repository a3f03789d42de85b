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

    /// Each state carries what is valid in it, as NIOSSLHandler's does: the handshake's session
    /// while there is one, the connection while application data can flow, nothing after.
    enum State {
        /// Added, waiting for the channel to become active.
        case idle
        case handshaking(HandshakeSession)
        /// The handshake is done; the engine waits for an OCSP fetch. Writes are held, reads wait.
        case awaitingVerdict(HandshakeSession)
        /// Accepted: application data flows both ways.
        case active(SSLConnection)
        /// Our close_notify is sent.
        case closing(SSLConnection)
        case closed
        case failed
    }

    /// A write or a flush from the handlers after us, kept in order until OpenSSL may take it:
    /// until the verdict accepts, and in the accepted state until the next flush.
    enum BufferedAction {
        case write(ByteBuffer, EventLoopPromise<Void>?)
        case flush
    }

    private let tlsContext: StapleTLSContext
    private let serverName: String?
    private let logger: Logger?
    private var state = State.idle
    private var bufferedActions = CircularBuffer<BufferedAction>()
    private var deliveredData = false
    /// The last write of OpenSSL's own output (handshake, alert, close_notify) not yet on the wire.
    private var lastWrite: EventLoopFuture<Void>?

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
        session?.timeout?.cancel()
        failBufferedActions(ChannelError.ioOnClosedChannel)
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking, .awaitingVerdict:
            let when: String
            if case .awaitingVerdict = state { when = "before the verdict" } else { when = "during the handshake" }
            fail(
                context,
                TLSError(
                    .connectionClosedDuringHandshake,
                    "the server closed the connection \(when)",
                    alertReceived: session?.connection.alertsReceived.last,
                    handshake: report()
                )
            )
        case .active(let connection):
            context.fireErrorCaught(
                renegotiationRefusal(connection, then: "closed the connection")
                    ?? TLSError(.uncleanShutdown, "the connection ended without close_notify")
            )
        case .closing, .closed, .failed:
            break
        }
        state = .closed
        context.fireChannelInactive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard case .idle = state else { return }
        let verification = HandshakeVerification(
            verifier: configuration.engine,
            time: configuration.clock(),
            requestStaple: configuration.requestStaple,
            canFetch: configuration.fetcher != nil
        )
        let connection: SSLConnection
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
        logger?.debug(
            "TLS handshake started",
            metadata: [
                "serverName": "\(serverName ?? "-")",
                "verificationTime": "\(TimeText.iso8601(verification.time))",
            ]
        )
        let limit = configuration.handshakeTimeout
        let session = HandshakeSession(
            connection: connection,
            verification: verification,
            serverName: serverName,
            requestStaple: configuration.requestStaple,
            deadline: .now() + TimeAmount(limit)
        )
        state = .handshaking(session)
        session.timeout = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limit)) { [self] in
            let what: String
            if case .awaitingVerdict = state {
                what =
                    "no verdict within \(TimeText.seconds(limit)): the handshake completed, the OCSP fetch did not finish"
            } else {
                what =
                    "no completed handshake within \(TimeText.seconds(limit)): "
                    + (session.bytesReceived == 0
                        ? "the server sent nothing" : "the server sent \(session.bytesReceived) bytes")
            }
            fail(context, TLSError(.handshakeTimeout, what, handshake: session.report()))
        }
        advanceHandshake(context, session)
    }

    // MARK: - Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        switch state {
        case .handshaking(let session):
            session.bytesReceived += buffer.readableBytes
            session.connection.bios.feed(buffer)
            advanceHandshake(context, session)
        case .awaitingVerdict(let session):
            // What was already on its way when reading stopped (``read(context:)``): at most one
            // read cycle, read once accepted.
            session.connection.bios.feed(buffer)
        case .active(let connection), .closing(let connection):
            connection.bios.feed(buffer)
            readPlaintext(context, connection)
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

    private func advanceHandshake(_ context: ChannelHandlerContext, _ session: HandshakeSession) {
        let connection = session.connection
        switch connection.handshake() {
        case .wantRead:
            flushOutput(context, connection)
        case .complete:
            flushOutput(context, connection)
            handshakeCompleted(context, session)
        case .failed(let failure):
            var error = HandshakeFailure.classify(
                failure,
                verification: session.verification,
                serverName: serverName,
                alertsSent: connection.alertsSent,
                alertsReceived: connection.alertsReceived,
                protocolVersion: connection.protocolVersion,
                maximumChainLength: configuration.maximumChainLength
            )
            error.handshake = session.report()
            fail(context, error)
        }
    }

    private func handshakeCompleted(_ context: ChannelHandlerContext, _ session: HandshakeSession) {
        let connection = session.connection
        switch session.verification.evaluateAfterHandshake(chain: connection.verifiedChain, staple: connection.staple)
        {
        case .decided(let verdict):
            decide(context, session, verdict)
        case .pending(let pending):
            state = .awaitingVerdict(session)
            allowTimeForFetch(context, session, milliseconds: pending.request.timeoutMilliseconds)
            let fetcher = configuration.fetcher
            let promise = context.eventLoop.makePromise(of: Verdict.self)
            let start = ContinuousClock.now
            promise.completeWithTask { await pending.complete(using: fetcher) }
            promise.futureResult.assumeIsolated().whenSuccess { [self] verdict in
                session.fetchDuration = ContinuousClock.now - start
                // Closed or timed out meanwhile: nothing to decide.
                guard case .awaitingVerdict(let current) = state, current === session else { return }
                decide(context, session, verdict)
            }
        case .unusable(let error):
            rejectAfterHandshake(context, connection, .unusable(error, handshake: session.report()))
        case .notRun:
            rejectAfterHandshake(
                context,
                connection,
                TLSError(.unusableChain, "the engine did not run", handshake: session.report())
            )
        }
    }

    /// The OCSP fetch has a deadline of its own (the policy's soft or hard timeout, firefox-policy §5.1): when
    /// less than that (plus a second) is left of the handshake timeout, the timeout is moved so
    /// that the fetch's own outcome decides — a responder that never answers is then a `timeout`
    /// fetch failure under Firefox's rules, not a `handshakeTimeout`.
    private func allowTimeForFetch(_ context: ChannelHandlerContext, _ session: HandshakeSession, milliseconds: Int) {
        let needed = NIODeadline.now() + .milliseconds(Int64(max(milliseconds, 0)) + 1000)
        guard let current = session.timeout, session.deadline < needed else { return }
        current.cancel()
        session.deadline = needed
        let limit = configuration.handshakeTimeout
        session.timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: needed) { [self] in
            fail(
                context,
                TLSError(
                    .handshakeTimeout,
                    "no verdict within \(limit.formatted()), nor within the OCSP fetch's own \(milliseconds) ms and a second",
                    handshake: session.report()
                )
            )
        }
    }

    /// The verdict after the handshake (no fetch needed, or the fetch answered).
    private func decide(_ context: ChannelHandlerContext, _ session: HandshakeSession, _ verdict: Verdict) {
        var report = session.report()
        report.verdict = verdict
        guard verdict.isAccepted else {
            let explanation =
                verdict.explanation.hasSuffix(".") ? String(verdict.explanation.dropLast()) : verdict.explanation
            rejectAfterHandshake(
                context,
                session.connection,
                TLSError(
                    .rejectedByPolicy,
                    "\(explanation); decided after the handshake: closed with close_notify before any application byte",
                    verdict: verdict,
                    handshake: report
                )
            )
            return
        }
        // The one place a connection becomes usable: the host name, overruled during path
        // validation so that the verdict's error comes first, is held to here (firefox-policy §1.4).
        if let mismatch = session.verification.nameMismatch {
            rejectAfterHandshake(
                context,
                session.connection,
                TLSError(
                    .hostnameMismatch,
                    "\(HandshakeFailure.nameMismatchReason(serverName: serverName, x509Error: mismatch)); decided after the handshake: closed with close_notify before any application byte",
                    verdict: verdict,
                    verifyResult: Int(mismatch),
                    handshake: report
                )
            )
            return
        }
        session.timeout?.cancel()
        let connection = session.connection
        state = .active(connection)
        logger?.debug("TLS connection accepted", metadata: ["verdict": "\(verdict.explanation)"])
        context.fireUserInboundEventTriggered(StapleTLSEvent.handshakeCompleted(report))
        // Writes made before the verdict, in order, and flushed even when no flush came yet.
        if !bufferedActions.isEmpty { writeBufferedActions(context, connection) }
        readPlaintext(context, connection)
        if session.readHeld { context.read() }
    }

    /// The handshake is complete but the verdict rejects: no alert can be sent any more (OpenSSL
    /// has no public call for it), so the connection ends with close_notify before any
    /// application byte.
    private func rejectAfterHandshake(_ context: ChannelHandlerContext, _ connection: SSLConnection, _ error: TLSError)
    {
        connection.shutdown()
        fail(context, error)
    }

    private func readPlaintext(_ context: ChannelHandlerContext, _ connection: SSLConnection) {
        var buffer = context.channel.allocator.buffer(capacity: 0)
        let step = connection.read(into: &buffer)
        if buffer.readableBytes > 0 {
            deliveredData = true
            context.fireChannelRead(wrapInboundOut(buffer))
        }
        switch step {
        case .wantRead:
            flushOutput(context, connection)
        case .closed:
            // The peer's close_notify: answer it and close.
            if case .active = state {
                connection.shutdown()
            }
            state = .closed
            closeAfterFlushing(context, connection, promise: nil)
        case .failed(let failure):
            let text = failure.errors.first?.text ?? "SSL_get_error \(failure.sslError)"
            let received = connection.alertsReceived.last.map { "sent alert \($0)" } ?? "failed: \(text)"
            var error =
                renegotiationRefusal(connection, then: received)
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
    private func renegotiationRefusal(_ connection: SSLConnection, then what: String) -> TLSError? {
        guard connection.alertsSent.contains(.noRenegotiation) else { return nil }
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
        if case .awaitingVerdict(let session) = state {
            session.readHeld = true
            return
        }
        context.read()
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch state {
        case .idle, .handshaking, .awaitingVerdict, .active:
            bufferedActions.append(.write(unwrapOutboundIn(data), promise))
        case .closing, .closed, .failed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    public func flush(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking, .awaitingVerdict:
            bufferedActions.append(.flush)
        case .active(let connection):
            writeBufferedActions(context, connection)
        case .closing, .closed, .failed:
            break
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch state {
        case .active(let connection):
            connection.shutdown()
            state = .closing(connection)
            closeAfterFlushing(context, connection, promise: promise)
        case .idle, .handshaking, .awaitingVerdict:
            session?.timeout?.cancel()
            state = .closed
            failBufferedActions(ChannelError.ioOnClosedChannel)
            context.close(mode: mode, promise: promise)
        case .closing, .closed, .failed:
            // An alert or close_notify may still be on its way out: close behind it.
            closeAfter(lastWrite, context, mode: mode, promise: promise)
        }
    }

    /// Hands every buffered write to OpenSSL, in order, and sends the records in one flush; each
    /// write's promise completes when they are on the wire (or fails with OpenSSL's error).
    private func writeBufferedActions(_ context: ChannelHandlerContext, _ connection: SSLConnection) {
        var written: [EventLoopPromise<Void>] = []
        while let action = bufferedActions.popFirst() {
            guard case .write(let buffer, let promise) = action else { continue }
            if let failure = connection.write(buffer) {
                promise?.fail(
                    TLSError(
                        .protocolError,
                        "SSL_write failed: \(failure.errors.first?.text ?? "SSL_get_error \(failure.sslError)")",
                        openSSLErrors: failure.errors.map(\.description)
                    )
                )
            } else if let promise {
                written.append(promise)
            }
        }
        guard let output = connection.bios.takeOutput(allocator: context.channel.allocator) else {
            written.forEach { $0.succeed() }
            return
        }
        let flushed = context.eventLoop.makePromise(of: Void.self)
        for promise in written { flushed.futureResult.cascade(to: promise) }
        context.writeAndFlush(wrapOutboundOut(output), promise: flushed)
    }

    /// Sends what OpenSSL wrote (handshake records, alerts, close_notify).
    private func flushOutput(_ context: ChannelHandlerContext, _ connection: SSLConnection?) {
        _ = writeOutput(context, connection)
    }

    /// Sends what OpenSSL wrote, then closes (so that an alert or close_notify is on the wire first).
    private func closeAfterFlushing(
        _ context: ChannelHandlerContext,
        _ connection: SSLConnection,
        promise: EventLoopPromise<Void>?
    ) {
        closeAfter(writeOutput(context, connection), context, mode: .all, promise: promise)
    }

    /// Writes OpenSSL's pending output; the returned future (nil: nothing to write) completes when
    /// it is on the wire. Later closes wait for it (``close(context:mode:promise:)``).
    private func writeOutput(_ context: ChannelHandlerContext, _ connection: SSLConnection?) -> EventLoopFuture<Void>? {
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
        let connection: SSLConnection?
        switch state {
        case .closed, .failed:
            return
        case .idle:
            connection = nil
        case .handshaking(let session), .awaitingVerdict(let session):
            session.timeout?.cancel()
            connection = session.connection
        case .active(let c), .closing(let c):
            connection = c
        }
        state = .failed
        logger?.debug("TLS connection failed", metadata: ["error": "\(error.code.name)", "reason": "\(error.reason)"])
        failBufferedActions(error)
        let lastWrite = writeOutput(context, connection)
        context.fireErrorCaught(error)
        closeAfter(lastWrite, context, mode: .all, promise: nil)
    }

    private func failBufferedActions(_ error: any Error) {
        while let action = bufferedActions.popFirst() {
            if case .write(_, let promise) = action { promise?.fail(error) }
        }
    }

    // MARK: - State

    /// The handshake's session, in the states that have one.
    private var session: HandshakeSession? {
        switch state {
        case .handshaking(let session), .awaitingVerdict(let session): return session
        case .idle, .active, .closing, .closed, .failed: return nil
        }
    }

    /// What is known of the handshake so far (`HandshakeSession.report()`).
    private func report() -> HandshakeReport {
        session?.report()
            ?? .beforeHandshake(
                serverName: serverName,
                requestStaple: configuration.requestStaple,
                time: configuration.clock()
            )
    }
}

@available(*, unavailable)
extension StapleClientHandler: Sendable {}
