import ArgumentParser
import StapleVerifier

/// Options for operators, shared by `verify` and `check`: comparison, health, output formats,
/// report-only mode.
struct OperatorOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case human, json, nagios, prometheus, csv
    }

    @Option(
        name: .long,
        help:
            "Output: human (default), json, nagios (one line, Nagios plugin exit codes), prometheus (text exposition), csv (a header, then one row per target)."
    )
    var format: Format?

    @Flag(
        name: .long,
        help:
            "Print JSON (the same as --format json): check prints one object per target, one per line; verify one object."
    )
    var json = false

    @Flag(name: .long, help: "Also judge the same inputs under every preset and tryLater treatment.")
    var compare = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Warn (exit 4) when an accepted staple's nextUpdate is this close: 36h, 5d, 90m, 3600.",
            valueName: "DURATION"
        )
    )
    var warnBefore: String?

    @Flag(name: .long, help: "Never fail: report what the policy would have rejected (exit 0), see --report-file.")
    var reportOnly = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --report-only: append each violation report as a JSON line to this file.",
            valueName: "FILE"
        )
    )
    var reportFile: String?

    var effectiveFormat: Format { format ?? (json ? .json : .human) }

    func warnBeforeSeconds() throws -> Int64? {
        guard let warnBefore else { return nil }
        guard let s = DurationArgument.seconds(warnBefore) else {
            throw ValidationError("--warn-before takes a duration such as 36h, 5d, 90m or seconds, not '\(warnBefore)'")
        }
        return s
    }

    func validate() throws {
        if json && format != nil && format != .json {
            throw ValidationError("--json and --format \(format!.rawValue) contradict each other")
        }
        if reportFile != nil && !reportOnly { throw ValidationError("--report-file goes with --report-only") }
        _ = try warnBeforeSeconds()
    }
}
