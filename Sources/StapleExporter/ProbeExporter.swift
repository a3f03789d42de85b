import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import StapleTLS
import StapleVerifier

/// The exporter's work, apart from HTTP: a `/probe` query in, a status and a metrics page out.
///
/// Each probe is one fresh check, a first visit: an OCSP cache of its own, so that no earlier
/// probe's staple or fetch decides this one (the verdict cache, which only ever holds acceptances
/// on a fresh Good staple for the same bytes, is kept). The trust store of each module is read
/// once, at start.
public final class ProbeExporter: Sendable {
    public let configuration: ExporterConfiguration
    let metrics = ExporterMetrics()
    private let contexts: [ContextKey: StapleTLSContext]
    private let inFlight = NIOLockedValueBox(0)
    private let group: any EventLoopGroup
    private let logger: Logger

    struct ContextKey: Hashable {
        let module: String
        let trustStore: String?
    }

    /// An HTTP answer: status, content type, body.
    public struct Answer: Sendable {
        public let status: Int
        public let contentType: String
        public let body: String

        static func text(_ status: Int, _ body: String) -> Answer {
            Answer(status: status, contentType: "text/plain; charset=utf-8", body: body + "\n")
        }
        static func metrics(_ body: String) -> Answer {
            Answer(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: body)
        }
    }

    /// - Parameter adjust: applied to every module's client configuration (tests pin the clock
    ///   with it).
    public init(
        configuration: ExporterConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "staple.exporter"),
        adjust: (inout TLSClientConfiguration) -> Void = { _ in }
    ) throws(ExporterConfiguration.ConfigurationError) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        var contexts: [ContextKey: StapleTLSContext] = [:]
        for (name, module) in configuration.modules {
            let stores: [String?] = [nil] + configuration.trustStores.keys.map { $0 }
            for store in stores {
                let caFile = store.map { configuration.trustStores[$0]! } ?? module.caFile
                var client = try Self.clientConfiguration(module, caFile: caFile, moduleName: name)
                adjust(&client)
                do {
                    contexts[ContextKey(module: name, trustStore: store)] = try StapleTLSContext(configuration: client)
                } catch {
                    throw ExporterConfiguration.ConfigurationError(
                        description: "module '\(name)'\(store.map { ", trust store '\($0)'" } ?? ""): \(error.reason)"
                    )
                }
            }
        }
        self.contexts = contexts
    }

    /// The client configuration of a module: its trust, policy, fetcher, versions.
    static func clientConfiguration(
        _ module: ExporterConfiguration.Module,
        caFile: String?,
        moduleName: String
    ) throws(ExporterConfiguration.ConfigurationError) -> TLSClientConfiguration {
        let policy: RevocationPolicy
        do { policy = try module.policy() } catch {
            throw .init(description: "module '\(moduleName)': \(error.description)")
        }
        var client = TLSClientConfiguration(trustRoots: caFile.map { .pemFile($0) } ?? .system, policy: policy)
        client.requestStaple = policy.stapling
        client.fetcher = module.fetch ? HTTPOCSPFetcher() : nil
        if let version = module.tlsVersion {
            client.minimumVersion = version
            client.maximumVersion = version
        }
        // Firefox's built-in roots: the module's, or Mozilla's with the system bundle; never with a
        // private CA (firefox-policy §2.5 (d)).
        var roots = module.builtInRoots
        if roots == nil, caFile == nil, FileManager.default.fileExists(atPath: BuiltInRoots.mozillaDirectory) {
            roots = BuiltInRoots.mozillaDirectory
        }
        if let roots, roots != "none", caFile == module.caFile {
            do { client.engine.builtInRoots = try BuiltInRoots.load(from: roots) } catch {
                throw .init(description: "module '\(moduleName)': built_in_roots: \(error.reason)")
            }
        }
        return client
    }

    /// Answers `GET /probe?…`.
    public func probe(query: [(name: String, value: String)], scrapeTimeout: String?) async -> Answer {
        let request: ProbeRequest
        do {
            request = try ProbeRequest(query: query, scrapeTimeoutHeader: scrapeTimeout, configuration: configuration)
        } catch {
            metrics.refused(error.reason.rawValue)
            logger.info("probe refused", metadata: ["reason": "\(error.reason.rawValue)", "why": "\(error.message)"])
            return .text(400, error.message)
        }
        let limit = configuration.maximumConcurrentProbes
        let admitted = inFlight.withLockedValue { count -> Bool in
            guard count < limit else { return false }
            count += 1
            return true
        }
        guard admitted else {
            metrics.refused("busy")
            logger.warning("probe refused: \(limit) probes in flight", metadata: ["target": "\(request.target)"])
            return .text(503, "\(limit) probes are in flight already (max_concurrent_probes); try again later")
        }
        metrics.started()
        let clock = ContinuousClock()
        let start = clock.now
        let result = await run(request)
        let duration = clock.now - start
        metrics.finished(result, duration: duration)
        logger.debug(
            "probed \(request.target)",
            metadata: [
                "module": "\(request.moduleName)",
                "outcome": "\(Self.outcome(result))",
                "ms": "\(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)",
            ]
        )
        return .metrics(ProbeMetrics.render(result, duration: duration))
    }

    /// Answers `GET /metrics`.
    public func exporterMetrics() -> Answer { .metrics(metrics.render()) }

    /// Probes in flight now.
    public var probesInFlight: Int { inFlight.withLockedValue { $0 } }

    /// One check, answered by its timeout at the latest. The check itself always ends (its connect
    /// and handshake timeouts are the probe's); its slot is given back only then, so that the
    /// concurrency bound counts what really runs.
    private func run(_ request: ProbeRequest) async -> ProbeMetrics.Result {
        let base = contexts[ContextKey(module: request.moduleName, trustStore: request.trustStore)]!
        var engine = base.configuration.engine.withOwnOCSPCache()
        engine.policy = request.policy
        engine.target = request.target
        let context = StapleTLSContext(sharing: base) {
            $0.engine = engine
            $0.requestStaple = request.policy.stapling
            if request.policy.fetch == .off { $0.fetcher = nil }
            $0.connectTimeout = request.timeout
            $0.handshakeTimeout = request.timeout
        }
        let checker = EndpointChecker(context: context, group: group)
        let inFlight = self.inFlight
        let race = Race<ProbeMetrics.Result>()
        Task {
            let report = await checker.check(request.endpoint, serverName: request.serverName, target: request.target)
            inFlight.withLockedValue { $0 -= 1 }
            race.finish(.report(report))
        }
        let timer = Task {
            guard (try? await Task.sleep(for: request.timeout + .milliseconds(50))) != nil else { return }
            race.finish(.timedOut(request.timeout))
        }
        let result = await race.result
        timer.cancel()
        return result
    }

    static func outcome(_ result: ProbeMetrics.Result) -> String {
        switch result {
        case .report(let report): return report.outcome.rawValue
        case .timedOut: return "timeout"
        }
    }
}

/// The first of several results; later ones are dropped.
package final class Race<Value: Sendable>: Sendable {
    private let state = NIOLockedValueBox<(value: Value?, waiter: CheckedContinuation<Value, Never>?)>((nil, nil))

    package init() {}

    package func finish(_ value: Value) {
        let waiter: CheckedContinuation<Value, Never>? = state.withLockedValue { s in
            guard s.value == nil else { return nil }
            s.value = value
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: value)
    }

    package var result: Value {
        get async {
            await withCheckedContinuation { continuation in
                let ready: Value? = state.withLockedValue { s in
                    if let value = s.value { return value }
                    s.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
