/// ```
/// CertStatus ::= CHOICE {
///     good        [0]     IMPLICIT NULL,
///     revoked     [1]     IMPLICIT RevokedInfo,
///     unknown     [2]     IMPLICIT UnknownInfo }
/// ```
/// RFC 6960 §4.2.1. As mozpkix (firefox-policy §3.8): good and unknown must be empty primitives,
/// revoked must be constructed and its RevokedInfo is not interpreted; any other tag is malformed.
public enum CertStatus: String, Hashable, Sendable, Codable {
    case good, revoked, unknown

    init(derEncoded element: DERElement, path: String) throws(VerificationError) {
        switch element.identifier {
        case DERIdentifier.context(0) where element.primitiveContent?.isEmpty == true: self = .good
        case DERIdentifier.context(2) where element.primitiveContent?.isEmpty == true: self = .unknown
        case DERIdentifier.context(1) where element.isConstructed: self = .revoked
        default:
            throw VerificationError(
                .ocspMalformedResponse,
                "\(path): \(element.identifierDescription) is not good [0] NULL, revoked [1] or unknown [2] NULL"
            )
        }
    }
}
