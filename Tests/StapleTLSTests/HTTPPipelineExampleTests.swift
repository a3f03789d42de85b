import NIOCore
import NIOHTTP1
import NIOPosix
import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// The embedding example of the DocC article Embedding, run as written against nginx: the handler first
/// in a plain NIOHTTP1 client pipeline.
final class HTTPPipelineExampleTests: XCTestCase {
    /// Sends a GET once the handshake is accepted and collects the response.
    final class GetHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundOut = HTTPClientRequestPart
        let host: String
        let done: EventLoopPromise<(HTTPResponseStatus, String)>
        var status: HTTPResponseStatus = .ok
        var body = ""

        init(host: String, done: EventLoopPromise<(HTTPResponseStatus, String)>) {
            self.host = host
            self.done = done
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted? = event as? StapleTLSEvent {
                var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
                head.headers.add(name: "Host", value: host)
                head.headers.add(name: "Connection", value: "close")
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
            context.fireUserInboundEventTriggered(event)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): status = head.status
            case .body(var buffer): body += buffer.readString(length: buffer.readableBytes) ?? ""
            case .end:
                done.succeed((status, body))
                context.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            done.fail(error)  // a TLSError: rejectedByPolicy, hostnameMismatch, …
            context.close(promise: nil)
        }
    }

    func testNIOHTTP1PipelineOverTheHandler() async throws {
        let nginx = try NginxServer.start(Fixtures.mustStaple, staple: .good)
        defer { nginx.stop() }
        let port = nginx.port

        // --- the README example ---
        var configuration = TLSClientConfiguration(trustRoots: .pemFile(Fixtures.root), policy: .strict)
        configuration.applicationProtocols = ["http/1.1"]
        configuration.pinTime(Fixtures.t0)  // the README leaves the clock at Date()
        let context = try StapleTLSContext(configuration: configuration)
        let group = MultiThreadedEventLoopGroup.singleton
        let done = group.next().makePromise(of: (HTTPResponseStatus, String).self)
        _ = try await ClientBootstrap(group: done.futureResult.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(StapleClientHandler(context: context, serverName: "localhost"))
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(GetHandler(host: "localhost", done: done))
                }
            }
            .connect(host: "localhost", port: port).get()
        let (status, body) = try await done.futureResult.get()
        // --- end of the example ---

        XCTAssertEqual(status, .ok)
        XCTAssertEqual(body, NginxServer.page)
    }

    func testTheSamePipelineRefusesAMustStapleServerWithoutStaple() async throws {
        let nginx = try NginxServer.start(Fixtures.mustStaple, staple: nil)
        defer { nginx.stop() }
        var configuration = TLSClientConfiguration(trustRoots: .pemFile(Fixtures.root), policy: .firefox)
        configuration.pinTime(Fixtures.t0)
        let context = try StapleTLSContext(configuration: configuration)
        let done = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: (HTTPResponseStatus, String).self)
        _ = try await ClientBootstrap(group: done.futureResult.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(StapleClientHandler(context: context, serverName: "localhost"))
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(GetHandler(host: "localhost", done: done))
                }
            }
            .connect(host: "localhost", port: nginx.port).get()
        do {
            _ = try await done.futureResult.get()
            XCTFail("accepted")
        } catch let error as TLSError {
            XCTAssertEqual(error.code, .rejectedByPolicy)
            XCTAssertEqual(error.verdict?.error?.code, .requiredTLSFeatureMissing)
            // The default configuration fetches, as Firefox does, before it names the rejection:
            // the certificate's responder (a closed loopback port) was asked and did not answer.
            let trace = error.verdict?.trace.map(\.description) ?? []
            XCTAssertTrue(
                trace.contains { $0.hasPrefix("[fetch] POST ") && $0.contains("to http://127.0.0.1:9/ocsp") },
                "\(trace)"
            )
        }
        XCTAssertEqual(nginx.file("access.log"), "", "no request reached the server")
    }
}
