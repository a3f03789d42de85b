import Foundation
import StapleTLS
import StapleVerifier

/// One `/probe` request, read from its query and headers and checked against the configuration:
/// everything a probe needs, or the reason it is refused (HTTP 400).
///
/// `target=HOST[:PORT]` (port 443 by default), `module=NAME` (default `default`), `policy=P` (a
/// preset instead of the module's, the module's knobs kept), `servername=NAME` (SNI and the name
/// verified), `ca=NAME` (a trust store of the configuration's `ca_files`, never a path).
struct ProbeRequest: Sendable {
    let target: String
    let endpoint: Endpoint
    let moduleName: String
    let module: ExporterConfiguration.Module
    let policy: RevocationPolicy
    let serverName: String?
    let trustStore: String?
    let timeout: Duration

    struct Refusal: Error, Hashable, Sendable {
        enum Reason: String, Sendable {
            case badRequest = "bad_request"
            case notAllowed = "not_allowed"
        }
        let reason: Reason
        let message: String
    }

    /// What blackbox_exporter also takes off Prometheus's scrape timeout, so that the answer arrives
    /// before Prometheus gives up.
    static let scrapeTimeoutOffset: Duration = .milliseconds(500)
    /// A probe gets at least this long, whatever the header says.
    static let minimumTimeout: Duration = .milliseconds(100)

    init(
        query: [(name: String, value: String)],
        scrapeTimeoutHeader: String?,
        configuration: ExporterConfiguration
    ) throws(Refusal) {
        func bad(_ message: String) -> Refusal { Refusal(reason: .badRequest, message: message) }
        var values: [String: String] = [:]
        for (name, value) in query {
            guard ["target", "module", "policy", "servername", "ca"].contains(name) else {
                throw bad("unknown parameter '\(name)' (known: target, module, policy, servername, ca)")
            }
            guard values[name] == nil else { throw bad("'\(name)' is given more than once") }
            values[name] = value
        }
        guard let target = values["target"], !target.isEmpty else { throw bad("no target (?target=HOST[:PORT])") }
        guard !target.contains("://"), !target.contains("/") else {
            throw bad("target '\(target)': HOST[:PORT] only, not a URL")
        }
        do { endpoint = try Endpoint(parsing: target) } catch { throw bad("target \(error.description)") }
        self.target = target

        moduleName = values["module"] ?? ExporterConfiguration.defaultModuleName
        guard let module = configuration.modules[moduleName] else {
            throw bad(
                "unknown module '\(moduleName)' (known: \(configuration.modules.keys.sorted().joined(separator: ", ")))"
            )
        }
        self.module = module
        guard module.allows(endpoint) else {
            throw Refusal(
                reason: .notAllowed,
                message:
                    "target '\(target)' is not allowed by module '\(moduleName)' (allowed: \(module.allow.map(\.description).joined(separator: ", ")))"
            )
        }

        var preset: RevocationPolicy.Preset?
        if let name = values["policy"] {
            guard let p = RevocationPolicy.Preset(rawValue: name), p != .custom else {
                throw bad("unknown policy '\(name)' (firefox, firefox2016, strict or permissive)")
            }
            preset = p
        }
        do { policy = try module.policy(preset: preset) } catch { throw bad(error.description) }

        if let name = values["servername"] {
            do { _ = try Endpoint(parsing: name) } catch { throw bad("servername \(error.description)") }
            guard !name.contains(":") else { throw bad("servername '\(name)': a host name, without a port") }
            serverName = name
        } else {
            serverName = nil
        }
        if let name = values["ca"] {
            guard configuration.trustStores[name] != nil else {
                let known = configuration.trustStores.keys.sorted()
                throw bad(
                    "unknown trust store '\(name)'"
                        + (known.isEmpty
                            ? " (the configuration names none)" : " (known: \(known.joined(separator: ", ")))")
                )
            }
            trustStore = name
        } else {
            trustStore = nil
        }

        var timeout = min(module.timeout, configuration.maximumTimeout)
        if let header = scrapeTimeoutHeader {
            guard let seconds = Double(header.trimmingCharacters(in: .whitespaces)), seconds > 0, seconds.isFinite
            else {
                throw bad("X-Prometheus-Scrape-Timeout-Seconds: '\(header)' is not a number of seconds")
            }
            timeout = min(timeout, .milliseconds(Int64(min(seconds, 3600) * 1000)) - Self.scrapeTimeoutOffset)
        }
        self.timeout = max(timeout, Self.minimumTimeout)
    }

}
