import Foundation
import StapleExporter
import StapleTLS
import StapleVerifier
import Testing

/// `staple exporter --config`: YAML and JSON read the same, relative paths from the file's folder,
/// and every mistake names its file, line and key.
@Suite struct ExporterConfigurationTests {
    static let yaml = """
        max_concurrent_probes: 4
        max_timeout_seconds: 20
        ca_files:
          internal: certs/internal.pem
        modules:
          default:
            allow: ["127.0.0.1", "*.example.com"]
          strict_hard:
            policy: strict
            set: {fetch: hard, softTimeoutMs: 1500}
            ca: /etc/root.pem
            built_in_roots: none
            timeout_seconds: 2.5
            fetch: false
            tls: "1.3"
            allow:
              - 10.0.0.0/8
        """

    @Test("a YAML file gives its modules, knobs and paths")
    func readsYAML() throws {
        let c = try ExporterConfiguration.load(yaml: Self.yaml, file: "x.yml", directory: "/srv/exporter")
        #expect(c.maximumConcurrentProbes == 4)
        #expect(c.maximumTimeout == .seconds(20))
        #expect(c.trustStores == ["internal": "/srv/exporter/certs/internal.pem"])
        let d = try #require(c.modules["default"])
        #expect(d.preset == .firefox)
        #expect(d.allow.map(\.description) == ["127.0.0.1", "*.example.com"])
        #expect(d.caFile == nil)
        let s = try #require(c.modules["strict_hard"])
        let policy = try s.policy()
        #expect(policy.requireStaple)  // strict
        #expect(policy.fetch == .off)  // fetch: false wins over set fetch=hard
        #expect(policy.softTimeoutMs == 1500)
        #expect(s.caFile == "/etc/root.pem")
        #expect(s.builtInRoots == "none")
        #expect(s.timeout == .milliseconds(2500))
        #expect(s.tlsVersion == .tls13)
        #expect(try s.policy(preset: .permissive).softTimeoutMs == 1500, "a probe's policy= keeps the module's knobs")
    }

    @Test("JSON is read as well")
    func readsJSON() throws {
        let json = #"{"modules": {"default": {"policy": "firefox2016", "allow": ["localhost:8443"]}}}"#
        let c = try ExporterConfiguration.load(yaml: json, file: "x.json", directory: "/")
        #expect(c.modules["default"]?.preset == .firefox2016)
        #expect(c.modules["default"]?.allows(Endpoint(host: "localhost", port: 8443)) == true)
        #expect(c.modules["default"]?.allows(Endpoint(host: "localhost", port: 443)) == false)
    }

    @Test(
        "mistakes name the file, the line and what was wrong",
        arguments: [
            ("modules:\n  default:\n    alow: [x]\n", "x.yml:3: module 'default': unknown key 'alow'"),
            ("modules:\n  default:\n    policy: chrome\n", "x.yml:3: module 'default'.policy: 'chrome' is not"),
            ("modules:\n  default:\n    set: {fetch: sometimes}\n", "fetch takes off, soft or hard"),
            (
                "modules:\n  default:\n    allow: [10.0.0.1/8]\n",
                "x.yml:3: module 'default': allowed target '10.0.0.1/8'"
            ),
            ("modules:\n  default:\n    timeout_seconds: -1\n", "timeout_seconds: seconds in (0, 3600]"),
            (
                "max_concurrent_probes: 0\nmodules: {default: {}}\n",
                "max_concurrent_probes: a whole number in 1...10000"
            ),
            ("modules: {}\n", "'modules' is empty"),
            ("ca_files: {}\n", "no 'modules'"),
            ("modules: [a, b]\n", "modules: expected a mapping"),
            ("modules:\n  default: {allow: [x\n", "not YAML or JSON"),
            ("", "empty"),
        ]
    )
    func mistakes(_ text: String, _ message: String) {
        #expect {
            _ = try ExporterConfiguration.load(yaml: text, file: "x.yml", directory: "/")
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("a file too large or missing is refused by name")
    func files() throws {
        #expect {
            _ = try ExporterConfiguration.load(path: "/nonexistent/exporter.yml")
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent/exporter.yml: cannot be read")
        }
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("staple-exporter-big.yml")
        try Data(repeating: 0x20, count: ExporterConfiguration.maximumFileSize + 1).write(to: big)
        defer { try? FileManager.default.removeItem(at: big) }
        #expect {
            _ = try ExporterConfiguration.load(path: big.path)
        } throws: { error in
            "\(error)".contains("larger than")
        }
    }
}
