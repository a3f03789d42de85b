import Foundation
import StapleVerifier

/// Everything a ``StapleClientHandler`` needs besides the server's name: trust store, protocol
/// versions, ALPN, whether to ask for a staple, the engine's policy, the clock and the timeouts.
public struct TLSClientConfiguration: Sendable {
    /// Where path validation finds its trust anchors.
    public enum TrustRoots: Sendable, Hashable {
        /// The system bundle (`SSL_CTX_set_default_verify_paths`: `/usr/lib/ssl/certs`, or
        /// `SSL_CERT_FILE` / `SSL_CERT_DIR` when set).
        case system
        /// The certificates of a PEM file (one or more `CERTIFICATE` blocks), instead of the system bundle.
        case pemFile(String)
        /// These DER certificates, instead of the system bundle.
        case certificates([[UInt8]])
    }

    public enum TLSVersion: String, Sendable, Hashable, Codable, CaseIterable {
        case tls12 = "1.2"
        case tls13 = "1.3"
    }

    public var trustRoots: TrustRoots = .system
    public var minimumVersion: TLSVersion = .tls12
    public var maximumVersion: TLSVersion = .tls13
    /// Protocols offered with ALPN (e.g. `["http/1.1"]`); empty: no ALPN extension.
    public var applicationProtocols: [String] = []
    /// Send `status_request` in the ClientHello (on by default; Firefox's
    /// `security.ssl.enable_ocsp_stapling`). Off, the engine sees no staple.
    public var requestStaple = true
    /// The engine (policy and OCSP cache) run inside the handshake.
    public var engine = StapleEngine(policy: .firefox)
    /// Fetches OCSP responses when the policy asks for a fetch. The default is what Firefox does:
    /// ``HTTPOCSPFetcher`` over HTTP on NIO's shared event loops, soft-fail unless the policy says
    /// `hardFail` (firefox-policy §2.7). So a plain certificate's revocation is checked and a
    /// tryLater or expired staple can be saved by a fresh answer, with no setting.
    ///
    /// To opt out, set it to nil: every fetch then behaves as an unreachable responder (the
    /// engine's `noFetcher`), and the verdict's trace says that no request was sent. The policy's
    /// own switch (`RevocationPolicy/fetch`, `fetch=off`) does the same inside the engine.
    public var fetcher: (any OCSPFetcher)? = HTTPOCSPFetcher()
    /// The verification time, read once per connection when its handshake starts. It is used by
    /// the engine *and* by OpenSSL's path validation (`X509_VERIFY_PARAM_set_time`), so a pinned
    /// clock pins the whole check (time is always an input).
    public var clock: @Sendable () -> Date = { Date() }
    /// From the moment the TCP connection is up to the end of the handshake (and the verdict).
    /// When the verdict waits for an OCSP fetch, the fetch gets its own timeout (the policy's
    /// `softTimeoutMs` / `hardTimeoutMs`) plus a second, even past this one.
    public var handshakeTimeout: Duration = .seconds(10)
    /// For ``EndpointChecker``: the TCP connect.
    public var connectTimeout: Duration = .seconds(10)
    /// The most certificates a verified chain may have, end-entity and trust anchor included
    /// (OpenSSL's verify depth is this minus 2; its own default of 100 allows 102). A longer chain
    /// fails path validation with ``TLSError/Code/chainTooLong``. The default is the engine's own
    /// bound, mozpkix's 8 (`StapleEngine/maximumChainLength`): the engine refuses longer chains
    /// whatever this says, so a higher value only moves the refusal from OpenSSL to the engine.
    public var maximumChainLength = StapleEngine.maximumChainLength

    public init() {}

    /// A configuration trusting only the given trust roots, with `policy`.
    public init(trustRoots: TrustRoots, policy: RevocationPolicy = .firefox) {
        self.trustRoots = trustRoots
        self.engine = StapleEngine(policy: policy)
    }

    /// Pins the clock at `date` (tests, `staple check --at`).
    public mutating func pinTime(_ date: Date) {
        clock = { date }
    }
}
