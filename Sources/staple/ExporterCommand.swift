import ArgumentParser
import Dispatch
import Foundation
import Logging
import StapleExporter
import StapleTLS
import StapleVerifier

/// `staple exporter`: a Prometheus probe exporter (docs/OPERATORS.md, "Prometheus").
struct ExporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exporter",
        abstract: "Serve /probe?target=HOST[:PORT] for Prometheus: one fresh staple check per scrape.",
        discussion: """
            Quick start: staple exporter --ca root.pem --allow '*.example.com' --allow 10.0.0.0/8
            Or modules from a file: staple exporter --config staple-exporter.yml
            A target no pattern allows is refused with HTTP 400. SIGTERM or SIGINT stops it after
            the probes in flight.
            """
    )

    @Option(
        name: .customLong("listen"),
        help: ArgumentHelp("Listen on HOST:PORT ([v6]:PORT for IPv6; port 0 for any free one).", valueName: "ADDR")
    )
    var listen: String = "127.0.0.1:9115"

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "Modules from a YAML or JSON file (instead of --ca/--allow/--policy/--set).",
            valueName: "FILE"
        )
    )
    var configFile: String?

    @Option(
        name: .customLong("allow"),
        help: ArgumentHelp(
            "A target the default module may probe (repeatable): a host name, *.domain, an IP address or a CIDR block, with :PORT for that port only.",
            valueName: "PATTERN"
        )
    )
    var allow: [String] = []

    @Option(
        name: .customLong("ca"),
        help: ArgumentHelp(
            "Trust only the CA certificates of this PEM file (default: the system bundle).",
            valueName: "FILE"
        )
    )
    var caFile: String?

    @Option(
        name: .customLong("built-in-roots"),
        help: ArgumentHelp(
            "Firefox's built-in roots: a PEM file or directory, or 'none' (default: \(BuiltInRoots.mozillaDirectory) with the system bundle, none with --ca).",
            valueName: "PATH"
        )
    )
    var builtInRoots: String?

    @OptionGroup var policy: PolicyOptions

    @Flag(name: .customLong("no-fetch"), help: "Never fetch OCSP responses over HTTP.")
    var noFetch = false

    @Option(
        name: .customLong("timeout"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "Seconds a probe may take, unless Prometheus's scrape timeout (minus 0.5 s) is shorter.",
            valueName: "S"
        )
    )
    var timeout: Double = 10

    @Option(
        name: .customLong("max-concurrent"),
        help: ArgumentHelp("Probes in flight at once; one more is answered 503.", valueName: "N")
    )
    var maxConcurrent: Int = 32

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout takes seconds in (0, 3600], not \(timeout)")
        }
        guard (1...10_000).contains(maxConcurrent) else {
            throw ValidationError("--max-concurrent takes 1...10000, not \(maxConcurrent)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level takes trace, debug, info, notice, warning, error or critical")
        }
        if configFile != nil {
            guard allow.isEmpty, caFile == nil, builtInRoots == nil, policy.settings.isEmpty, policy.policy == "firefox"
            else {
                throw ValidationError(
                    "--config holds the modules: --allow, --ca, --built-in-roots, --policy and --set go in the file"
                )
            }
        } else if allow.isEmpty {
            throw ValidationError(
                "nothing could be probed: give --allow PATTERN (a host name, *.domain, an address or a CIDR block) or --config FILE"
            )
        }
        _ = try listenEndpoint()
    }

    /// `HOST:PORT`, where port 0 (any free one) is allowed, unlike a target's.
    func listenEndpoint() throws -> Endpoint {
        let anyPort = listen.hasSuffix(":0")
        do {
            var endpoint = try Endpoint(parsing: anyPort ? String(listen.dropLast()) + "1" : listen)
            if anyPort { endpoint.port = 0 }
            return endpoint
        } catch {
            throw ValidationError("--listen \(error.description)")
        }
    }

    /// The configuration: the file's, or one `default` module from the options.
    func makeConfiguration() throws -> ExporterConfiguration {
        var configuration: ExporterConfiguration
        if let configFile {
            do { configuration = try ExporterConfiguration.load(path: configFile) } catch {
                throw InputError(error.description)
            }
        } else {
            let preset = try policy.resolvePreset()
            var patterns: [TargetPattern] = []
            for text in allow {
                do { patterns.append(try TargetPattern(parsing: text)) } catch {
                    throw InputError("--allow: \(error.description)")
                }
            }
            let module = ExporterConfiguration.Module(
                preset: preset,
                settings: policy.settings,
                caFile: caFile,
                builtInRoots: builtInRoots,
                timeout: .milliseconds(Int64(timeout * 1000)),
                allow: patterns,
                fetch: !noFetch
            )
            configuration = ExporterConfiguration(modules: [ExporterConfiguration.defaultModuleName: module])
        }
        configuration.maximumConcurrentProbes = maxConcurrent
        return configuration
    }

    func run() async throws {
        var logger = Logger(label: "staple.exporter") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let exporter: ProbeExporter
        do { exporter = try ProbeExporter(configuration: try makeConfiguration(), logger: logger) } catch {
            throw InputError("\(error)")
        }
        let server: ExporterServer
        do { server = try await ExporterServer.start(exporter, listen: try listenEndpoint(), logger: logger) } catch {
            throw InputError("cannot listen on \(listen): \(error)")
        }
        logger.info(
            "listening on http://\(server.address)/probe",
            metadata: ["modules": "\(exporter.configuration.modules.keys.sorted().joined(separator: ","))"]
        )
        // Printed for scripts that start it with port 0.
        FileHandle.standardOutput.writeOrStop(Data("listening on \(server.address)\n".utf8))
        let stop = ShutdownSignal()
        let signal = await stop.wait()
        logger.info("\(signal): stopping after the probes in flight")
        await server.shutdown()
    }
}

/// SIGTERM or SIGINT, once.
final class ShutdownSignal {
    private let sources: [any DispatchSourceSignal]

    init() {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: .global())
        }
    }

    /// The name of the first signal received.
    func wait() async -> String {
        let race = Race<String>()
        for (source, name) in zip(sources, ["SIGTERM", "SIGINT"]) {
            source.setEventHandler { race.finish(name) }
            source.resume()
        }
        return await race.result
    }
}
