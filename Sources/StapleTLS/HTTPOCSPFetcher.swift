import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import StapleVerifier

/// The engine's `OCSPFetcher` over HTTP/1.1, on SwiftNIO (NIOHTTP1): the non-stapled path of
/// Firefox's `CheckRevocationByOCSP` (firefox-policy §2.7, §5.2).
///
/// One request is one new connection and one POST, as Firefox's `OCSPRequest::Run` sends it:
/// - `POST` only, the DER request of firefox-policy §3.12 as the body (the engine builds it: one SHA-1 CertID, no
///   nonce, ≤ 127 bytes), `Content-Type: application/ocsp-request`, `Content-Length`, `Host`,
///   `Connection: close`; no cookies, no caching, no proxy;
/// - only the `http` URL the engine validated (firefox-policy §2.2, §8.9: `OCSPURL`);
/// - one deadline, `request.timeoutMilliseconds` (the policy's soft or hard timeout, clamped as
///   Firefox clamps it, firefox-policy §5.1), covering connect, send and the whole response — Firefox's one-shot
///   timer;
/// - a response only from HTTP 200; any other status is a failure, **redirects included**: we do
///   not follow them (see the DocC article OCSPFetching for what Firefox's channel does and why we differ);
/// - the body is read up to ``maximumResponseBytes`` (mozpkix `Input` holds 65535 bytes) and the
///   connection is abandoned as soon as it passes them: a 10 MiB body is never read whole.
///
/// Failures come back as `OCSPFetchResult/failed(_:)`; the engine turns them into
/// `SEC_ERROR_OCSP_SERVER_ERROR` (a body too large into `SEC_ERROR_OCSP_MALFORMED_RESPONSE`), caches
/// them for 5 minutes and applies the soft/hard rules. ``fetchWithDetails(_:)`` adds the HTTP
/// status and the duration, measured here (the engine reads no clock).
///
/// A value is cheap and `Sendable`; any number of fetches may run at once.
public struct HTTPOCSPFetcher: OCSPFetcher {
    /// mozpkix `Input` holds at most 65535 bytes (firefox-policy §2.3, §10): the engine's own
    /// limit for a response (`OCSPResponse/maximumSize`).
    public static let defaultMaximumResponseBytes = OCSPResponse.maximumSize

    public let group: any EventLoopGroup
    public var maximumResponseBytes: Int
    public var logger: Logger?

    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        maximumResponseBytes: Int = HTTPOCSPFetcher.defaultMaximumResponseBytes,
        logger: Logger? = nil
    ) {
        self.group = group
        self.maximumResponseBytes = maximumResponseBytes
        self.logger = logger
    }

    public func fetch(_ request: OCSPFetchRequest) async -> OCSPFetchResult {
        await fetchWithDetails(request).0
    }

    public func fetchWithDetails(_ request: OCSPFetchRequest) async -> (OCSPFetchResult, OCSPFetchDetails) {
        let clock = ContinuousClock()
        let start = clock.now
        let answer: OCSPExchange.Answer
        do {
            answer = try await exchange(request).get()
        } catch {
            answer = OCSPExchange.Answer(result: .failed(.transport("\(error)")), httpStatus: nil)
        }
        let elapsed = clock.now - start
        let milliseconds = Int(
            elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        )
        logger?.debug(
            "OCSP fetch",
            metadata: [
                "url": "\(request.url)", "httpStatus": "\(answer.httpStatus.map(String.init) ?? "-")",
                "result": "\(Self.describe(answer.result))", "durationMs": "\(milliseconds)",
            ]
        )
        return (answer.result, OCSPFetchDetails(httpStatus: answer.httpStatus, durationMilliseconds: milliseconds))
    }

    /// Connects, sends, reads; never fails (every failure is an `OCSPFetchResult/failed(_:)`).
    func exchange(_ request: OCSPFetchRequest) -> EventLoopFuture<OCSPExchange.Answer> {
        let eventLoop = group.next()
        let limit = maximumResponseBytes
        return eventLoop.flatSubmit {
            let promise = eventLoop.makePromise(of: OCSPExchange.Answer.self)
            let exchange = OCSPExchange(promise: promise)
            let timeout = TimeAmount.milliseconds(Int64(max(request.timeoutMilliseconds, 0)))
            exchange.deadline = eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                exchange.finish(.failed(.timeout))
            }
            let bound = NIOLoopBound(exchange, eventLoop: eventLoop)
            ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHTTPClientHandlers()
                        try pipeline.addHandler(
                            OCSPResponseReader(request: request, limit: limit, exchange: bound.value)
                        )
                    }
                }
                .connect(host: request.url.host, port: request.url.port)
                .assumeIsolated()
                .whenComplete { result in
                    switch result {
                    case .success(let channel):
                        if exchange.finished { channel.close(promise: nil) } else { exchange.channel = channel }
                    case .failure(let error):
                        exchange.finish(.failed(Self.failure(error, host: request.url.host)))
                    }
                }
            return promise.futureResult
        }
    }

    /// A connect error as the engine's failure: refused, timeout, or what else happened.
    static func failure(_ error: any Error, host: String) -> OCSPFetchFailure {
        let errors = (error as? NIOConnectionError)?.connectionErrors.map(\.error) ?? [error]
        if errors.contains(where: { ($0 as? IOError)?.errnoCode == ECONNREFUSED }) { return .refused }
        if errors.contains(where: { if case .connectTimeout? = $0 as? ChannelError { true } else { false } }) {
            return .timeout
        }
        if errors.isEmpty { return .transport("cannot resolve '\(host)'") }
        return .transport(errors.map { "\($0)" }.joined(separator: "; "))
    }

    static func describe(_ result: OCSPFetchResult) -> String {
        switch result {
        case .response(let body): return "response (\(body.count) bytes)"
        case .failed(let failure): return failure.description
        }
    }
}
