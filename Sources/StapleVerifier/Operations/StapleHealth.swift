import Foundation

/// How long a staple has left: what an operator needs to act before clients break.
public struct StapleHealth: Hashable, Sendable, Encodable {
    /// nextUpdate − now: the responder's own promise (nil without nextUpdate or staple).
    public var stapleRemainingSeconds: Int64?
    /// validThrough − now: how long Firefox would still accept it, slop included (firefox-policy §3.9).
    public var firefoxRemainingSeconds: Int64?
    /// nextUpdate − thisUpdate: the responder's update interval.
    public var updateIntervalSeconds: Int64?
    /// The certificate is must-staple (RFC 7633 status_request).
    public var mustStaple: Bool
    /// The staple's nextUpdate (or, without one, Firefox's validThrough) falls within the warning
    /// period, or the staple is already past it, while the verdict accepts.
    public var warning: Bool
    public var warnBeforeSeconds: Int64?

    public init(verdict: Verdict, warnBeforeSeconds: Int64? = nil) {
        let now = verdict.time.epochSeconds
        let s = verdict.staple
        stapleRemainingSeconds = s.nextUpdate.map { $0.epochSeconds - now }
        firefoxRemainingSeconds = s.validThrough.map { $0.epochSeconds - now }
        if let n = s.nextUpdate, let t = s.thisUpdate { updateIntervalSeconds = n.epochSeconds - t.epochSeconds }
        mustStaple = verdict.mustStaple.hasTLSFeature && (verdict.mustStaple.features?.contains(5) ?? false)
        self.warnBeforeSeconds = warnBeforeSeconds
        if let w = warnBeforeSeconds, verdict.isAccepted, let left = stapleRemainingSeconds ?? firefoxRemainingSeconds {
            warning = left <= w
        } else {
            warning = false
        }
    }
}
