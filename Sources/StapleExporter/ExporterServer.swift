import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import StapleTLS

/// `staple exporter`'s HTTP server: NIOHTTP1's server pipeline in front of a ``ProbeExporter``.
public final class ExporterServer: Sendable {
    public let exporter: ProbeExporter
    /// The address it listens on, as `HOST:PORT` (the port the system chose, when 0 was asked for).
    public let address: String
    public let port: Int
    private let channel: any Channel
    private let logger: Logger

    /// A connection that sends nothing for this long is closed.
    public static let idleTimeout: TimeAmount = .seconds(60)

    /// Listens on `listen` (`HOST:PORT`, `[v6]:PORT`; port 0 for any free one).
    public static func start(
        _ exporter: ProbeExporter,
        listen: Endpoint,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "staple.exporter")
    ) async throws -> ExporterServer {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: Self.idleTimeout),
                        ExporterHTTPHandler(exporter: exporter),
                    ])
                }
            }
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
        let channel = try await bootstrap.bind(host: listen.host, port: listen.port).get()
        return ExporterServer(exporter: exporter, channel: channel, logger: logger)
    }

    private init(exporter: ProbeExporter, channel: any Channel, logger: Logger) {
        self.exporter = exporter
        self.channel = channel
        self.logger = logger
        let port = channel.localAddress?.port ?? 0
        self.port = port
        let host = channel.localAddress?.ipAddress ?? "?"
        self.address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Stops accepting, then waits for the probes in flight to finish, for at most `grace`.
    public func shutdown(grace: Duration = .seconds(10)) async {
        try? await channel.close().get()
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while exporter.probesInFlight > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let left = exporter.probesInFlight
        if left > 0 {
            logger.warning("stopped with \(left) probes still in flight after \(grace)")
        }
    }

    /// Until the listening socket closes.
    public func wait() async {
        try? await channel.closeFuture.get()
    }
}
