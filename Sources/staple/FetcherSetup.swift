import ArgumentParser
import StapleTLS
import StapleVerifier

/// OCSP fetching for `staple check` and `staple get`: the HTTP fetcher by default, `--no-fetch`
/// to turn it off (the same as `--set fetch=off`, Firefox's `security.OCSP.enabled = 0`).
///
/// One context per run (the trust store read once). A fleet's targets are each judged as a first
/// visit, with fetched answers shared (`EndpointChecker.FleetCache`); `--shared-cache` gives them
/// one OCSP cache, as a browser's (firefox-policy §5.3).
struct FetchOptions: ParsableArguments {
    @Flag(name: .customLong("no-fetch"), help: "Never fetch OCSP responses over HTTP (the same as --set fetch=off).")
    var noFetch = false

    /// Installs the HTTP OCSP fetcher, or turns fetching off.
    func apply(to configuration: inout TLSClientConfiguration) {
        if noFetch {
            configuration.engine.policy.fetch = .off
            configuration.fetcher = nil
        } else {
            configuration.fetcher = HTTPOCSPFetcher()
        }
    }

    /// The configuration of `tls`, with the HTTP OCSP fetcher (or fetching off), as a context.
    func makeContext(_ tls: TLSOptions, defaultPreset: RevocationPolicy.Preset) throws -> StapleTLSContext {
        var configuration = try tls.makeConfiguration(defaultPreset: defaultPreset)
        apply(to: &configuration)
        do { return try StapleTLSContext(configuration: configuration) } catch {
            throw InputError(error.reason)
        }
    }
}
