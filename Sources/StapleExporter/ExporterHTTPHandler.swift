import Foundation
import NIOCore
import NIOHTTP1

/// Routes the requests NIOHTTP1's server pipeline has parsed: `GET /probe`, `GET /metrics`, `GET /`.
/// The pipeline's pipelining assistance keeps answers in request order; a request body is dropped
/// as it arrives (none is expected).
final class ExporterHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let exporter: ProbeExporter
    private var head: HTTPRequestHead?

    init(exporter: ProbeExporter) {
        self.exporter = exporter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(context, to: head)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func respond(_ context: ChannelHandlerContext, to head: HTTPRequestHead) {
        guard head.method == .GET || head.method == .HEAD else {
            write(context, head, .text(405, "only GET and HEAD"), extraHeaders: [("Allow", "GET, HEAD")])
            return
        }
        let (path, query) = Self.split(head.uri)
        switch path {
        case "/probe":
            guard let query else {
                write(context, head, .text(400, "no target (?target=HOST[:PORT])"))
                return
            }
            let exporter = self.exporter
            let timeout = head.headers.first(name: "X-Prometheus-Scrape-Timeout-Seconds")
            context.eventLoop.makeFutureWithTask {
                await exporter.probe(query: query, scrapeTimeout: timeout)
            }
            .assumeIsolated()
            .whenSuccess { answer in self.write(context, head, answer) }
        case "/metrics":
            write(context, head, exporter.exporterMetrics())
        case "/":
            write(context, head, .text(200, Self.index))
        default:
            write(context, head, .text(404, "no such page: \(path) (try /probe?target=HOST[:PORT] or /metrics)"))
        }
    }

    static let index = """
        staple exporter: a Prometheus probe exporter that verifies OCSP staples
          /probe?target=HOST[:PORT][&module=NAME][&policy=P][&servername=NAME][&ca=NAME]
          /metrics   the exporter's own metrics
        """

    /// The path and the decoded query pairs of a request URI (Foundation's URL parser); a query
    /// that is not valid percent-encoding gives an empty list, which asks for a target.
    static func split(_ uri: String) -> (path: String, query: [(name: String, value: String)]?) {
        guard let components = URLComponents(string: uri) else { return (uri, nil) }
        let query = components.queryItems?.map { (name: $0.name, value: $0.value ?? "") }
        return (components.path, query)
    }

    private func write(
        _ context: ChannelHandlerContext,
        _ request: HTTPRequestHead,
        _ answer: ProbeExporter.Answer,
        extraHeaders: [(String, String)] = []
    ) {
        let keepAlive = request.isKeepAlive
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer.contentType)
        headers.add(name: "Content-Length", value: "\(answer.body.utf8.count)")
        headers.add(contentsOf: extraHeaders)
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(
            version: request.version,
            status: HTTPResponseStatus(statusCode: answer.status),
            headers: headers
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            var buffer = context.channel.allocator.buffer(capacity: answer.body.utf8.count)
            buffer.writeString(answer.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }
}
