/// What verifying one OCSP response gave: success, or the error it produced. Written in JSON as
/// `"SUCCESS"` or the error's stable name (`"SEC_ERROR_OCSP_OLD_RESPONSE"`).
public enum VerificationResult: Hashable, Sendable, Encodable, CustomStringConvertible {
    case success
    case failure(VerificationError.Code)

    init(_ error: VerificationError?) {
        self = error.map { .failure($0.code) } ?? .success
    }

    /// `SUCCESS` or the error's stable name.
    public var name: String {
        switch self {
        case .success: return "SUCCESS"
        case .failure(let code): return code.name
        }
    }

    public var isSuccess: Bool { self == .success }

    public var description: String { name }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}
