/// What to do with a staple that Firefox tolerates today (tryLater, an unauthorized signer, a response
/// for another certificate, an expired response) — firefox-policy §2.3 and §2.8.
public enum StapleTreatment: String, Hashable, Sendable, Codable, CaseIterable {
    /// Firefox today: remember the staple's error and go on to the cache and a fetch; the staple's
    /// error is the answer if nothing better comes (firefox-policy §2.3, §2.7 `HandleOCSPFailure`).
    case fallback
    /// The staple's error is returned at once: no cache lookup, no fetch (Firefox before bug 1323141).
    case fail
    /// As if no staple had been sent (a must-staple certificate then fails for lack of one).
    case ignore
    /// The connection is accepted on this staple, with a warning in the verdict.
    case accept
}

/// How the non-stapled path may use the network (firefox-policy §5.1 `security.OCSP.enabled`,
/// `security.OCSP.require`).
public enum FetchMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Never fetch (`OCSP.enabled = 0`, Firefox's local-only mode).
    case off
    /// Fetch; an unreachable responder does not fail the connection (Firefox's default).
    case soft
    /// Fetch; any failure to get a good answer fails the connection (`OCSP.require = true`).
    case hard
}
