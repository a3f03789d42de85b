/// A TLS alert description (RFC 8446 §6, RFC 6066 §9): its number and its name.
public struct TLSAlert: Hashable, Sendable, Codable, CustomStringConvertible {
    public let code: UInt8
    public var name: String { Self.names[code] ?? "alert_\(code)" }

    public init(_ code: UInt8) { self.code = code }

    public static let closeNotify = TLSAlert(0)
    public static let handshakeFailure = TLSAlert(40)
    public static let badCertificate = TLSAlert(42)
    public static let certificateRevoked = TLSAlert(44)
    public static let certificateExpired = TLSAlert(45)
    public static let illegalParameter = TLSAlert(47)
    public static let unknownCA = TLSAlert(48)
    public static let internalError = TLSAlert(80)
    /// RFC 5246 §7.2.2: the client refuses a renegotiation (a warning).
    public static let noRenegotiation = TLSAlert(100)
    /// RFC 6066 §9: the client refuses the server's stapled status.
    public static let badCertificateStatusResponse = TLSAlert(113)

    public var description: String { "\(code) \(name)" }

    static let names: [UInt8: String] = [
        0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
        40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate",
        44: "certificate_revoked", 45: "certificate_expired", 46: "certificate_unknown",
        47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error",
        51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
        86: "inappropriate_fallback", 90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension",
        110: "unsupported_extension", 112: "unrecognized_name", 113: "bad_certificate_status_response",
        115: "unknown_psk_identity", 116: "certificate_required", 120: "no_application_protocol",
    ]

    enum CodingKeys: String, CodingKey { case code, name }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(name, forKey: .name)
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.container(keyedBy: CodingKeys.self).decode(UInt8.self, forKey: .code))
    }
}
