/// ```
/// OCSPResponseStatus ::= ENUMERATED {
///     successful            (0),  -- Response has valid confirmations
///     malformedRequest      (1),  -- Illegal confirmation request
///     internalError         (2),  -- Internal error in issuer
///     tryLater              (3),  -- Try again later
///                                 -- (4) is not used
///     sigRequired           (5),  -- Must sign the request
///     unauthorized          (6)   -- Request unauthorized
/// }
/// ```
/// RFC 6960 §4.2.1. Values 4 and ≥ 7 are kept as read, so that `inspect` can show them.
public struct OCSPResponseStatus: RawRepresentable, Hashable, Sendable, Encodable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let successful = Self(rawValue: 0)
    public static let malformedRequest = Self(rawValue: 1)
    public static let internalError = Self(rawValue: 2)
    public static let tryLater = Self(rawValue: 3)
    public static let sigRequired = Self(rawValue: 5)
    public static let unauthorized = Self(rawValue: 6)

    /// Written in JSON by name (`tryLater`, `unknown(4)`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public var description: String {
        switch rawValue {
        case 0: return "successful"
        case 1: return "malformedRequest"
        case 2: return "internalError"
        case 3: return "tryLater"
        case 5: return "sigRequired"
        case 6: return "unauthorized"
        default: return "unknown(\(rawValue))"
        }
    }

    /// The error mozpkix returns for a non-successful status (firefox-policy §3.1); nil for 0.
    var error: VerificationError? {
        let code: VerificationError.Code
        switch rawValue {
        case 0: return nil
        case 1: code = .ocspMalformedRequest
        case 2: code = .ocspServerError
        case 3: code = .ocspTryServerLater
        case 5: code = .ocspRequestNeedsSig
        case 6: code = .ocspUnauthorizedRequest
        default: code = .ocspUnknownResponseStatus
        }
        return VerificationError(code, "the responder answered responseStatus \(self)")
    }
}
