import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP server on 127.0.0.1 (SwiftNIO, in the test process) that plays an OCSP responder
/// — a good one or a misbehaving one — from a script, and records every request it received.
/// Answers are taken in order; past the end of the script, `fallback` answers. ``stop()`` closes
/// the listener and every connection.
package final class TestOCSPResponder: @unchecked Sendable {
    package enum Behavior: Sendable {
        /// HTTP 200, `Content-Type: application/ocsp-response`, these bytes.
        case ocsp([UInt8])
        /// Any status with this body (Content-Length set).
        case status(Int, body: [UInt8] = [])
        /// Reads the request and never answers.
        case neverAnswer
        /// HTTP 200 with a body of this many bytes, sent in 64 KiB pieces; with or without a
        /// Content-Length (without: chunked, the length is not known up front).
        case hugeBody(bytes: Int, declareLength: Bool)
        /// `302 Found` to this location.
        case redirect(String)
        /// Declares 1000 bytes, sends 10, closes.
        case closeMidBody
    }

    package struct Request: Sendable {
        package let method: String
        package let uri: String
        package let headers: [(String, String)]
        package let body: [UInt8]

        package func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    package let port: Int
    private let lock = NSLock()
    private var script: [Behavior] = []
    private var fallback: Behavior
    private var received: [Request] = []
    private var children: [any Channel] = []
    private let server: any Channel

    package init(fallback: Behavior = .status(500)) throws {
        self.fallback = fallback
        let box = Box()
        server = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(Handler(responder: box.responder!))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = server.localAddress!.port!
        box.responder = self
    }

    /// Answers to come, in order, and what answers after them.
    package func script(_ behaviors: [Behavior], fallback: Behavior = .status(500)) {
        lock.withLock {
            script = behaviors
            self.fallback = fallback
        }
    }

    package var requests: [Request] { lock.withLock { received } }

    package func resetRequests() { lock.withLock { received = [] } }

    package var url: String { "http://127.0.0.1:\(port)/ocsp" }

    package func stop() {
        let open = lock.withLock { children }
        for channel in open { try? channel.close().wait() }
        try? server.close().wait()
    }

    deinit { stop() }

    fileprivate func take(_ request: Request, channel: any Channel) -> Behavior {
        lock.withLock {
            received.append(request)
            children.append(channel)
            return script.isEmpty ? fallback : script.removeFirst()
        }
    }

    private final class Box: @unchecked Sendable {
        weak var responder: TestOCSPResponder?
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        weak var responder: TestOCSPResponder?
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(responder: TestOCSPResponder) {
            self.responder = responder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = []
            case .body(let part):
                body += Array(buffer: part)
            case .end:
                guard let head, let responder else { return }
                let request = Request(
                    method: head.method.rawValue,
                    uri: head.uri,
                    headers: head.headers.map { ($0.name, $0.value) },
                    body: body
                )
                answer(responder.take(request, channel: context.channel), context: context)
            }
        }

        private func answer(_ behavior: Behavior, context: ChannelHandlerContext) {
            func respond(_ status: Int, _ headers: [(String, String)], _ body: [UInt8]?) {
                var h = HTTPHeaders(headers)
                h.add(name: "Connection", value: "close")
                context.write(
                    wrapOutboundOut(
                        .head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: h))
                    ),
                    promise: nil
                )
                if let body, !body.isEmpty {
                    context.write(
                        wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))),
                        promise: nil
                    )
                }
            }
            func end() {
                context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            }
            switch behavior {
            case .ocsp(let bytes):
                respond(
                    200,
                    [("Content-Type", "application/ocsp-response"), ("Content-Length", "\(bytes.count)")],
                    bytes
                )
                end()
            case .status(let code, let bytes):
                respond(code, [("Content-Length", "\(bytes.count)")], bytes)
                end()
            case .neverAnswer:
                break
            case .hugeBody(let size, let declare):
                respond(
                    200,
                    [("Content-Type", "application/ocsp-response")] + (declare ? [("Content-Length", "\(size)")] : []),
                    nil
                )
                let piece = [UInt8](repeating: 0x30, count: 65_536)
                var left = size
                while left > 0 {
                    let n = min(left, piece.count)
                    context.write(
                        wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: piece[..<n])))),
                        promise: nil
                    )
                    left -= n
                }
                end()
            case .redirect(let location):
                respond(302, [("Location", location), ("Content-Length", "0")], nil)
                end()
            case .closeMidBody:
                respond(200, [("Content-Length", "1000")], [UInt8](repeating: 0x30, count: 10))
                context.flush()
                context.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
