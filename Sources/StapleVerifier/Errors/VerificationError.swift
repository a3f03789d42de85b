/// Why a certificate, a staple or a connection was rejected: a stable ``Code`` (Firefox's error name
/// and number wherever Firefox has one), a human reason, and where in our code it was decided.
///
/// Two errors are equal when their codes are equal; the reason is for people, not for matching
/// (as swift-certificates' `CertificateError`).
public struct VerificationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable identity of an error: the name and number that leave the process (CLI, JSON).
    /// The list is append-only: a code that has left the process keeps its name and number.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// Firefox's name (`SEC_ERROR_REVOKED_CERTIFICATE`) or, where Firefox has none, ours (`STAPLE_ERROR_…`).
        public let name: String
        /// Firefox's NSS/mozpkix number (−8180), or ours in the range below −0x5000.
        public let number: Int

        init(_ name: String, _ number: Int) {
            self.name = name
            self.number = number
        }

        public var description: String { "\(name) (\(number))" }

        /// Looks a code up by its name (as written in a manifest or on a command line).
        public init?(name: String) {
            guard let code = Code.all.first(where: { $0.name == name }) else { return nil }
            self = code
        }
    }

    public let code: Code
    public let reason: String
    /// Where in the engine it was decided (for the engine's own tests; never written out).
    package let fileID: String
    package let line: Int

    package init(_ code: Code, _ reason: String, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.fileID = fileID
        self.line = line
    }

    public var description: String { "\(code.name): \(reason)" }

    public static func == (lhs: VerificationError, rhs: VerificationError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

// Numbers: firefox-policy §4 (secerr.h SEC_ERROR_BASE = −0x2000; pkixnss.h ERROR_BASE = −0x4000).
extension VerificationError.Code {
    public static let badDER = Self("SEC_ERROR_BAD_DER", -8183)
    public static let invalidTime = Self("SEC_ERROR_INVALID_TIME", -8184)
    public static let revokedCertificate = Self("SEC_ERROR_REVOKED_CERTIFICATE", -8180)
    public static let extensionValueInvalid = Self("SEC_ERROR_EXTENSION_VALUE_INVALID", -8158)
    public static let unknownCriticalExtension = Self("SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION", -8151)
    public static let certBadAccessLocation = Self("SEC_ERROR_CERT_BAD_ACCESS_LOCATION", -8075)
    public static let ocspMalformedRequest = Self("SEC_ERROR_OCSP_MALFORMED_REQUEST", -8072)
    public static let ocspServerError = Self("SEC_ERROR_OCSP_SERVER_ERROR", -8071)
    public static let ocspTryServerLater = Self("SEC_ERROR_OCSP_TRY_SERVER_LATER", -8070)
    public static let ocspRequestNeedsSig = Self("SEC_ERROR_OCSP_REQUEST_NEEDS_SIG", -8069)
    public static let ocspUnauthorizedRequest = Self("SEC_ERROR_OCSP_UNAUTHORIZED_REQUEST", -8068)
    public static let ocspUnknownResponseStatus = Self("SEC_ERROR_OCSP_UNKNOWN_RESPONSE_STATUS", -8067)
    public static let ocspUnknownCert = Self("SEC_ERROR_OCSP_UNKNOWN_CERT", -8066)
    public static let ocspMalformedResponse = Self("SEC_ERROR_OCSP_MALFORMED_RESPONSE", -8063)
    public static let ocspFutureResponse = Self("SEC_ERROR_OCSP_FUTURE_RESPONSE", -8061)
    public static let ocspOldResponse = Self("SEC_ERROR_OCSP_OLD_RESPONSE", -8060)
    public static let ocspInvalidSigningCert = Self("SEC_ERROR_OCSP_INVALID_SIGNING_CERT", -8048)
    public static let ocspResponderCertInvalid = Self("SEC_ERROR_OCSP_RESPONDER_CERT_INVALID", -8036)
    public static let ocspBadSignature = Self("SEC_ERROR_OCSP_BAD_SIGNATURE", -8035)
    public static let certSignatureAlgorithmDisabled = Self("SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED", -8016)
    public static let ocspResponseForCertMissing = Self("MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING", -16376)
    public static let requiredTLSFeatureMissing = Self("MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING", -16374)
    public static let invalidIntegerEncoding = Self("MOZILLA_PKIX_ERROR_INVALID_INTEGER_ENCODING", -16373)
    public static let invalidKey = Self("SEC_ERROR_INVALID_KEY", -8152)

    // Ours (docs/CONTRACT.md), base −0x5000: outcomes Firefox has no name for.
    public static let stapleRequired = Self("STAPLE_ERROR_STAPLE_REQUIRED", -20479)
    public static let chainIncomplete = Self("STAPLE_ERROR_CHAIN_INCOMPLETE", -20478)

    /// Every code, in the order above (append-only).
    public static let all: [Self] = [
        .badDER, .invalidTime, .revokedCertificate, .extensionValueInvalid, .unknownCriticalExtension,
        .certBadAccessLocation, .ocspMalformedRequest, .ocspServerError, .ocspTryServerLater,
        .ocspRequestNeedsSig, .ocspUnauthorizedRequest, .ocspUnknownResponseStatus, .ocspUnknownCert,
        .ocspMalformedResponse, .ocspFutureResponse, .ocspOldResponse, .ocspInvalidSigningCert,
        .ocspResponderCertInvalid, .ocspBadSignature, .certSignatureAlgorithmDisabled,
        .ocspResponseForCertMissing, .requiredTLSFeatureMissing, .invalidIntegerEncoding,
        .stapleRequired, .chainIncomplete, .expiredCertificate, .expiredIssuerCertificate,
        .notYetValidCertificate, .notYetValidIssuerCertificate, .invalidKey,
    ]
}

extension VerificationError: Encodable {
    enum CodingKeys: String, CodingKey { case name, code, message }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code.name, forKey: .name)
        try c.encode(code.number, forKey: .code)
        try c.encode(reason, forKey: .message)
    }
}

// Certificate validity on the chain given to `staple verify` (mozpkix pkixnss.h / secerr.h).
extension VerificationError.Code {
    public static let expiredCertificate = Self("SEC_ERROR_EXPIRED_CERTIFICATE", -8181)
    public static let expiredIssuerCertificate = Self("SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE", -8162)
    public static let notYetValidCertificate = Self("MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE", -16379)
    public static let notYetValidIssuerCertificate = Self("MOZILLA_PKIX_ERROR_NOT_YET_VALID_ISSUER_CERTIFICATE", -16378)
}
