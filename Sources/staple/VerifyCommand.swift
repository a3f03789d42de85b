import StapleVectors
import ArgumentParser
import StapleTestSupport
import Foundation
import StapleVerifier

/// `staple verify`: a verdict from chain + staple + time + policy — the policy-test entry point.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Decide on a chain and a staple at a time under a policy, as Firefox would.",
        discussion:
            "Exit status: 0 accepted, 1 rejected, 2 usage or unreadable input, 3 could not evaluate, 4 accepted but the staple expires within --warn-before. With --format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Policy keys for --set: \(RevocationPolicy.settableKeys.joined(separator: ", "))."
    )

    @Option(
        name: .long,
        help:
            "PEM certificates, leaf first, then its issuer, then further CAs; or the DER of one certificate with --issuer."
    )
    var chain: String

    @Option(name: .long, help: "The issuer certificate (PEM or DER), when --chain holds only the leaf.")
    var issuer: String?

    @Option(
        name: .long,
        help:
            "The stapled OCSP response: DER, PEM (OCSP RESPONSE) or base64. A zero-byte file is an empty staple; omit for no staple."
    )
    var staple: String?

    @Option(name: .long, help: "Verification time: RFC 3339 or seconds since 1970 (default: now).")
    var at: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A scripted OCSP responder answer, consumed in order (repeatable). verify never uses the network: without --responder, a fetch the policy asks for is answered as no responder, and nothing is sent.",
            valueName: "FILE|http-STATUS|timeout|refused"
        )
    )
    var responder: [String] = []

    @Option(
        name: .customLong("built-in-roots"),
        help: ArgumentHelp(
            "Certificates (PEM) that count as Firefox's built-in roots: a chain ending in one gets no OCSP fetch under crlite=enforce (default: none).",
            valueName: "FILE"
        )
    )
    var builtInRoots: String?

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var operatorOptions: OperatorOptions

    func run() async throws {
        let policy = try policyOptions.resolve()
        let chainDER = try InputFiles.chain(chain, issuer: issuer)
        let stapleBytes = try staple.map(InputFiles.staple)
        let time = try at.map(InputFiles.time) ?? Date()
        let answers = try responder.map(InputFiles.responderAnswer)
        var engine = StapleEngine(policy: policy)
        if let builtInRoots {
            engine.builtInRoots = BuiltInRoots(certificates: try InputFiles.chain(builtInRoots, issuer: nil))
        }
        var verdict: Verdict
        var comparison: PolicyComparison?
        do {
            verdict = try await engine.verify(
                chainDER: chainDER,
                staple: stapleBytes,
                at: time,
                fetcher: answers.isEmpty ? nil : ScriptedFetcher(answers)
            )
            if operatorOptions.compare {
                comparison = try await PolicyComparison.compare(
                    chainDER: chainDER,
                    staple: stapleBytes,
                    at: time,
                    fetcher: answers.isEmpty ? nil : ScriptedFetcher(answers),
                    builtInRoots: engine.builtInRoots
                )
            }
        } catch {
            // An unlinked or unreadable chain is bad input (exit 2), named precisely.
            throw InputError("chain '\(chain)': \(error.reason)")
        }
        var report: ViolationReport?
        if operatorOptions.reportOnly {
            (verdict, report) = verdict.reportOnly(staple: stapleBytes, chainDER: chainDER)
            if let report, let file = operatorOptions.reportFile { try OperatorOutput.appendReport(report, to: file) }
        }
        let warnBefore = try operatorOptions.warnBeforeSeconds()
        let target = CheckedTarget(
            verdict: verdict,
            name: chain,
            warnBeforeSeconds: warnBefore,
            comparison: comparison,
            report: report
        )
        switch operatorOptions.effectiveFormat {
        case .human: print(OperatorOutput.human(target))
        case .json: print(try OperatorOutput.json(target))
        case .prometheus: print(OperatorOutput.prometheus([target]), terminator: "")
        case .csv: print(CSVOutput.header + "\n" + CSVOutput.row(target))
        case .nagios:
            print(OperatorOutput.nagios(target))
            throw ExitCode(target.nagiosStatus)
        }
        throw ExitCode(target.exitStatus)

    }
}
