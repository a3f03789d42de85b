import SwiftASN1
import X509

/// The OCSP locations of a certificate's AIA extension (RFC 5280 §4.2.2.1), via swift-certificates.
struct AuthorityInformationAccessView {
    let firstOCSPURI: String?

    init?(_ cert: ParsedCertificate) throws {
        guard let raw = cert.extensions.first(where: { $0.extnID == .authorityInformationAccess }) else { return nil }
        let aia = try AuthorityInformationAccess(
            Certificate.Extension(oid: .authorityInformationAccess, critical: raw.critical, value: raw.value)
        )
        var first: String?
        for description in aia where description.method == .ocspServer {
            if case .uniformResourceIdentifier(let uri) = description.location {
                first = uri
                break
            }
        }
        self.firstOCSPURI = first
    }
}
