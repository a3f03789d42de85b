import Foundation
import NIOCore
import NIOHTTP1

/// A strict HTTPS GET over ``StapleClientHandler`` (what `staple get` runs): HTTP/1.1 with
/// NIOHTTP1's codecs after our handler. The request is written only after the engine accepted
/// the handshake; on a rejection nothing is sent past the handshake.
///
/// The pipeline, socket side first:
/// `StapleClientHandler → HTTPRequestEncoder → ByteToMessageHandler(HTTPResponseDecoder) → HTTPGetHandler`.
public struct HTTPSClient: Sendable {
    public let checker: EndpointChecker
    /// Bodies larger than this fail the request.
    public var maximumBodySize = 64 << 20
    /// From the accepted handshake (when the request is sent) to the end of the response. A server
    /// that never answers, or dribbles its response, ends here instead of holding the client
    /// forever. Defaults to the handshake timeout.
    public var responseTimeout: Duration

    public init(checker: EndpointChecker) {
        self.checker = checker
        self.responseTimeout = checker.context.configuration.handshakeTimeout
    }

    public struct Response: Sendable {
        public var status: HTTPResponseStatus
        public var headers: HTTPHeaders
        public var body: [UInt8]
    }

    public struct Exchange: Sendable {
        /// The connection and the verdict; its `error` is set when the handshake was rejected or failed.
        public var report: ConnectionReport
        /// The response, when the verdict accepted and the server answered.
        public var response: Response?
        /// Why the HTTP exchange failed after an accepted handshake.
        public var httpError: String?
    }

    public func get(_ endpoint: Endpoint, serverName: String? = nil, target: String? = nil) async -> Exchange {
        let clock = ContinuousClock()
        let start = clock.now
        let target = target ?? "https://\(endpoint.hostHeader)\(endpoint.path)"
        let responsePromise = checker.group.next().makePromise(of: Response.self)
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: endpoint.path)
        head.headers.add(name: "Host", value: endpoint.hostHeader)
        head.headers.add(name: "User-Agent", value: "staple/\(StapleTLSVersion.current)")
        head.headers.add(name: "Accept", value: "*/*")
        head.headers.add(name: "Connection", value: "close")
        let request = head
        let limit = maximumBodySize
        let timeout = responseTimeout
        let connected = await checker.connect(endpoint, serverName: serverName ?? endpoint.host) { channel in
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(
                HTTPGetHandler(
                    request: request,
                    maximumBodySize: limit,
                    responseTimeout: timeout,
                    promise: responsePromise
                )
            )
        }
        switch connected {
        case .failure(let error):
            responsePromise.fail(error)
            return Exchange(
                report: ConnectionReport(
                    target: target,
                    endpoint: endpoint,
                    address: nil,
                    handshake: nil,
                    error: error,
                    connectMs: nil,
                    totalMs: TimeText.milliseconds(clock.now - start)
                )
            )
        case .success(let connection):
            let handshake = await connection.handshake
            var response: Response?
            var httpError: String?
            if case .success = handshake {
                do { response = try await responsePromise.futureResult.get() } catch { httpError = "\(error)" }
            } else {
                responsePromise.fail(handshake.failure!)
            }
            _ = try? await connection.channel.close().get()
            let report = ConnectionReport(
                target: target,
                endpoint: endpoint,
                address: connection.address,
                handshake: (try? handshake.get()) ?? handshake.failure?.handshake,
                error: handshake.failure,
                connectMs: connection.connectMs,
                totalMs: TimeText.milliseconds(clock.now - start)
            )
            return Exchange(report: report, response: response, httpError: httpError)
        }
    }
}

/// Sends one request once the handshake is accepted, and collects the response.
final class HTTPGetHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    struct BodyTooLarge: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "the response body is larger than \(limit) bytes" }
    }

    struct ClosedEarly: Error, CustomStringConvertible {
        var description: String { "the server closed the connection before the end of the response" }
    }

    struct ResponseTimeout: Error, CustomStringConvertible {
        let limit: Duration
        let headReceived: Bool
        let bodyBytes: Int
        var description: String {
            "no complete response within \(TimeText.seconds(limit)) of the request ("
                + (headReceived ? "the head and \(bodyBytes) body bytes received" : "no response head received") + ")"
        }
    }

    private let request: HTTPRequestHead
    private let maximumBodySize: Int
    private let responseTimeout: Duration
    private let promise: EventLoopPromise<HTTPSClient.Response>
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []
    private var done = false
    private var deadline: Scheduled<Void>?

    init(
        request: HTTPRequestHead,
        maximumBodySize: Int,
        responseTimeout: Duration,
        promise: EventLoopPromise<HTTPSClient.Response>
    ) {
        self.request = request
        self.maximumBodySize = maximumBodySize
        self.responseTimeout = responseTimeout
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? StapleTLSEvent {
            context.write(wrapOutboundOut(.head(request)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            let limit = responseTimeout
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limit)) { [self] in
                finish(.failure(ResponseTimeout(limit: limit, headReceived: head != nil, bodyBytes: body.count)))
                context.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
        case .body(let buffer):
            guard body.count + buffer.readableBytes <= maximumBodySize else {
                finish(.failure(BodyTooLarge(limit: maximumBodySize)))
                context.close(promise: nil)
                return
            }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            if let head {
                finish(.success(HTTPSClient.Response(status: head.status, headers: head.headers, body: body)))
            }
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ClosedEarly()))
        context.fireChannelInactive()
    }

    private func finish(_ result: Swift.Result<HTTPSClient.Response, any Error>) {
        guard !done else { return }
        done = true
        deadline?.cancel()
        promise.completeWith(result)
    }
}
