import Foundation

/// One OCSP request per distinct request for a whole run, whoever asks and however many ask at
/// once: the first caller's fetch is the answer for all, so that every target of a fleet that
/// needs the same certificate's status sees the same bytes, whatever the order in which they run.
/// Each caller still verifies the answer itself at its own time; only the network exchange is
/// shared, and a replayed answer says whose it was ("fetched for TARGET at T").
///
/// The request's timeout is not part of what makes two requests the same; a failed fetch (refused,
/// timed out, HTTP 500) is replayed like an answer.
package final class SharedFetches: Sendable {
    struct Answer: Sendable {
        let result: OCSPFetchResult
        let details: OCSPFetchDetails
        let target: String
        let time: Date
    }

    private let inner: any OCSPFetcher
    private let clock: @Sendable () -> Date
    private let answers = Locked<[OCSPFetchRequest: Task<Answer, Never>]>([:])

    /// Fetches through `inner`; `clock` says when a fetch was made (for the "at T" of a replay).
    package init(_ inner: any OCSPFetcher, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.inner = inner
        self.clock = clock
    }

    /// The number of distinct requests sent.
    package var count: Int { answers.withLock { $0.count } }

    /// A fetcher for one target: its own requests go out once; another target's are replayed.
    package func fetcher(for target: String) -> any OCSPFetcher {
        TargetFetcher(shared: self, target: target)
    }

    func answer(_ request: OCSPFetchRequest, for target: String) async -> (OCSPFetchResult, OCSPFetchDetails) {
        let key = OCSPFetchRequest(url: request.url, body: request.body, timeoutMilliseconds: 0)
        let inner = self.inner
        let clock = self.clock
        let (task, isOwn) = answers.withLock { tasks -> (Task<Answer, Never>, Bool) in
            if let known = tasks[key] { return (known, false) }
            let task = Task {
                let time = clock()
                let (result, details) = await inner.fetchWithDetails(request)
                return Answer(result: result, details: details, target: target, time: time)
            }
            tasks[key] = task
            return (task, true)
        }
        let answer = await task.value
        guard !isOwn else { return (answer.result, answer.details) }
        var details = answer.details
        details.origin = "fetched for \(answer.target) at \(Timestamp(answer.time.epochSeconds))"
        return (answer.result, details)
    }
}

private struct TargetFetcher: OCSPFetcher {
    let shared: SharedFetches
    let target: String

    func fetch(_ request: OCSPFetchRequest) async -> OCSPFetchResult {
        await shared.answer(request, for: target).0
    }

    func fetchWithDetails(_ request: OCSPFetchRequest) async -> (OCSPFetchResult, OCSPFetchDetails) {
        await shared.answer(request, for: target)
    }
}
