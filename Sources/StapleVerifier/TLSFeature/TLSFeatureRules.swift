/// Firefox's three TLS Feature rules (firefox-policy §1).
enum TLSFeatureRules {
    /// firefox-policy §1.1 `BackCert::RememberExtension`: an empty value or the extension twice makes the
    /// certificate undecodable → `SEC_ERROR_EXTENSION_VALUE_INVALID`.
    static func checkDecodable(_ cert: ParsedCertificate, position: @autoclosure () -> String) throws(VerificationError)
    {
        if cert.tlsFeatureValues.count > 1 {
            throw VerificationError(
                .extensionValueInvalid,
                "\(position()): the TLS Feature extension appears \(cert.tlsFeatureValues.count) times"
            )
        }
        if let v = cert.tlsFeatureValues.first, v.isEmpty {
            throw VerificationError(.extensionValueInvalid, "\(position()): the TLS Feature extension value is empty")
        }
    }

    /// firefox-policy §1.2 `CheckTLSFeatures(subject, issuer)`: an issuer's TLS Feature must be carried by its subject
    /// byte for byte. Applies to every link, whatever the prefs say.
    static func checkInheritance(
        subject: ParsedCertificate,
        issuer: ParsedCertificate,
        link: @autoclosure () -> String
    ) throws(VerificationError) {
        guard let required = issuer.tlsFeatureValues.first else { return }
        guard let has = subject.tlsFeatureValues.first else {
            throw VerificationError(
                .requiredTLSFeatureMissing,
                "\(link()): the issuer has a TLS Feature extension and the subject has none"
            )
        }
        guard has.elementsEqual(required), !required.isEmpty else {
            throw VerificationError(
                .requiredTLSFeatureMissing,
                "\(link()): the subject's TLS Feature value differs from its issuer's"
            )
        }
    }

    /// firefox-policy §1.3 `CheckTLSFeaturesAreSatisfied(cert, staple)`: every feature must be status_request and a
    /// staple must be present. Its validity is not examined here (firefox-policy §1.6). The value is judged as
    /// mozpkix reads it, element by element: a refused element before a DER fault is the answer.
    static func checkSatisfied(_ value: TLSFeatures.Reading, staplePresent: Bool) throws(VerificationError) {
        for element in value.elements {
            guard element == [TLSFeatures.statusRequestByte] else {
                throw VerificationError(
                    .requiredTLSFeatureMissing,
                    "the certificate requires TLS feature INTEGER content [\(element.map { String($0) }.joined(separator: " "))]; only status_request (5) is supported"
                )
            }
            guard staplePresent else {
                throw VerificationError(
                    .requiredTLSFeatureMissing,
                    "the certificate requires a stapled OCSP response (RFC 7633 must-staple) and the server sent none"
                )
            }
        }
        if let fault = value.fault { throw fault }
    }
}
