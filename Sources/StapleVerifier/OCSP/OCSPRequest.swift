import Crypto

/// mozpkix `CreateEncodedOCSPRequest` (firefox-policy §3.12):
///
/// ```
/// OCSPFetchRequest ::= SEQUENCE { tbsRequest TBSRequest }
/// TBSRequest  ::= SEQUENCE { requestList SEQUENCE OF Request }
/// Request     ::= SEQUENCE { reqCert CertID }
/// ```
/// One SHA-1 CertID (AlgorithmIdentifier with an explicit NULL), no version, no extensions, no
/// nonce, unsigned; at most 127 bytes so every length is one byte (RFC 5019-friendly). The fixed
/// part is 67 bytes, so a serial longer than 60 content bytes cannot be encoded: `SEC_ERROR_BAD_DER`,
/// a hard failure (firefox-policy §2.7 step 1).
enum OCSPRequest {
    static let maximumLength = 127

    static func encode(
        issuerNameDER: ArraySlice<UInt8>,
        issuerKeyBits: ArraySlice<UInt8>,
        serial: ArraySlice<UInt8>
    ) throws(VerificationError) -> [UInt8] {
        guard serial.count <= maximumLength - 67 else {
            throw VerificationError(
                .badDER,
                "the serial number is \(serial.count) bytes; an OCSP request can carry at most 60"
            )
        }
        let sha1Null: [UInt8] = [0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00]
        var certID = sha1Null
        certID += [0x04, 20] + Insecure.SHA1.hash(data: issuerNameDER)
        certID += [0x04, 20] + Insecure.SHA1.hash(data: issuerKeyBits)
        certID += [0x02, UInt8(serial.count)] + serial
        func wrap(_ content: [UInt8]) -> [UInt8] { [0x30, UInt8(content.count)] + content }
        return wrap(wrap(wrap(wrap(wrap(certID)))))  // CertID, Request, requestList, TBSRequest, OCSPFetchRequest
    }
}
