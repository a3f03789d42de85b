import Foundation
import Logging
import NIOCore
import NIOPosix
import StapleVerifier

/// The async API: connect to an endpoint, run the handshake with the engine inside it, and get a
/// ``ConnectionReport``. A check never throws: every failure is a report with an ``TLSError``.
///
/// ```swift
/// var configuration = TLSClientConfiguration()
/// configuration.engine = StapleEngine(policy: .strict)
/// let checker = try EndpointChecker(configuration: configuration)
/// let report = await checker.check(Endpoint(host: "example.com"))
/// print(report.outcome, report.verify?.explanation ?? report.error!.description)
/// ```
public struct EndpointChecker: Sendable {
    public let context: StapleTLSContext
    public let group: any EventLoopGroup
    public var logger: Logger?

    public init(
        context: StapleTLSContext,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger? = nil
    ) {
        self.context = context
        self.group = group
        self.logger = logger
    }

    public init(
        configuration: TLSClientConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger? = nil
    ) throws(TLSError) {
        self.init(context: try StapleTLSContext(configuration: configuration), group: group, logger: logger)
    }

    /// Checks one endpoint: handshake, verdict, close_notify.
    /// - Parameters:
    ///   - endpoint: where to connect.
    ///   - serverName: SNI and the name to verify; defaults to the endpoint's host.
    ///   - target: how the target was written (for the report); defaults to `endpoint.description`.
    public func check(_ endpoint: Endpoint, serverName: String? = nil, target: String? = nil) async -> ConnectionReport
    {
        let clock = ContinuousClock()
        let start = clock.now
        let target = target ?? endpoint.description
        let report: ConnectionReport
        switch await connect(endpoint, serverName: serverName ?? endpoint.host, configure: { _ in }) {
        case .failure(let error):
            report = ConnectionReport(
                target: target,
                endpoint: endpoint,
                address: nil,
                handshake: nil,
                error: error,
                connectMs: nil,
                totalMs: TimeText.milliseconds(clock.now - start)
            )
        case .success(let connection):
            let result = await connection.handshake
            _ = try? await connection.channel.close().get()  // close_notify after an accepted handshake
            report = ConnectionReport(
                target: target,
                endpoint: endpoint,
                address: connection.address,
                handshake: (try? result.get()) ?? result.failure?.handshake,
                error: result.failure,
                connectMs: connection.connectMs,
                totalMs: TimeText.milliseconds(clock.now - start)
            )
        }
        logger?.debug(
            "checked \(endpoint)",
            metadata: ["outcome": "\(report.outcome)", "exitCode": "\(report.exitCode)"]
        )
        return report
    }

    /// The most checks in flight at once, whatever `concurrency` asks (`staple check --concurrency`
    /// takes 1…10000: a fleet scan).
    public static let maximumConcurrency = 10_000

    /// Checks several endpoints, at most `concurrency` at a time (bounded by
    /// `concurrencyLimit(_:openFileLimit:)`); reports in the order given. `cache` as in
    /// ``check(_:concurrency:cache:onReport:)``.
    public func check(
        _ targets: [(endpoint: Endpoint, serverName: String?, target: String)],
        concurrency: Int = 8,
        cache: FleetCache = .firstVisit
    ) async -> [ConnectionReport] {
        var reports = [ConnectionReport?](repeating: nil, count: targets.count)
        await check(targets, concurrency: concurrency, cache: cache) { index, report in reports[index] = report }
        return reports.compactMap { $0 }
    }

    /// How many checks run at once when `requested` are asked for: at most
    /// ``maximumConcurrency``, and no more than the descriptors this process has left allow. Each
    /// check in flight holds a socket and an OpenSSL connection (an `SSL`, two memory BIOs), and
    /// its OCSP fetch another socket: two descriptors each, 32 kept back. Past that a connect would
    /// fail with EMFILE; within it, the extra targets just wait their turn.
    package static func concurrencyLimit(
        _ requested: Int,
        openFileLimit: Int = Self.openFileLimit,
        openDescriptors: Int = Self.openDescriptors
    ) -> Int {
        min(max(1, requested), maximumConcurrency, max(1, (openFileLimit - openDescriptors - 32) / 2))
    }

    /// The soft `RLIMIT_NOFILE` of this process.
    package static var openFileLimit: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)  // RLIM_INFINITY (all ones) clamps to Int.max
    }

    /// The descriptors this process has open now (/proc/self/fd; 0 where there is none).
    package static var openDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// What the targets of one fleet check share.
    public enum FleetCache: String, Sendable, Hashable, CaseIterable {
        /// Every target is judged as a first visit: an OCSP cache of its own, so that nothing
        /// learned from another target's staple or cached answer changes its verdict, whatever the
        /// order and the concurrency. Fetched answers are shared: one request per distinct OCSP
        /// request for the whole check (the first target's), replayed to every other target that
        /// needs it and verified by each at its own time; a replayed answer says whose it was
        /// ("fetched for TARGET at T"). The default.
        case firstVisit
        /// One OCSP cache for every target, as a browser's: what one target's staple or fetch
        /// taught is used for the next (firefox-policy §5.3), so verdicts can depend on the order in which
        /// targets finish. What comes from the cache names the target it came from.
        case shared
    }

    /// Checks several endpoints, at most `concurrency` at a time (bounded by
    /// `concurrencyLimit(_:openFileLimit:)`), handing each report to `onReport` as soon as it is
    /// ready (one call at a time, in completion order, with the target's index). `cache` says
    /// what the targets share (``FleetCache``): by default each is a first visit.
    public func check(
        _ targets: [(endpoint: Endpoint, serverName: String?, target: String)],
        concurrency: Int,
        cache: FleetCache = .firstVisit,
        onReport: (Int, ConnectionReport) async -> Void
    ) async {
        let width = Self.concurrencyLimit(concurrency)
        let configuration = context.configuration
        let fetches = configuration.fetcher.map { SharedFetches($0, clock: configuration.clock) }
        let context = self.context
        let group = self.group
        let logger = self.logger
        /// The checker for one target: its own OCSP cache (first visit) or the shared one, and its
        /// name on what it stores.
        @Sendable func checker(for target: String) -> EndpointChecker {
            var engine = cache == .firstVisit ? configuration.engine.withOwnOCSPCache() : configuration.engine
            engine.target = target
            let fetcher = cache == .firstVisit ? fetches?.fetcher(for: target) : configuration.fetcher
            return EndpointChecker(
                context: StapleTLSContext(sharing: context, engine: engine, fetcher: fetcher),
                group: group,
                logger: logger
            )
        }
        await withTaskGroup(of: (Int, ConnectionReport).self) { group in
            var next = 0
            func launch() {
                guard next < targets.count, !Task.isCancelled else { return }
                let i = next
                let t = targets[i]
                next += 1
                group.addTask {
                    (i, await checker(for: t.target).check(t.endpoint, serverName: t.serverName, target: t.target))
                }
            }
            for _ in 0..<width { launch() }
            for await (i, report) in group {
                await onReport(i, report)
                launch()
            }
        }
    }

    // MARK: - Connecting (shared with HTTPSClient)

    struct PendingConnection {
        let channel: any Channel
        let address: String?
        let connectMs: Double
        let handshakeFuture: EventLoopFuture<HandshakeReport>

        /// At the verdict: the report when accepted, the error otherwise.
        var handshake: Result<HandshakeReport, TLSError> {
            get async {
                do { return .success(try await handshakeFuture.get()) } catch let error as TLSError {
                    return .failure(error)
                } catch {
                    return .failure(TLSError(.protocolError, "\(error)"))
                }
            }
        }
    }

    /// Connects and installs the handler; `configure` adds what comes after it (e.g. HTTP codecs),
    /// on the channel's event loop.
    func connect(
        _ endpoint: Endpoint,
        serverName: String?,
        configure: @escaping @Sendable (any Channel) throws -> Void
    ) async -> Result<PendingConnection, TLSError> {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: HandshakeReport.self)
        let tlsContext = context
        let logger = self.logger
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(context.configuration.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers: [any ChannelHandler] = [
                        StapleClientHandler(context: tlsContext, serverName: serverName, logger: logger),
                        HandshakeWatcher(promise: promise),
                    ]
                    try channel.pipeline.syncOperations.addHandlers(handlers)
                    try configure(channel)
                }
            }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            // The address is read on the event loop as the connect completes: a server that
            // answers and closes at once (a plain-HTTP port) leaves no remote address to read later.
            // An IP address is connected to as it is: the resolver and Happy Eyeballs would only
            // hand it back (getaddrinfo on the event loop's resolver costs a loopback handshake
            // about a tenth of its client CPU, docs/BENCH.md).
            let connecting =
                if let literal = try? SocketAddress(ipAddress: endpoint.host, port: endpoint.port) {
                    bootstrap.connect(to: literal)
                } else {
                    bootstrap.connect(host: endpoint.host, port: endpoint.port)
                }
            let (channel, address) =
                try await connecting
                .map { channel in (channel, channel.remoteAddress.map(Self.text)) }
                .get()
            return .success(
                PendingConnection(
                    channel: channel,
                    address: address,
                    connectMs: TimeText.milliseconds(clock.now - start),
                    handshakeFuture: promise.futureResult
                )
            )
        } catch {
            promise.fail(error)
            return .failure(Self.connectError(error, endpoint: endpoint, timeout: context.configuration.connectTimeout))
        }
    }

    static func text(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    static func connectError(_ error: any Error, endpoint: Endpoint, timeout: Duration) -> TLSError {
        if let error = error as? NIOConnectionError {
            let failures = error.connectionErrors.map(\.error)
            if failures.contains(where: { ($0 as? IOError)?.errnoCode == ECONNREFUSED }) {
                return TLSError(.connectionRefused, "connection refused by \(endpoint) (nothing listens there)")
            }
            if failures.contains(where: { if case .connectTimeout? = $0 as? ChannelError { true } else { false } }) {
                return TLSError(.connectTimeout, "no TCP connection to \(endpoint) within \(timeout.formatted())")
            }
            if failures.isEmpty {
                return TLSError(.connectionFailed, "cannot resolve '\(endpoint.host)'")
            }
            return TLSError(
                .connectionFailed,
                "cannot connect to \(endpoint): \(failures.map { "\($0)" }.joined(separator: "; "))"
            )
        }
        if case .connectTimeout? = error as? ChannelError {
            return TLSError(.connectTimeout, "no TCP connection to \(endpoint) within \(timeout.formatted())")
        }
        if (error as? IOError)?.errnoCode == ECONNREFUSED {
            return TLSError(.connectionRefused, "connection refused by \(endpoint) (nothing listens there)")
        }
        return TLSError(.connectionFailed, "cannot connect to \(endpoint): \(error)")
    }
}

/// Completes a promise at the verdict: the report on ``StapleTLSEvent/handshakeCompleted(_:)``,
/// the ``TLSError`` on failure.
final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let promise: EventLoopPromise<HandshakeReport>
    private var done = false

    init(promise: EventLoopPromise<HandshakeReport>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted(let report)? = event as? StapleTLSEvent, !done {
            done = true
            promise.succeed(report)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            promise.fail(error)
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            promise.fail(TLSError(.connectionClosedDuringHandshake, "the connection closed before the verdict"))
        }
        context.fireChannelInactive()
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
