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

/// Firefox's `security.pki.crlite_mode` as far as it changes an OCSP decision (firefox-policy §5.1,
/// §5.6). CRLite's filters are delivered to Firefox through remote settings; this project has none,
/// so every certificate counts as one CRLite does not cover, and only the rule that Enforce mode adds
/// for such a certificate is modelled: no OCSP fetch for a chain that ends in a built-in root
/// (firefox-policy §2.5 (d)).
public enum CRLiteMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Modes 0 (off) and 1 (telemetry only): CRLite changes no verdict.
    case off
    /// Mode 2, Firefox's default: with a soft-fail fetch mode and a chain ending in a built-in root
    /// (``StapleEngine/builtInRoots``), no OCSP fetch is made.
    case enforce
}
