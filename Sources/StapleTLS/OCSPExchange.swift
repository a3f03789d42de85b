import NIOCore
import NIOHTTP1
import StapleVerifier

/// One OCSP request/response exchange on one connection, confined to its event loop: it is
/// finished exactly once — by the response, a failure, or the deadline — and closes the
/// connection when it is.
final class OCSPExchange {
    /// What the exchange produced: the result, and the HTTP status when a status line came.
    struct Answer: Sendable {
        var result: OCSPFetchResult
        var httpStatus: Int?
    }

    private let promise: EventLoopPromise<Answer>
    /// Set once connected; closed when the exchange finishes.
    var channel: (any Channel)?
    var httpStatus: Int?
    private(set) var finished = false
    var deadline: Scheduled<Void>?

    init(promise: EventLoopPromise<Answer>) {
        self.promise = promise
    }

    func finish(_ result: OCSPFetchResult) {
        guard !finished else { return }
        finished = true
        deadline?.cancel()
        promise.succeed(Answer(result: result, httpStatus: httpStatus))
        channel?.close(promise: nil)
    }
}

/// Sends the POST when the connection is up and reads the answer (firefox-policy §5.2): a
/// status other than 200 — a redirect included — fails at once, without reading the body; the
/// body is read only up to `limit` bytes, and the exchange is abandoned as soon as it passes
/// them (a declared Content-Length over the limit fails before any byte of the body).
final class OCSPResponseReader: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let request: OCSPFetchRequest
    private let limit: Int
    private let exchange: OCSPExchange
    private var body: ByteBuffer?
    private var received = 0

    init(request: OCSPFetchRequest, limit: Int, exchange: OCSPExchange) {
        self.request = request
        self.limit = limit
        self.exchange = exchange
    }

    func channelActive(context: ChannelHandlerContext) {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: request.url.requestTarget)
        head.headers.add(name: "Host", value: request.url.hostHeader)
        head.headers.add(name: "Content-Type", value: "application/ocsp-request")
        head.headers.add(name: "Content-Length", value: "\(request.body.count)")
        head.headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(
            wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: request.body)))),
            promise: nil
        )
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !exchange.finished else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            exchange.httpStatus = Int(head.status.code)
            guard head.status == .ok else {
                exchange.finish(.failed(.httpStatus(Int(head.status.code))))
                return
            }
            let declared = head.headers.first(name: "content-length").flatMap { Int($0) }
            if let declared, declared > limit {
                exchange.finish(.failed(.bodyTooLarge(declared)))
                return
            }
            body = context.channel.allocator.buffer(capacity: min(declared ?? 4096, limit))
        case .body(var part):
            received += part.readableBytes
            guard received <= limit else {
                exchange.finish(.failed(.bodyTooLarge(received)))
                return
            }
            body?.writeBuffer(&part)
        case .end:
            exchange.finish(.response(body.map { Array(buffer: $0) } ?? []))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        exchange.finish(.failed(.transport("\(error)")))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        exchange.finish(.failed(.transport("the responder closed the connection before the response ended")))
        context.fireChannelInactive()
    }
}

extension OCSPURL {
    /// The request target: the path and query, never the fragment.
    var requestTarget: String {
        String(path.prefix { $0 != "#" })
    }

    /// The Host header: the host (an IPv6 literal in brackets), and the port unless it is 80.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }
}
