/// What mozilla::pkix's `BackCert::Init` (pkixcert.cpp) refuses in a certificate beyond its DER
/// structure: a version other than v1–v4, a serial number not minimally encoded, and the extensions it understands when empty or
/// repeated, or any it does not understand when critical. `VerifySignature` runs it on every
/// certificate embedded in a response before it matches the responderID, and returns its error
/// (firefox-policy §3.3, §3.5), so a response carrying such a certificate fails with that error
/// even when another certificate signed it.
enum BackCertRules {
    /// The extensions `RememberExtension` understands: any of them empty or twice is
    /// EXTENSION_VALUE_INVALID.
    static let understood: Set<ObjectIdentifierBytes> = [
        [2, 5, 29, 15],  // keyUsage
        [2, 5, 29, 17],  // subjectAltName
        .basicConstraints,
        [2, 5, 29, 30],  // nameConstraints
        [2, 5, 29, 32],  // certificatePolicies
        [2, 5, 29, 36],  // policyConstraints
        .extendedKeyUsage,
        [2, 5, 29, 54],  // inhibitAnyPolicy
        .authorityInformationAccess,
        .tlsFeature,
        [1, 3, 6, 1, 4, 1, 11129, 2, 4, 2],  // embedded SCT list (RFC 6962 §3.3)
    ]
    /// id-pkix-ocsp-nocheck: understood only when critical, and allowed empty.
    static let ocspNoCheck: ObjectIdentifierBytes = [1, 3, 6, 1, 5, 5, 7, 48, 1, 5]
    /// Netscape certificate type: understood only when critical, and then only beside
    /// basicConstraints and extendedKeyUsage.
    static let netscapeCertificateType: ObjectIdentifierBytes = [2, 16, 840, 1, 113_730, 1, 1]

    /// The error mozpkix gives `certificate` (as an embedded OCSP signer), or nil. `position`
    /// names it in the message.
    static func check(_ certificate: ParsedCertificate, position: String) -> VerificationError? {
        check(tbs: certificate.tbs, serial: certificate.serial, extensions: certificate.extensions, position: position)
    }

    static func check(_ view: BackCertView, position: String) -> VerificationError? {
        check(tbs: view.tbs, serial: view.serial, extensions: view.extensions, position: position)
    }

    private static func check(
        tbs: ArraySlice<UInt8>,
        serial: ArraySlice<UInt8>,
        extensions: [OCSPExtension],
        position: String
    ) -> VerificationError? {
        if let version = version(of: tbs), !(0...3).contains(version) {
            return VerificationError(
                .ocspMalformedResponse,
                "\(position): version \(version) (mozpkix reads v1 to v4 only)"
            )
        }
        // CertificateSerialNumber is mozpkix's IntegralBytes, as a CertID's serial (firefox-policy §3.7).
        do { try checkIntegerEncoding(serial, field: "\(position).serialNumber") } catch { return error }
        var seen: Set<ObjectIdentifierBytes> = []
        var netscapeCritical = false
        for ext in extensions {
            let known = understood.contains(ext.extnID)
            let noCheck = ext.extnID == ocspNoCheck && ext.critical
            let netscape = ext.extnID == netscapeCertificateType && ext.critical
            guard known || noCheck || netscape else {
                if ext.critical {
                    return VerificationError(
                        .unknownCriticalExtension,
                        "\(position): critical extension \(ext.oid) is not understood"
                    )
                }
                continue
            }
            if ext.value.isEmpty && !noCheck {
                return VerificationError(.extensionValueInvalid, "\(position): extension \(ext.oid) is empty")
            }
            guard seen.insert(ext.extnID).inserted else {
                return VerificationError(.extensionValueInvalid, "\(position): extension \(ext.oid) appears twice")
            }
            netscapeCritical = netscapeCritical || netscape
        }
        if netscapeCritical && !(seen.contains(.basicConstraints) && seen.contains(.extendedKeyUsage)) {
            return VerificationError(
                .unknownCriticalExtension,
                "\(position): a critical Netscape certificate type without basicConstraints and extendedKeyUsage"
            )
        }
        return nil
    }

    /// The explicit version's value (nil: absent, v1), or -1 when it is not a one-byte INTEGER.
    private static func version(of tbs: ArraySlice<UInt8>) -> Int? {
        guard let tbs = try? DERStructure.root(tbs, what: "TBSCertificate", code: .badDER),
            var t = try? DERReader(tbs, path: "TBSCertificate", code: .badDER),
            let tagged = try? t.optional(DERIdentifier.context(0))
        else { return nil }
        guard var v = try? DERReader(tagged, expecting: DERIdentifier.context(0), path: "version", code: .badDER),
            let integer = try? v.next("version", DERIdentifier.integer),
            let content = integer.primitiveContent, content.count == 1, v.isAtEnd
        else { return -1 }
        return Int(content.first!)
    }
}
