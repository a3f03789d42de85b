/// Every decision the verifier takes that is a matter of policy. The fields mirror Firefox's prefs
/// (firefox-policy §5.1) plus the knobs Firefox hard-codes (firefox-policy §2.3, §3.9). Field names are the
/// `--set` keys of the CLI and the JSON names; docs/CONTRACT.md lists them (append-only).
public struct RevocationPolicy: Hashable, Sendable, Codable {
    /// The preset this policy started from (informational; overrides may follow).
    public var preset: Preset
    /// `security.ssl.enable_ocsp_stapling`: ask for a staple and look at it. Off also turns
    /// must-staple enforcement off (firefox-policy §1.4 `FLAG_TLS_IGNORE_STATUS_REQUEST`).
    public var stapling: Bool
    /// `security.ssl.enable_ocsp_must_staple`: enforce the RFC 7633 TLS Feature of the end-entity (firefox-policy §1.3).
    public var mustStaple: Bool
    /// `security.OCSP.enabled` / `security.OCSP.require`.
    public var fetch: FetchMode
    /// `security.OCSP.timeoutMilliseconds.soft`, clamped to at most 5000 (firefox-policy §5.1).
    public var softTimeoutMs: Int
    /// `security.OCSP.timeoutMilliseconds.hard`, clamped to at most 20000 (firefox-policy §5.1).
    public var hardTimeoutMs: Int
    /// `security.pki.cert_short_lifetime_in_days`: no fetch for end-entities valid for strictly less (firefox-policy §5.4).
    public var shortLivedDays: Int
    /// mozpkix `maxLifetimeInDays` for end-entities (firefox-policy §3.9): 10.
    public var maxLifetimeDays: Int
    /// mozpkix `SLOP` (firefox-policy §3.9): one day.
    public var slopSeconds: Int
    public var tryLater: StapleTreatment
    public var invalidSigner: StapleTreatment
    public var wrongCertificate: StapleTreatment
    public var expiredStaple: StapleTreatment
    /// Ours: every certificate must arrive with a fresh Good staple (the operator's strict mode).
    public var requireStaple: Bool
    /// Accept delegated signer certificates signed with SHA-1 (PSM refuses them, firefox-policy §3.5).
    public var sha1: Bool
    /// Smallest RSA modulus accepted for a response signer (mozpkix's DV fallback pass: 1024, firefox-policy §3.5).
    public var minRSABits: Int
    /// `security.pki.crlite_mode` (firefox-policy §5.1, §5.6): in Enforce mode, a soft-fail fetch mode
    /// makes no OCSP fetch for a chain that ends in one of ``StapleEngine/builtInRoots``
    /// (firefox-policy §2.5 (d)). Without built-in roots it changes nothing.
    public var crlite: CRLiteMode

    public enum Preset: String, Hashable, Sendable, Codable, CaseIterable {
        case firefox, firefox2016, strict, permissive, custom
    }

    /// Firefox today (MODERN in firefox-policy.md): the default.
    public static let firefox = RevocationPolicy(
        preset: .firefox,
        stapling: true,
        mustStaple: true,
        fetch: .soft,
        softTimeoutMs: 2000,
        hardTimeoutMs: 10000,
        shortLivedDays: 10,
        maxLifetimeDays: 10,
        slopSeconds: 86_400,
        tryLater: .fallback,
        invalidSigner: .fallback,
        wrongCertificate: .fallback,
        expiredStaple: .fallback,
        requireStaple: false,
        sha1: false,
        minRSABits: 1024,
        crlite: .enforce
    )

    /// Firefox before the tryLater relaxation (firefox-policy §2.8): only an expired staple falls back to a fetch;
    /// every other bad staple is fatal.
    public static let firefox2016: RevocationPolicy = {
        var p = RevocationPolicy.firefox
        p.preset = .firefox2016
        p.tryLater = .fail
        p.invalidSigner = .fail
        p.wrongCertificate = .fail
        // CRLite came later (firefox-policy §0: the 2024 generation has it, older ones do not).
        p.crlite = .off
        return p
    }()

    /// The operator's strict mode: only a fresh Good staple is acceptable, for every certificate.
    public static let strict: RevocationPolicy = {
        var p = RevocationPolicy.firefox
        p.preset = .strict
        p.fetch = .off
        p.tryLater = .fail
        p.invalidSigner = .fail
        p.wrongCertificate = .fail
        p.expiredStaple = .fail
        p.requireStaple = true
        return p
    }()

    /// Availability problems (no staple, tryLater, an expired staple, a staple for another
    /// certificate, an unreachable responder) never fail a connection; revoked, unknown, bad
    /// signatures and unauthorized signers still do.
    public static let permissive: RevocationPolicy = {
        var p = RevocationPolicy.firefox
        p.preset = .permissive
        p.mustStaple = false
        p.tryLater = .ignore
        p.wrongCertificate = .ignore
        p.expiredStaple = .ignore
        return p
    }()

    public static func preset(_ preset: Preset) -> RevocationPolicy {
        switch preset {
        case .firefox, .custom: return .firefox
        case .firefox2016: return .firefox2016
        case .strict: return .strict
        case .permissive: return .permissive
        }
    }

    /// The timeout of one fetch in this mode, clamped as Firefox clamps its prefs (firefox-policy §5.1).
    public var fetchTimeoutMs: Int {
        fetch == .hard ? min(max(hardTimeoutMs, 0), 20_000) : min(max(softTimeoutMs, 0), 5_000)
    }
}

extension RevocationPolicy {
    /// The keys `set(_:to:)` understands, in the order of docs/CONTRACT.md.
    package static let settableKeys = [
        "stapling", "mustStaple", "fetch", "softTimeoutMs", "hardTimeoutMs", "shortLivedDays",
        "maxLifetimeDays", "slopSeconds", "tryLater", "invalidSigner", "wrongCertificate", "expiredStaple",
        "requireStaple", "sha1", "minRSABits", "crlite",
    ]

    package struct SettingError: Error, Hashable, Sendable, CustomStringConvertible {
        package let description: String
    }

    /// Sets one field by its name, from text (`fetch=hard`): how the CLI reaches every knob.
    package mutating func set(_ key: String, to value: String) throws(SettingError) {
        func bool() throws(SettingError) -> Bool {
            switch value.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: throw SettingError(description: "\(key) takes true or false, not '\(value)'")
            }
        }
        func int(_ range: ClosedRange<Int>) throws(SettingError) -> Int {
            guard let n = Int(value), range.contains(n) else {
                throw SettingError(
                    description:
                        "\(key) takes a whole number in \(range.lowerBound)...\(range.upperBound), not '\(value)'"
                )
            }
            return n
        }
        func treatment() throws(SettingError) -> StapleTreatment {
            guard let t = StapleTreatment(rawValue: value) else {
                throw SettingError(description: "\(key) takes fallback, fail, ignore or accept, not '\(value)'")
            }
            return t
        }
        switch key {
        case "stapling": stapling = try bool()
        case "mustStaple": mustStaple = try bool()
        case "fetch":
            guard let m = FetchMode(rawValue: value) else {
                throw SettingError(description: "fetch takes off, soft or hard, not '\(value)'")
            }
            fetch = m
        case "softTimeoutMs": softTimeoutMs = try int(0...600_000)
        case "hardTimeoutMs": hardTimeoutMs = try int(0...600_000)
        case "shortLivedDays": shortLivedDays = try int(0...36_500)
        case "maxLifetimeDays": maxLifetimeDays = try int(0...36_500)
        case "slopSeconds": slopSeconds = try int(0...31_536_000)
        case "tryLater": tryLater = try treatment()
        case "invalidSigner": invalidSigner = try treatment()
        case "wrongCertificate": wrongCertificate = try treatment()
        case "expiredStaple": expiredStaple = try treatment()
        case "requireStaple": requireStaple = try bool()
        case "sha1": sha1 = try bool()
        case "minRSABits": minRSABits = try int(1024...16_384)
        case "crlite":
            guard let m = CRLiteMode(rawValue: value) else {
                throw SettingError(description: "crlite takes off or enforce, not '\(value)'")
            }
            crlite = m
        default:
            throw SettingError(
                description: "unknown policy key '\(key)'; known keys: \(Self.settableKeys.joined(separator: ", "))"
            )
        }
    }

    /// Applies `KEY=VALUE` settings in order.
    package mutating func apply(_ settings: [String]) throws(SettingError) {
        for s in settings {
            guard let eq = s.firstIndex(of: "=") else {
                throw SettingError(description: "expected KEY=VALUE, got '\(s)'")
            }
            try set(String(s[..<eq]), to: String(s[s.index(after: eq)...]))
        }
    }
}

extension RevocationPolicy {
    /// Decodes a policy written by any version of this project: a field added later
    /// (docs/CONTRACT.md is append-only) takes its value from the document's preset when absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preset = try c.decode(Preset.self, forKey: .preset)
        stapling = try c.decode(Bool.self, forKey: .stapling)
        mustStaple = try c.decode(Bool.self, forKey: .mustStaple)
        fetch = try c.decode(FetchMode.self, forKey: .fetch)
        softTimeoutMs = try c.decode(Int.self, forKey: .softTimeoutMs)
        hardTimeoutMs = try c.decode(Int.self, forKey: .hardTimeoutMs)
        shortLivedDays = try c.decode(Int.self, forKey: .shortLivedDays)
        maxLifetimeDays = try c.decode(Int.self, forKey: .maxLifetimeDays)
        slopSeconds = try c.decode(Int.self, forKey: .slopSeconds)
        tryLater = try c.decode(StapleTreatment.self, forKey: .tryLater)
        invalidSigner = try c.decode(StapleTreatment.self, forKey: .invalidSigner)
        wrongCertificate = try c.decode(StapleTreatment.self, forKey: .wrongCertificate)
        expiredStaple = try c.decode(StapleTreatment.self, forKey: .expiredStaple)
        requireStaple = try c.decode(Bool.self, forKey: .requireStaple)
        sha1 = try c.decode(Bool.self, forKey: .sha1)
        minRSABits = try c.decode(Int.self, forKey: .minRSABits)
        crlite = try c.decodeIfPresent(CRLiteMode.self, forKey: .crlite) ?? RevocationPolicy.preset(preset).crlite
    }
}
