import Foundation
import StapleTLS
import StapleVerifier
import Yams

/// Walks the YAML tree of an exporter configuration file, with the file and line in every error.
struct ConfigurationReader {
    typealias LoadError = ExporterConfiguration.ConfigurationError
    let file: String
    let directory: String

    mutating func read(_ text: String) throws(LoadError) -> ExporterConfiguration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw LoadError(description: "\(file): empty") }
            root = node
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(description: "\(file): not YAML or JSON: \(Self.yamlProblem(error))")
        }
        let top = try mapping(
            root,
            "the file",
            keys: [
                "modules", "ca_files", "max_concurrent_probes", "max_timeout_seconds",
            ]
        )
        var configuration = ExporterConfiguration(modules: [:])
        if let node = top["max_concurrent_probes"] {
            configuration.maximumConcurrentProbes = try integer(node, "max_concurrent_probes", in: 1...10_000)
        }
        if let node = top["max_timeout_seconds"] {
            configuration.maximumTimeout = try seconds(node, "max_timeout_seconds")
        }
        if let node = top["ca_files"] {
            for (name, value) in try entries(node, "ca_files") {
                configuration.trustStores[name] = try path(value, "ca_files.\(name)")
            }
        }
        guard let modules = top["modules"] else { throw LoadError(description: "\(file): no 'modules'") }
        for (name, node) in try entries(modules, "modules") {
            configuration.modules[name] = try module(node, name)
        }
        guard !configuration.modules.isEmpty else { throw LoadError(description: "\(file): 'modules' is empty") }
        return configuration
    }

    private func module(_ node: Node, _ name: String) throws(LoadError) -> ExporterConfiguration.Module {
        let where_ = "module '\(name)'"
        let keys = try mapping(
            node,
            where_,
            keys: [
                "policy", "set", "ca", "built_in_roots", "timeout_seconds", "allow", "fetch", "tls",
            ]
        )
        var module = ExporterConfiguration.Module()
        if let node = keys["policy"] {
            let text = try string(node, "\(where_).policy")
            guard let preset = RevocationPolicy.Preset(rawValue: text), preset != .custom else {
                throw error(node, "\(where_).policy: '\(text)' is not firefox, firefox2016, strict or permissive")
            }
            module.preset = preset
        }
        if let node = keys["set"] {
            var settings: [String] = []
            if case .sequence(let items) = node {
                for item in items { settings.append(try string(item, "\(where_).set")) }
            } else {
                for (key, value) in try entries(node, "\(where_).set") {
                    settings.append("\(key)=\(try string(value, "\(where_).set.\(key)"))")
                }
            }
            var policy = RevocationPolicy.firefox
            do { try policy.apply(settings) } catch {
                throw self.error(node, "\(where_).set: \(error.description)")
            }
            module.settings = settings
        }
        if let node = keys["ca"] { module.caFile = try path(node, "\(where_).ca") }
        if let node = keys["built_in_roots"] {
            let text = try string(node, "\(where_).built_in_roots")
            module.builtInRoots = text == "none" ? "none" : try path(node, "\(where_).built_in_roots")
        }
        if let node = keys["timeout_seconds"] { module.timeout = try seconds(node, "\(where_).timeout_seconds") }
        if let node = keys["fetch"] {
            guard let flag = node.bool else { throw error(node, "\(where_).fetch: true or false") }
            module.fetch = flag
        }
        if let node = keys["tls"] {
            let text = try string(node, "\(where_).tls")
            guard let version = TLSClientConfiguration.TLSVersion(rawValue: text) else {
                throw error(node, "\(where_).tls: 1.2 or 1.3, not '\(text)'")
            }
            module.tlsVersion = version
        }
        if let node = keys["allow"] {
            guard case .sequence(let items) = node else { throw error(node, "\(where_).allow: a list of targets") }
            guard items.count <= ExporterConfiguration.maximumEntries else {
                throw error(node, "\(where_).allow: more than \(ExporterConfiguration.maximumEntries) entries")
            }
            for item in items {
                let text = try string(item, "\(where_).allow")
                do { module.allow.append(try TargetPattern(parsing: text)) } catch {
                    throw self.error(item, "\(where_): \(error.description)")
                }
            }
        }
        return module
    }

    // MARK: - Typed reads

    private func error(_ node: Node, _ what: String) -> LoadError {
        LoadError(description: "\(file)\(node.mark.map { ":\($0.line)" } ?? ""): \(what)")
    }

    /// A mapping whose keys are all in `keys`.
    private func mapping(_ node: Node, _ what: String, keys: [String]) throws(LoadError) -> [String: Node] {
        var result: [String: Node] = [:]
        for (key, value) in try entries(node, what) {
            guard keys.contains(key) else {
                throw error(node, "\(what): unknown key '\(key)' (known: \(keys.joined(separator: ", ")))")
            }
            result[key] = value
        }
        return result
    }

    /// The pairs of a mapping with string keys, in order, bounded.
    private func entries(_ node: Node, _ what: String) throws(LoadError) -> [(String, Node)] {
        guard case .mapping(let mapping) = node else { throw error(node, "\(what): expected a mapping") }
        guard mapping.count <= ExporterConfiguration.maximumEntries else {
            throw error(node, "\(what): more than \(ExporterConfiguration.maximumEntries) entries")
        }
        var result: [(String, Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else { throw error(key, "\(what): keys are names") }
            result.append((scalar.string, value))
        }
        return result
    }

    private func string(_ node: Node, _ what: String) throws(LoadError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error(node, "\(what): expected a value, not a list or mapping")
        }
        return scalar.string
    }

    private func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>) throws(LoadError) -> Int {
        guard let n = node.int, range.contains(n) else {
            throw error(node, "\(what): a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    private func seconds(_ node: Node, _ what: String) throws(LoadError) -> Duration {
        guard let s = node.float, s > 0, s <= 3600 else { throw error(node, "\(what): seconds in (0, 3600]") }
        return .milliseconds(Int64(s * 1000))
    }

    /// A path, relative ones read from the configuration file's directory.
    private func path(_ node: Node, _ what: String) throws(LoadError) -> String {
        let text = try string(node, what)
        guard !text.isEmpty else { throw error(node, "\(what): an empty path") }
        return text.hasPrefix("/") ? text : URL(fileURLWithPath: directory).appendingPathComponent(text).path
    }

    /// Yams's own message, without the snippet it appends.
    private static func yamlProblem(_ error: any Error) -> String {
        "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    }
}
