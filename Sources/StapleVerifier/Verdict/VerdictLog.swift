/// The working record of one verification: what becomes the verdict's staple report, fetches,
/// warnings and trace.
struct VerdictLog: Sendable {
    var staple = StapleReport.absent
    var stapleIgnored = false
    var fetches: [FetchRecord] = []
    var warnings: [String] = []
    var trace: [Verdict.Step] = []
    /// When the decision rested on a fresh Good staple alone: the times it holds for.
    var goodStapleWindow: ClosedRange<EpochSeconds>?

    mutating func note(_ stage: Verdict.Stage, _ detail: String) {
        trace.append(Verdict.Step(stage: stage, detail: detail))
    }

    mutating func warn(_ warning: String) {
        warnings.append(warning)
    }

    mutating func record(staple outcome: OCSPResponseVerifier.Outcome, size: Int) {
        var r = StapleReport(present: true, size: size, status: outcome.error == nil ? .good : .invalid)
        r.result = VerificationResult(outcome.error)
        r.message = outcome.error?.reason
        r.responseStatus = outcome.responseStatus
        r.certStatus = outcome.certStatus
        r.producedAt = outcome.producedAt.map(Date.init(epochSeconds:))
        r.thisUpdate = outcome.thisUpdate.map(Date.init(epochSeconds:))
        r.nextUpdate = outcome.nextUpdate.map(Date.init(epochSeconds:))
        r.validThrough = outcome.validThrough.map(Date.init(epochSeconds:))
        switch outcome.signer {
        case .issuer?: r.signer = .issuer
        case .delegated(let subject)?:
            r.signer = .delegated
            r.signerSubject = subject
        case nil: break
        }
        staple = r
    }
}

import Foundation
