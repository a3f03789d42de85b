import SwiftASN1

/// ```
/// CertStatus ::= CHOICE {
///     good        [0]     IMPLICIT NULL,
///     revoked     [1]     IMPLICIT RevokedInfo,
///     unknown     [2]     IMPLICIT UnknownInfo }
/// ```
/// RFC 6960 §4.2.1. As mozpkix (firefox-policy.md §3.8): good and unknown must be empty primitives,
/// revoked must be constructed and its RevokedInfo is not interpreted; any other tag is malformed.
public enum CertStatus: String, Hashable, Sendable, Codable {
    case good, revoked, unknown

    init(derEncoded node: ASN1Node, path: String) throws(VerificationError) {
        let good = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
        let unknown = ASN1Identifier(tagWithNumber: 2, tagClass: .contextSpecific)
        switch node.identifier {
        case good where node.primitiveBytes?.isEmpty == true: self = .good
        case unknown where node.primitiveBytes?.isEmpty == true: self = .unknown
        case .contextConstructed(1): self = .revoked
        default:
            throw VerificationError(.ocspMalformedResponse, "\(path): \(node.identifier) is not good [0] NULL, revoked [1] or unknown [2] NULL")
        }
    }
}
