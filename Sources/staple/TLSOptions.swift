import ArgumentParser
import Foundation
import StapleTLS
import StapleVerifier

/// The options `staple check` and `staple get` share: trust, name, policy, protocol, time.
struct TLSOptions: ParsableArguments {
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
            "The roots that count as Firefox's built-in ones (a PEM file or a directory of them), or 'none'; a chain ending in one gets no OCSP fetch under crlite=enforce (default: \(BuiltInRoots.mozillaDirectory) with the system bundle, none with --ca).",
            valueName: "PATH"
        )
    )
    var builtInRoots: String?

    @Option(
        name: .customLong("servername"),
        help: ArgumentHelp("The name to send as SNI and to verify (default: the target's host).", valueName: "NAME")
    )
    var serverName: String?

    @Option(
        name: .customLong("policy"),
        help: ArgumentHelp(
            "The policy preset: \(RevocationPolicy.Preset.allCases.filter { $0 != .custom }.map(\.rawValue).joined(separator: ", ")) (default: firefox for check, strict for get).",
            valueName: "P"
        )
    )
    var policy: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Set a policy knob (repeatable), e.g. fetch=hard; keys: \(RevocationPolicy.settableKeys.joined(separator: ", ")).",
            valueName: "K=V"
        )
    )
    var settings: [String] = []

    @Option(
        name: .customLong("tls"),
        help: ArgumentHelp("Use only this TLS version: 1.2 or 1.3 (default: either).", valueName: "VERSION")
    )
    var tlsVersion: String?

    @Option(
        name: .customLong("alpn"),
        help: ArgumentHelp("Offer these ALPN protocols, comma-separated (e.g. http/1.1).", valueName: "LIST")
    )
    var alpn: String?

    // Unconditional, so that `--timeout -1` reaches the range check instead of reading as an option.
    @Option(
        name: .customLong("timeout"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "Seconds for the TCP connect, again for the handshake and verdict, and (staple get) again for the response.",
            valueName: "S"
        )
    )
    var timeout: Double = 10

    @Option(
        name: .customLong("at"),
        help: ArgumentHelp(
            "Verify as of this time (RFC 3339, e.g. 2026-06-01T12:00:00Z, or seconds since 1970), for the engine and for path validation (default: now).",
            valueName: "TIME"
        )
    )
    var at: String?

    func validate() throws {
        if let tlsVersion, TLSClientConfiguration.TLSVersion(rawValue: tlsVersion) == nil {
            throw ValidationError("--tls takes 1.2 or 1.3, not '\(tlsVersion)'")
        }
        guard timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout takes seconds in (0, 3600], not \(timeout)")
        }
        if let at {
            do { _ = try InputFiles.time(at) } catch { throw ValidationError("--at: \(error)") }
        }
        _ = try makePolicy(defaultPreset: .firefox)
    }

    func makePolicy(defaultPreset: RevocationPolicy.Preset) throws -> RevocationPolicy {
        var preset = defaultPreset
        if let policy {
            guard let p = RevocationPolicy.Preset(rawValue: policy), p != .custom else {
                throw ValidationError(
                    "--policy takes \(RevocationPolicy.Preset.allCases.filter { $0 != .custom }.map(\.rawValue).joined(separator: ", ")), not '\(policy)'"
                )
            }
            preset = p
        }
        var result = RevocationPolicy.preset(preset)
        do { try result.apply(settings) } catch { throw ValidationError("--set: \(error.description)") }
        return result
    }

    /// The client configuration. `stapling=false` in the policy also drops status_request from
    /// the ClientHello, as Firefox's pref does (firefox-policy §1.4).
    func makeConfiguration(defaultPreset: RevocationPolicy.Preset) throws -> TLSClientConfiguration {
        let policy = try makePolicy(defaultPreset: defaultPreset)
        var configuration = TLSClientConfiguration(trustRoots: caFile.map { .pemFile($0) } ?? .system, policy: policy)
        configuration.requestStaple = policy.stapling
        configuration.engine.builtInRoots = try makeBuiltInRoots()
        if let version = tlsVersion.flatMap(TLSClientConfiguration.TLSVersion.init(rawValue:)) {
            configuration.minimumVersion = version
            configuration.maximumVersion = version
        }
        configuration.applicationProtocols =
            alpn.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        configuration.connectTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.handshakeTimeout = .milliseconds(Int64(timeout * 1000))
        if let at { configuration.pinTime(try InputFiles.time(at)) }
        configuration.fetcher = nil  // FetchOptions (FetcherSetup.swift) installs the HTTP OCSP fetcher
        return configuration
    }

    /// The built-in roots (firefox-policy §2.5 (d)): Debian's copy of Mozilla's root program when the
    /// system bundle is trusted and no other set is named, none with `--ca` (a private PKI's roots
    /// are never built into Firefox).
    func makeBuiltInRoots() throws -> BuiltInRoots {
        let path: String
        switch builtInRoots {
        case "none"?: return .none
        case let given?: path = given
        case nil:
            guard caFile == nil, FileManager.default.fileExists(atPath: BuiltInRoots.mozillaDirectory) else {
                return .none
            }
            path = BuiltInRoots.mozillaDirectory
        }
        do { return try BuiltInRoots.load(from: path) } catch { throw InputError("--built-in-roots: \(error.reason)") }
    }

    /// A context; an unusable configuration (unreadable CA file, …) is bad input: exit 2.
    func makeContext(defaultPreset: RevocationPolicy.Preset) throws -> StapleTLSContext {
        let configuration = try makeConfiguration(defaultPreset: defaultPreset)
        do { return try StapleTLSContext(configuration: configuration) } catch {
            throw InputError(error.reason)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.writeOrStop(Data((text + "\n").utf8))
}
