import Foundation

/// A report of a connection that the enforced policy would have failed, in the spirit of Chrome's
/// Expect-Staple reports (firefox-policy §7): written when running report-only, where the
/// connection itself is never failed.
public struct ViolationReport: Hashable, Sendable, Encodable {
    public static let schemaVersion = "swift-must-staple/violation/1"

    public var schema = ViolationReport.schemaVersion
    public var dateTime: Date
    public var hostname: String?
    public var port: Int?
    /// The policy whose verdict was overridden.
    public var policy: String
    /// The error that would have failed the connection.
    public var error: VerificationError
    /// Expect-Staple's vocabulary: MISSING, PROVIDED, ERROR_RESPONSE, BAD_PRODUCED_AT,
    /// NO_MATCHING_RESPONSE, INVALID_DATE, PARSE_RESPONSE_ERROR, or OK.
    public var responseStatus: String
    public var certStatus: CertStatus?
    public var mustStaple: Bool
    /// Base64 of the staple as sent, when there was one.
    public var ocspResponse: String?
    /// Base64 DER of the served chain, leaf first.
    public var servedCertificateChain: [String]

    /// A report for a rejected verdict; nil when the verdict accepts.
    public init?(verdict: Verdict, staple: [UInt8]?, chainDER: [[UInt8]], hostname: String? = nil, port: Int? = nil) {
        guard let error = verdict.error ?? verdict.reportedError else { return nil }
        dateTime = verdict.time
        self.hostname = hostname
        self.port = port
        policy = verdict.policy.preset.rawValue
        self.error = error
        certStatus = verdict.staple.certStatus
        mustStaple = verdict.mustStaple.applied
        ocspResponse = staple.map { Data($0).base64EncodedString() }
        servedCertificateChain = chainDER.map { Data($0).base64EncodedString() }
        responseStatus = Self.responseStatus(verdict.staple)
    }

    static func responseStatus(_ s: StapleReport) -> String {
        guard s.present, let result = s.result else { return "MISSING" }
        switch result.name {
        case "SUCCESS": return "OK"
        case "SEC_ERROR_OCSP_MALFORMED_REQUEST", "SEC_ERROR_OCSP_SERVER_ERROR", "SEC_ERROR_OCSP_TRY_SERVER_LATER",
            "SEC_ERROR_OCSP_REQUEST_NEEDS_SIG", "SEC_ERROR_OCSP_UNAUTHORIZED_REQUEST",
            "SEC_ERROR_OCSP_UNKNOWN_RESPONSE_STATUS":
            return "ERROR_RESPONSE"
        case "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING": return "NO_MATCHING_RESPONSE"
        case "SEC_ERROR_OCSP_OLD_RESPONSE", "SEC_ERROR_OCSP_FUTURE_RESPONSE": return "INVALID_DATE"
        case "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "SEC_ERROR_INVALID_TIME",
            "MOZILLA_PKIX_ERROR_INVALID_INTEGER_ENCODING":
            return "PARSE_RESPONSE_ERROR"
        default: return "PROVIDED"
        }
    }
}
