import Foundation
import NIOCore
import NIOPosix
import StapleTLS
import StapleTestSupport
import StapleVerifier

/// Runs ``StapleClientHandler`` in a real NIO client against a loopback server. Writes
/// `early-data\n` as soon as the channel is active (before any verdict: the handler must hold
/// it), and on acceptance waits for the server's echo of it, then closes (close_notify).
enum TestClient {
    struct Outcome {
        var report: HandshakeReport?
        var error: TLSError?
        /// Plaintext received from the server.
        var received: String
        /// Whether the early write completed (it must fail on a rejection).
        var earlyWriteSucceeded: Bool?
        var accepted: Bool { report != nil && error == nil }
    }

    static let earlyData = "early-data\n"

    /// A configuration pinned at T0 trusting the test root.
    static func configuration(
        policy: RevocationPolicy = .firefox,
        version: InProcessTLSServer.TLSVersionPin? = nil,
        trust: String = Fixtures.root
    ) -> TLSClientConfiguration {
        var c = TLSClientConfiguration(trustRoots: .pemFile(trust), policy: policy)
        // Fetching off: these tests model a responder that cannot be reached, deterministically.
        c.fetcher = nil
        c.pinTime(Fixtures.t0)
        c.handshakeTimeout = .seconds(5)
        c.connectTimeout = .seconds(5)
        if let version {
            c.minimumVersion = version == .tls12 ? .tls12 : .tls13
            c.maximumVersion = c.minimumVersion
        }
        return c
    }

    /// - Parameter closeOnAccept: close (close_notify) right after the held write went out,
    ///   instead of waiting for the server's echo (for servers that do not echo).
    static func run(
        port: Int,
        configuration: TLSClientConfiguration,
        serverName: String? = "localhost",
        closeOnAccept: Bool = false
    ) async throws -> Outcome {
        let context = try StapleTLSContext(configuration: configuration)
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Outcome.self)
        let channel = try await ClientBootstrap(group: promise.futureResult.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        StapleClientHandler(context: context, serverName: serverName),
                        Collector(promise: promise, closeOnAccept: closeOnAccept),
                    ])
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        // Never hang a test: the handler's own timeout is 5 s.
        let guardTask = channel.eventLoop.scheduleTask(in: .seconds(15)) { channel.close(promise: nil) }
        defer { guardTask.cancel() }
        return try await promise.futureResult.get()
    }

    /// Collects events, data and errors until the channel is closed.
    final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private let promise: EventLoopPromise<Outcome>
        private let closeOnAccept: Bool
        private var outcome = Outcome(received: "")

        init(promise: EventLoopPromise<Outcome>, closeOnAccept: Bool) {
            self.promise = promise
            self.closeOnAccept = closeOnAccept
        }

        func channelActive(context: ChannelHandlerContext) {
            let written = context.writeAndFlush(
                wrapOutboundOut(context.channel.allocator.buffer(string: TestClient.earlyData))
            )
            written.assumeIsolated().whenComplete { [self] result in
                if case .success = result {
                    outcome.earlyWriteSucceeded = true
                } else {
                    outcome.earlyWriteSucceeded = false
                }
            }
            context.fireChannelActive()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted(let report)? = event as? StapleTLSEvent {
                outcome.report = report
                if closeOnAccept {
                    // The held write is flushed right after this event; close behind it.
                    context.eventLoop.assumeIsolated().execute { context.close(promise: nil) }
                }
            }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            outcome.received += buffer.readString(length: buffer.readableBytes) ?? ""
            if outcome.received.contains("echo:\(TestClient.earlyData)") {
                context.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if outcome.error == nil, let error = error as? TLSError { outcome.error = error }
        }

        func channelInactive(context: ChannelHandlerContext) {
            // Let the early write's completion land first.
            context.eventLoop.assumeIsolated().execute { [self] in promise.succeed(outcome) }
        }
    }
}
