import Foundation
import StapleTLS
import StapleVerifier

/// What `staple exporter` may probe and how: named modules (as blackbox_exporter's), each a policy,
/// a trust store, a timeout and an allow-list of targets.
///
/// From the command line (`--ca`, `--allow`, `--policy`) it is one module, `default`; from a file
/// (`--config`, ``load(yaml:file:)``), any number. A `/probe` request picks a module by name and can
/// name a trust store of ``trustStores`` (`ca=NAME`); it can never give a path.
public struct ExporterConfiguration: Sendable {
    public struct Module: Sendable {
        /// The policy preset, and the knobs set on it (`KEY=VALUE`, as `staple check --set`).
        public var preset: RevocationPolicy.Preset
        public var settings: [String]
        /// The PEM file of CA certificates to trust; nil trusts the system bundle.
        public var caFile: String?
        /// Firefox's built-in roots (firefox-policy §2.5 (d)): a PEM file or directory, or `none`.
        /// nil: Debian's copy of Mozilla's roots with the system bundle, none with a CA file.
        public var builtInRoots: String?
        /// The longest a probe of this module takes, unless Prometheus's scrape timeout is shorter.
        public var timeout: Duration
        /// Which targets may be probed (``TargetPattern``). Empty: none.
        public var allow: [TargetPattern]
        /// OCSP fetching (off is the same as the policy's `fetch=off`).
        public var fetch: Bool
        /// Only this TLS version; nil for either.
        public var tlsVersion: TLSClientConfiguration.TLSVersion?

        public init(
            preset: RevocationPolicy.Preset = .firefox,
            settings: [String] = [],
            caFile: String? = nil,
            builtInRoots: String? = nil,
            timeout: Duration = .seconds(10),
            allow: [TargetPattern] = [],
            fetch: Bool = true,
            tlsVersion: TLSClientConfiguration.TLSVersion? = nil
        ) {
            self.preset = preset
            self.settings = settings
            self.caFile = caFile
            self.builtInRoots = builtInRoots
            self.timeout = timeout
            self.allow = allow
            self.fetch = fetch
            self.tlsVersion = tlsVersion
        }

        /// The module's policy, or another preset with the module's knobs (a probe's `policy=`);
        /// fetching off when the module does not fetch.
        public func policy(preset other: RevocationPolicy.Preset? = nil) throws(ConfigurationError) -> RevocationPolicy
        {
            var policy = RevocationPolicy.preset(other ?? preset)
            do { try policy.apply(settings) } catch {
                throw ConfigurationError(description: "set: \(error.description)")
            }
            if !fetch { policy.fetch = .off }
            return policy
        }

        /// Whether `endpoint` may be probed with this module.
        public func allows(_ endpoint: Endpoint) -> Bool { allow.contains { $0.matches(endpoint) } }
    }

    /// The module a probe without `module=` uses.
    public static let defaultModuleName = "default"
    /// At most this many modules, allowed targets and trust stores in one file.
    public static let maximumEntries = 10_000
    /// A configuration file is read up to this size.
    public static let maximumFileSize = 1 << 20

    public var modules: [String: Module]
    /// Trust stores a probe may name with `ca=NAME`: name → PEM file.
    public var trustStores: [String: String]
    /// Probes in flight at once; one more is answered 503.
    public var maximumConcurrentProbes: Int
    /// The cap on any probe's timeout, whatever the module or Prometheus's header say.
    public var maximumTimeout: Duration

    public init(
        modules: [String: Module],
        trustStores: [String: String] = [:],
        maximumConcurrentProbes: Int = 32,
        maximumTimeout: Duration = .seconds(60)
    ) {
        self.modules = modules
        self.trustStores = trustStores
        self.maximumConcurrentProbes = maximumConcurrentProbes
        self.maximumTimeout = maximumTimeout
    }

    /// A configuration could not be used: where (the file and line, or the option) and what was wrong.
    public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }
}

// MARK: - The file

extension ExporterConfiguration {
    /// Reads a configuration file (YAML; JSON is YAML too):
    ///
    /// ```yaml
    /// max_concurrent_probes: 32      # optional
    /// max_timeout_seconds: 60        # optional
    /// ca_files:                      # optional: trust stores a probe may name (ca=internal)
    ///   internal: internal-root.pem
    /// modules:
    ///   default:
    ///     policy: firefox            # firefox, firefox2016, strict, permissive
    ///     set: {fetch: hard}         # policy knobs, as staple check --set
    ///     ca: internal-root.pem      # default: the system bundle
    ///     built_in_roots: none       # a PEM file or directory, or none
    ///     timeout_seconds: 10
    ///     fetch: true
    ///     tls: "1.3"                 # optional: only this version
    ///     allow: ["*.example.com", "10.0.0.0/8", "[2001:db8::/32]:443"]
    /// ```
    ///
    /// Relative paths are read from the file's directory. Unknown keys are errors (a misspelt key
    /// would otherwise be silently ignored).
    public static func load(path: String) throws(ConfigurationError) -> ExporterConfiguration {
        let text: String
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > maximumFileSize {
                throw ConfigurationError(description: "\(path): larger than \(maximumFileSize) bytes")
            }
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(
                description: "\(path): cannot be read (\((error as NSError).localizedDescription))"
            )
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try load(yaml: text, file: path, directory: directory)
    }

    /// Reads the text of a configuration file; `file` names it in errors, `directory` anchors its
    /// relative paths.
    public static func load(
        yaml: String,
        file: String,
        directory: String
    ) throws(ConfigurationError) -> ExporterConfiguration {
        var reader = ConfigurationReader(file: file, directory: directory)
        return try reader.read(yaml)
    }
}
