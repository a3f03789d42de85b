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
        // reads in order and decides before it meets the fault, or never reads those bytes
        // (firefox-policy §3, §3.4). Its reader is as strict as DER where it reads, so any answer
        // but malformed means the fault is where it has not read.
        if error == C.ocspMalformedResponse.name, reason.contains("is not valid DER"),
            mozpkix != C.ocspMalformedResponse.name
        {
            return "DER before meaning"
        }
        // mozpkix compares OIDs byte for byte and never decodes them: an OID whose content is no
        // valid encoding is an unknown one to it, which it may skip or ignore (firefox-policy §3).
        if error == C.ocspMalformedResponse.name, reason.contains(": OID content "),
            mozpkix != C.ocspMalformedResponse.name
        {
            return "OID content decoded"
        }
        // mozpkix judges each extension (empty, repeated, critical and not understood) before it
        // checks that the extension ends; the engine reads the whole list first (firefox-policy §3.4).
        if error == C.ocspMalformedResponse.name, reason.contains("extensions["),
            reason.contains("unexpected trailing element"),
            [C.extensionValueInvalid, .unknownCriticalExtension].map(\.name).contains(mozpkix)
        {
            return "an extension judged before its end"
        }
        return nil
    }
}
