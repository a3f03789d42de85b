import StapleVerifier

/// A responder that answers from a script, in order, and records every request: the stand-in for a
/// real responder in policy tests and for `staple verify --responder`. A request past the end of
/// the script is answered as `refused`.
package final class ScriptedFetcher: OCSPFetcher {
    package enum Answer: Hashable, Sendable {
        case response([UInt8])
        case httpStatus(Int)
        case timeout
        case refused
    }

    private let state: Locked<(answers: [Answer], requests: [OCSPFetchRequest])>

    package init(_ answers: [Answer]) {
        self.state = Locked((answers, []))
    }

    /// The requests received so far, in order.
    package var requests: [OCSPFetchRequest] { state.withLock { $0.requests } }

    package func fetch(_ request: OCSPFetchRequest) async -> OCSPFetchResult {
        let answer: Answer = state.withLock { s in
            s.requests.append(request)
            return s.answers.isEmpty ? .refused : s.answers.removeFirst()
        }
        switch answer {
        case .response(let body): return .response(body)
        case .httpStatus(200): return .response([])
        case .httpStatus(let s): return .failed(.httpStatus(s))
        case .timeout: return .failed(.timeout)
        case .refused: return .failed(.refused)
        }
    }
}
