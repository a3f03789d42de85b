/// ```
/// ResponderID ::= CHOICE {
///    byName   [1] Name,
///    byKey    [2] KeyHash }
///
/// KeyHash ::= OCTET STRING -- SHA-1 hash of responder's package key
///                          -- (excluding the tag and length fields)
/// ```
/// RFC 6960 §4.2.1 (explicit tags). mozpkix (firefox-policy §3.4–§3.5): the tag decides —
/// `[1]` constructed is byName, anything else must be `[2]`; a byKey hash that is not exactly 20
/// bytes is malformed. byName is the content of `[1]`, compared byte for byte with each candidate's
/// subject, without canonicalisation and without being decoded.
package enum ResponderID: Hashable, Sendable {
    /// The bytes inside `[1]`: the DER of the responder's Name when well formed.
    case byName(ArraySlice<UInt8>)
    /// SHA-1 of the responder's subjectPublicKey BIT STRING contents.
    case byKey(ArraySlice<UInt8>)

    init(derEncoded element: DERElement) throws(VerificationError) {
        if element.identifier == DERIdentifier.context(1) {
            // mozpkix keeps the bytes inside [1] and compares them with each candidate's subject
            // (MatchResponderID); it never decodes them. Bytes that are not one Name match no
            // candidate, so the answer is INVALID_SIGNING_CERT, not a malformed response
            // (firefox-policy §3.5).
            guard element.isConstructed else {
                throw VerificationError(.ocspMalformedResponse, "ResponderID.byName: [1] must be constructed")
            }
            self = .byName(element.content)
        } else if element.identifier == DERIdentifier.context(2) {
            var c = try DERReader(element, expecting: DERIdentifier.context(2), path: "ResponderID.byKey")
            guard let hash = try c.next("KeyHash", DERIdentifier.octetString).primitiveContent else {
                throw c.error("KeyHash", "OCTET STRING must be primitive")
            }
            try c.end()
            guard hash.count == 20 else {
                throw VerificationError(
                    .ocspMalformedResponse,
                    "ResponderID.byKey: the key hash is \(hash.count) bytes; SHA-1 gives 20"
                )
            }
            self = .byKey(hash)
        } else {
            throw VerificationError(
                .ocspMalformedResponse,
                "ResponderID: expected [1] byName or [2] byKey, found \(element.identifierDescription)"
            )
        }
    }

    package var kind: String {
        switch self {
        case .byName: return "byName"
        case .byKey: return "byKey"
        }
    }
}
