@testable import StapleVerifier

/// The disagreements with mozpkix that are understood, as the differential tests list them
/// (docs/TESTING.md, "The mozilla::pkix oracle"; the DocC article DifferencesFromFirefox). Any
/// other disagreement is a finding: the harness stops on it.
enum KnownDifferences {
    typealias C = VerificationError.Code

    /// The name of the documented difference that covers this pair of answers, if one does.
    static func covering(ours: OCSPResponseVerifier.Outcome, mozpkix: String) -> String? {
        let error = ours.error?.code.name ?? "SUCCESS"
        let reason = ours.error?.reason ?? ""
        // The engine checks every TLV (swift-asn1's DER rules) before reading a field; mozpkix
        // reads in order, verifies the signature right after the responder ID and meets the fault
        // later, or never (firefox-policy §3, §3.4).
        if error == C.ocspMalformedResponse.name, reason.contains("is not valid DER"),
            [C.ocspBadSignature, .ocspInvalidSigningCert, .certSignatureAlgorithmDisabled, .ocspFutureResponse]
                .map(\.name).contains(mozpkix)
        {
            return "DER before meaning"
        }
        // An embedded certificate that does not decode is skipped as a signer candidate; mozpkix
        // ends the verification with BackCert::Init's error. Both fail closed (firefox-policy §3.5).
        if error == C.ocspInvalidSigningCert.name,
            ours.notes.contains(where: { $0.contains("not a readable certificate; skipped") }),
            [C.ocspMalformedResponse, .unknownCriticalExtension, .extensionValueInvalid, .invalidIntegerEncoding]
                .map(\.name).contains(mozpkix)
        {
            return "undecodable embedded certificate skipped"
        }
        return nil
    }
}
