import ArgumentParser
import Foundation
import StapleTLS
import StapleVerifier

/// `staple check TARGET...`: handshake with each target, the engine inside the handshake, and a
/// report per target as it finishes. Fleet scans read targets from a file or stdin, run them
/// concurrently with one shared OCSP cache, print NDJSON, a progress bar and a summary.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check TLS endpoints: handshake, staple and verdict — one target or a fleet.",
        discussion:
            "TARGET is host, host:port or an https URL (default port 443). Exit code: the worst of the targets — 0 accepted, 1 rejected (certificate or staple), 2 unusable input, 3 could not evaluate (connect, handshake, timeout), 4 accepted but a staple expires within --warn-before (only when nothing is worse). --format nagios uses 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Ctrl-C prints the summary so far and exits 130."
    )

    @Argument(help: ArgumentHelp("host, host:port or https://host[:port]/…", valueName: "TARGET"))
    var targets: [String] = []

    @Option(
        name: .customLong("targets"),
        help: ArgumentHelp(
            "Read targets from this file, one per line ('#' comments and blank lines allowed); '-' reads stdin.",
            valueName: "FILE"
        )
    )
    var targetsFile: String?

    @OptionGroup var tls: TLSOptions

    @OptionGroup var fetch: FetchOptions

    @OptionGroup var operatorOptions: OperatorOptions

    @Option(
        name: .customLong("concurrency"),
        help: ArgumentHelp(
            "How many targets to check at once (1…\(EndpointChecker.maximumConcurrency); fewer when the open-file limit is lower; default: 8).",
            valueName: "N"
        )
    )
    var concurrency: Int?

    @Flag(
        name: .customLong("shared-cache"),
        help: ArgumentHelp(
            "Share one OCSP cache between the targets, as a browser does: a staple or answer seen for one target can decide another's verdict, so verdicts may depend on the order (default: each target is a first visit; only fetched answers are shared, one request per certificate)."
        )
    )
    var sharedCache = false

    @Option(
        name: .customLong("report-url"),
        help: ArgumentHelp(
            "With --report-only: POST each violation report (JSON) to this http(s) URL.",
            valueName: "URL"
        )
    )
    var reportURL: String?

    @Flag(name: .long, help: "No progress bar and no summary on stderr.")
    var quiet = false

    @Option(
        name: .customLong("shards"),
        help: ArgumentHelp(
            "Split the targets into N disjoint shards (for N machines; with --shard and the same --seed on each).",
            valueName: "N"
        )
    )
    var shards: Int?

    @Option(
        name: .customLong("shard"),
        help: ArgumentHelp("Check only shard K of --shards N (0-indexed).", valueName: "K")
    )
    var shard: Int?

    @Option(
        name: .customLong("seed"),
        help: ArgumentHelp(
            "The seed of the shards' shared order of the targets (default 0); every shard must use the same one.",
            valueName: "S"
        )
    )
    var seed: UInt64?

    /// Bound on targets read from a file or stdin (a fleet scan is thousands, not millions).
    static let maximumTargets = 1_000_000

    func validate() throws {
        let n = concurrency ?? 8
        guard (1...EndpointChecker.maximumConcurrency).contains(n) else {
            throw ValidationError("--concurrency takes a number in 1…\(EndpointChecker.maximumConcurrency)")
        }
        if reportURL != nil && !operatorOptions.reportOnly {
            throw ValidationError("--report-url goes with --report-only")
        }
        if let reportURL, URL(string: reportURL)?.scheme.map({ ["http", "https"].contains($0.lowercased()) }) != true {
            throw ValidationError("--report-url takes an http or https URL, not '\(reportURL)'")
        }
        for target in targets {
            do { _ = try Endpoint(parsing: target) } catch { throw ValidationError(error.description) }
        }
        _ = try targetShards()
    }

    /// `--shards`/`--shard`/`--seed`, or nil for the whole list.
    func targetShards() throws -> TargetShards? {
        switch (shards, shard) {
        case (nil, nil):
            if seed != nil { throw ValidationError("--seed goes with --shards N --shard K") }
            return nil
        case (let n?, let k?):
            guard (1...1_000_000).contains(n) else { throw ValidationError("--shards takes 1...1000000, not \(n)") }
            guard (0..<n).contains(k) else {
                throw ValidationError("--shard takes 0...\(n - 1) with --shards \(n) (shards are 0-indexed), not \(k)")
            }
            return TargetShards(count: n, index: k, seed: seed ?? 0)
        default:
            throw ValidationError("--shards N and --shard K go together")
        }
    }

    /// Targets from the arguments, then from --targets (or stdin when no TARGET was given and stdin
    /// is not a terminal). A bad line is bad input: exit 2, naming the file and the line.
    func loadTargets() throws -> [String] {
        var list = targets
        var source: (name: String, text: String)?
        if let file = targetsFile {
            if file == "-" {
                source = ("stdin", String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self))
            } else {
                source = (file, String(decoding: try InputFiles.read(file, what: "targets file"), as: UTF8.self))
            }
        } else if list.isEmpty && isatty(0) == 0 {
            source = ("stdin", String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self))
        }
        if let source {
            for (number, raw) in source.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line =
                    raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                    .trimmingCharacters(in: .whitespaces) ?? ""
                guard !line.isEmpty else { continue }
                do { _ = try Endpoint(parsing: line) } catch {
                    throw InputError("\(source.name) line \(number + 1): \(error.description)")
                }
                list.append(line)
                guard list.count <= Self.maximumTargets else {
                    throw InputError("\(source.name): more than \(Self.maximumTargets) targets")
                }
            }
        }
        guard !list.isEmpty else {
            throw InputError("no target: give TARGET arguments, --targets FILE, or targets on stdin")
        }
        return list
    }

    func run() async throws {
        var names = try loadTargets()
        if let shards = try targetShards() { names = shards.select(names) }
        var configuration = try tls.makeConfiguration(defaultPreset: .firefox)
        fetch.apply(to: &configuration)
        configuration.engine.reportOnly = operatorOptions.reportOnly
        let context: StapleTLSContext
        do { context = try StapleTLSContext(configuration: configuration) } catch { throw InputError(error.reason) }
        let checker = EndpointChecker(context: context)
        let list = try names.map { (endpoint: try Endpoint(parsing: $0), serverName: tls.serverName, target: $0) }
        let warnBefore = try operatorOptions.warnBeforeSeconds()
        let format = operatorOptions.effectiveFormat
        let progress = FleetProgress(
            total: list.count,
            visible: !quiet && list.count > 1 && isatty(2) == 1,
            summary: !quiet
        )
        let interrupt = FleetProgress.onInterrupt { progress.finish(interrupted: true) }
        defer { interrupt.cancel() }
        var collected: [CheckedTarget] = []
        if format == .csv { progress.print(CSVOutput.header) }

        await checker.check(
            list,
            concurrency: concurrency ?? 8,
            cache: sharedCache ? .shared : .firstVisit
        ) { _, report in
            var comparison: PolicyComparison?
            if operatorOptions.compare, !report.chainDER.isEmpty {
                comparison = try? await PolicyComparison.compare(
                    chainDER: report.chainDER,
                    staple: report.stapleBytes,
                    at: report.connection.verificationTime ?? Date(),
                    fetcher: configuration.fetcher,
                    builtInRoots: configuration.engine.builtInRoots,
                    checked: report.verify
                )
            }
            var violation: ViolationReport?
            if operatorOptions.reportOnly, let verdict = report.verify {
                violation = ViolationReport(
                    verdict: verdict,
                    staple: report.stapleBytes,
                    chainDER: report.chainDER,
                    hostname: report.endpoint.host,
                    port: report.endpoint.port
                )
                if let violation { await deliver(violation) }
            }
            let target = CheckedTarget(
                name: report.target,
                verdict: report.verify,
                baseStatus: report.exitCode,
                errorName: report.verify?.error?.code.name ?? report.error.map { "\($0.code)" },
                warnBeforeSeconds: warnBefore,
                comparison: comparison,
                report: violation,
                base: .connection(report),
                baseText: ReportText.human(report)
            )
            progress.record(target)
            switch format {
            case .json: progress.print((try? OperatorOutput.json(target)) ?? report.jsonLine())
            case .human: progress.print(OperatorOutput.human(target))
            case .nagios: progress.print(OperatorOutput.nagios(target))
            case .prometheus: collected.append(target)
            case .csv: progress.print(CSVOutput.row(target))
            }
        }
        if format == .prometheus { print(OperatorOutput.prometheus(collected), terminator: "") }
        progress.finish(interrupted: false)
        let worst =
            format == .nagios
            ? progress.statuses.map { $0.nagios }.max() ?? 0 : CheckedTarget.worst(progress.statuses.map { $0.exit })
        if worst != 0 { throw ExitCode(worst) }
    }

    /// Writes a violation report to --report-file and POSTs it to --report-url; a delivery failure
    /// is a warning on stderr, never a failed check.
    func deliver(_ report: ViolationReport) async {
        if let file = operatorOptions.reportFile {
            do { try OperatorOutput.appendReport(report, to: file) } catch {
                FileHandle.standardError.writeOrStop(Data("staple: warning: \(error)\n".utf8))
            }
        }
        if let reportURL, let url = URL(string: reportURL) {
            if let failure = await ReportPoster.post(report, to: url) {
                FileHandle.standardError.writeOrStop(Data("staple: warning: POST \(reportURL): \(failure)\n".utf8))
            }
        }
    }
}
