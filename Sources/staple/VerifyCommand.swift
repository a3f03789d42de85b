import ArgumentParser
import Foundation
import StapleVerifier

/// `staple verify`: a verdict from chain + staple + time + policy — the policy-test entry point.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Decide on a chain and a staple at a time under a policy, as Firefox would.",
        discussion: """
        Exit status: 0 accepted, 1 rejected, 2 usage or unreadable input, 3 could not evaluate.
        Policy keys for --set: \(RevocationPolicy.settableKeys.joined(separator: ", ")).
        """)

    @Option(name: .long, help: "PEM certificates, leaf first, then its issuer, then further CAs; or the DER of one certificate with --issuer.")
    var chain: String

    @Option(name: .long, help: "The issuer certificate (PEM or DER), when --chain holds only the leaf.")
    var issuer: String?

    @Option(name: .long, help: "The stapled OCSP response: DER, PEM (OCSP RESPONSE) or base64. A zero-byte file is an empty staple; omit for no staple.")
    var staple: String?

    @Option(name: .long, help: "Verification time: RFC 3339 or seconds since 1970 (default: now).")
    var at: String?

    @Option(name: .long, help: ArgumentHelp("A scripted OCSP responder answer, consumed in order (repeatable).", valueName: "FILE|http-STATUS|timeout|refused"))
    var responder: [String] = []

    @OptionGroup var policyOptions: PolicyOptions

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let policy = try policyOptions.resolve()
        let chainDER = try InputFiles.chain(chain, issuer: issuer)
        let stapleBytes = try staple.map(InputFiles.staple)
        let time = try at.map(InputFiles.time) ?? Date()
        let fetcher = ScriptedFetcher(try responder.map(InputFiles.responderAnswer))
        let verdict: Verdict
        do {
            verdict = try await StapleVerifier(policy: policy).verify(chainDER: chainDER, staple: stapleBytes, at: time, fetcher: fetcher)
        } catch {
            // An unlinked or unreadable chain is bad input (exit 2), named precisely.
            throw InputError("chain '\(chain)': \(error.reason)")
        }
        if json {
            print(String(decoding: try JSONEncoder.staple.encode(verdict), as: UTF8.self))
        } else {
            print(HumanReport.verdict(verdict))
        }
        throw ExitCode(verdict.isAccepted ? ExitStatus.accepted : ExitStatus.rejected)
    }
}
