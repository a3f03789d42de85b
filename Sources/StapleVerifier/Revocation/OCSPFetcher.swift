/// One OCSP request to send (firefox-policy §5.2): POST `body` to `url` with
/// `Content-Type: application/ocsp-request`, giving up after `timeoutMilliseconds`.
public struct OCSPFetchRequest: Hashable, Sendable {
    public let url: OCSPURL
    /// The DER OCSPFetchRequest (firefox-policy §3.12): one SHA-1 CertID, no extensions, unsigned, ≤ 127 bytes.
    public let body: [UInt8]
    public let timeoutMilliseconds: Int
}

/// What came back from one fetch.
public enum OCSPFetchResult: Hashable, Sendable {
    /// HTTP 200 with this body.
    case response([UInt8])
    /// No usable answer. Every failure maps to `SEC_ERROR_OCSP_SERVER_ERROR` (firefox-policy §5.2), except
    /// ``OCSPFetchFailure/bodyTooLarge(_:)``: `SEC_ERROR_OCSP_MALFORMED_RESPONSE`, as in Firefox.
    case failed(OCSPFetchFailure)
}

public enum OCSPFetchFailure: Hashable, Sendable, CustomStringConvertible {
    case httpStatus(Int)
    case timeout
    case refused
    /// The body passed the size limit (mozpkix `Input`: 65535 bytes) after this many bytes; the
    /// fetcher stopped reading there.
    case bodyTooLarge(Int)
    case transport(String)
    /// No fetcher was configured: the request could not be sent at all.
    case noFetcher

    public var description: String {
        switch self {
        case .httpStatus(let s): return "HTTP \(s)"
        case .timeout: return "timeout"
        case .refused: return "connection refused"
        case .bodyTooLarge(let n): return "body too large (\(n) bytes)"
        case .transport(let why): return "transport error: \(why)"
        case .noFetcher: return "no OCSP fetcher configured"
        }
    }
}

/// What a fetcher can say about how a fetch went, for the report (the engine itself reads no clock).
public struct OCSPFetchDetails: Hashable, Sendable {
    public var httpStatus: Int?
    public var durationMilliseconds: Int?
    /// Set when the answer is another caller's, replayed from a fleet's shared fetches: "fetched for TARGET at T".
    public var origin: String?

    public init(httpStatus: Int? = nil, durationMilliseconds: Int? = nil, origin: String? = nil) {
        self.httpStatus = httpStatus
        self.durationMilliseconds = durationMilliseconds
        self.origin = origin
    }
}

/// Sends OCSP requests. The engine does no I/O itself: the HTTP implementation lives in
/// StapleTLS; the corpus runner scripts its answers.
public protocol OCSPFetcher: Sendable {
    func fetch(_ request: OCSPFetchRequest) async -> OCSPFetchResult

    /// The same, with details for the report. The default calls ``fetch(_:)`` and reports none.
    func fetchWithDetails(_ request: OCSPFetchRequest) async -> (OCSPFetchResult, OCSPFetchDetails)
}

extension OCSPFetcher {
    public func fetchWithDetails(_ request: OCSPFetchRequest) async -> (OCSPFetchResult, OCSPFetchDetails) {
        (await fetch(request), OCSPFetchDetails())
    }
}
