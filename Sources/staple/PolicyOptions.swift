import ArgumentParser
import StapleVerifier

/// `--policy` and `--set`: shared by every command that decides.
struct PolicyOptions: ParsableArguments {
    @Option(name: .long, help: "Policy preset: firefox (default), firefox2016, strict, permissive.")
    var policy: String = "firefox"

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override one policy field (repeatable).", valueName: "KEY=VALUE")
    )
    var settings: [String] = []

    /// The preset named, the knobs checked (they are applied later, as `settings`).
    func resolvePreset() throws -> RevocationPolicy.Preset {
        _ = try resolve()
        return RevocationPolicy.Preset(rawValue: policy)!
    }

    func resolve() throws -> RevocationPolicy {
        guard let preset = RevocationPolicy.Preset(rawValue: policy), preset != .custom else {
            throw ValidationError("unknown policy '\(policy)'; choose firefox, firefox2016, strict or permissive")
        }
        var p = RevocationPolicy.preset(preset)
        do { try p.apply(settings) } catch { throw ValidationError("--set: \(error.description)") }
        return p
    }
}
