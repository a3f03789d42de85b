import Crypto
import SwiftASN1
import X509

/// A certificate with the exact bytes that OCSP and Firefox's rules compare: the issuer and subject
/// Name DER (compared byte for byte, never canonicalised: firefox-policy §3.5), the SPKI and the
/// subjectPublicKey bits (hashed for CertID and byKey), the serial's content octets, the signed
/// bytes and signature, validity and the raw extensions.
///
/// ```
/// Certificate  ::=  SEQUENCE  { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
/// TBSCertificate  ::=  SEQUENCE  {
///      version         [0]  EXPLICIT Version DEFAULT v1,
///      serialNumber         CertificateSerialNumber,
///      signature            AlgorithmIdentifier,
///      issuer               Name,
///      validity             Validity,
///      subject              Name,
///      subjectPublicKeyInfo SubjectPublicKeyInfo,
///      issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
///      subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
///      extensions      [3]  EXPLICIT Extensions OPTIONAL }
/// ```
/// RFC 5280 §4.1. Read here rather than through swift-certificates alone because swift-certificates
/// refuses some certificates mozpkix decodes and then judges by policy (RSA keys under 2048 bits,
/// ecdsa-with-SHA1 signatures): a delegated responder certificate must reach the signer rules of
/// firefox-policy §3.5 to be refused for the right reason. swift-certificates' view is kept when it can be had.
///
/// A class, not a struct: verifications pass it around (chain, checker, response verifier), and a
/// copy is then one retain instead of one per field.
final class ParsedCertificate: Sendable {
    let der: [UInt8]
    /// swift-certificates' view, when it can read the certificate.
    let certificate: Certificate?
    let tbs: ArraySlice<UInt8>
    let signatureAlgorithm: AlgorithmIdentifierValue
    let signature: ArraySlice<UInt8>
    let serial: ArraySlice<UInt8>
    let issuerDER: ArraySlice<UInt8>
    let subjectDER: ArraySlice<UInt8>
    let spkiDER: ArraySlice<UInt8>
    let publicKeyBits: ArraySlice<UInt8>
    let notBefore: EpochSeconds
    let notAfter: EpochSeconds
    let extensions: [OCSPExtension]
    /// The extnValue of each TLS Feature extension found (two entries = a duplicate, firefox-policy §1.1).
    let tlsFeatureValues: [ArraySlice<UInt8>]
    /// The first TLS Feature value read in order (nil without the extension), read once here rather
    /// than on every verification.
    let tlsFeatures: TLSFeatures.Reading?
    /// `tlsFeatures`' feature numbers when it read whole (what a verdict's must-staple report shows).
    let tlsFeatureNumbers: [Int?]?

    /// Reads a certificate. With `requireX509`, swift-certificates must be able to read it too
    /// (a chain certificate whose signature is verified); without, only the structure above is
    /// needed (embedded signers, the last certificate of a chain).
    convenience init(der: [UInt8], requireX509: Bool = true) throws(VerificationError) {
        var certificate: Certificate?
        if requireX509 {
            do {
                certificate = try Certificate(derEncoded: der)
            } catch {
                // What BackCert::Init refuses too (an understood extension twice or empty: firefox-policy §1.1)
                // gets mozpkix's error; anything else stays swift-certificates' refusal.
                if let own = try? ParsedCertificate(der: der, certificate: nil),
                    let backCert = BackCertRules.check(own, position: "certificate"),
                    [.extensionValueInvalid, .unknownCriticalExtension].contains(backCert.code)
                {
                    throw backCert
                }
                throw VerificationError(
                    .badDER,
                    "not a certificate swift-certificates can read: \(plainErrorText(error))"
                )
            }
        }
        // Without requireX509, swift-certificates' view is not needed (nothing reads it).
        try self.init(der: der, certificate: certificate)
    }

    private init(der: [UInt8], certificate: Certificate?) throws(VerificationError) {
        self.der = der
        self.certificate = certificate
        let view = try BackCertView(der: der[...])
        self.tbs = view.tbs
        self.signature = view.signature
        self.serial = view.serial
        self.issuerDER = view.issuerDER
        self.subjectDER = view.subjectDER
        // Beyond BackCert::Init: the contents it takes as they are.
        self.signatureAlgorithm = try AlgorithmIdentifierValue(
            derEncoded: view.signatureAlgorithm,
            path: "Certificate.signatureAlgorithm",
            code: .badDER
        )
        var v = try DERReader(view.validity, path: "Validity", code: .badDER)
        self.notBefore = try certificateTime(try v.next("notBefore"), field: "Validity.notBefore")
        self.notAfter = try certificateTime(try v.next("notAfter"), field: "Validity.notAfter")
        try v.end()
        let spki = view.subjectPublicKeyInfo
        self.spkiDER = spki.encoded
        var s = try DERReader(spki, path: "SubjectPublicKeyInfo", code: .badDER)
        _ = try s.next("algorithm", DERIdentifier.sequence)
        guard let bits = try s.next("subjectPublicKey", DERIdentifier.bitString).primitiveContent, bits.first == 0
        else {
            throw VerificationError(.badDER, "SubjectPublicKeyInfo.subjectPublicKey: BIT STRING with unused bits")
        }
        try s.end()
        self.publicKeyBits = bits.dropFirst()
        let extensions = view.extensions
        self.extensions = extensions
        self.tlsFeatureValues = extensions.filter { $0.extnID == .tlsFeature }.map(\.value)
        let reading = tlsFeatureValues.first.map(TLSFeatures.read)
        self.tlsFeatures = reading
        self.tlsFeatureNumbers = reading.flatMap { $0.fault == nil ? TLSFeatures.numbers($0.elements) : nil }
    }

    convenience init(_ certificate: Certificate) throws(VerificationError) {
        var serializer = DER.Serializer()
        do { try serializer.serialize(certificate) } catch {
            throw VerificationError(.badDER, "could not encode the certificate: \(plainErrorText(error))")
        }
        try self.init(der: serializer.serializedBytes)
    }

    /// SHA-1 of the subjectPublicKey bits: what a byKey ResponderID names (RFC 6960 §4.2.1).
    var keySHA1: [UInt8] { Array(Insecure.SHA1.hash(data: publicKeyBits)) }

    var subjectSummary: String {
        (try? DistinguishedName(derEncoded: DER.parse(subjectDER)))?.description
            ?? "a certificate with an unreadable subject"
    }

    /// basicConstraints cA (RFC 5280 §4.2.1.9): `SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen INTEGER OPTIONAL }`.
    var isCA: Bool {
        guard let ext = extensions.first(where: { $0.extnID == .basicConstraints }),
            let root = try? DERStructure.root(ext.value, what: "basicConstraints", code: .badDER), root.isConstructed
        else { return false }
        var reader = DERReader(contents: root.content, path: "basicConstraints", code: .badDER)
        guard let first = try? reader.next("cA"), first.identifier == DERIdentifier.boolean else { return false }
        return first.primitiveContent?.elementsEqual([0xFF]) == true
    }

    /// The extendedKeyUsage OIDs, or nil when the extension is absent (or unreadable).
    var extendedKeyUsage: [ASN1ObjectIdentifier]? {
        guard let ext = extensions.first(where: { $0.extnID == .extendedKeyUsage }),
            let root = try? DERStructure.root(ext.value, what: "extendedKeyUsage", code: .badDER), root.isConstructed
        else { return nil }
        var reader = DERReader(contents: root.content, path: "extendedKeyUsage", code: .badDER)
        var purposes: [ASN1ObjectIdentifier] = []
        while !reader.isAtEnd, let element = try? reader.next("KeyPurposeId") {
            if let oid = try? ObjectIdentifierBytes(element, field: "KeyPurposeId", code: .badDER) {
                purposes.append(oid.objectIdentifier)
            }
        }
        return purposes
    }

    /// True when `self` could have issued `subject`: its key verifies the subject's signature.
    func signatureVerifies(on subject: ParsedCertificate, allowSHA1: Bool = true, minRSABits: Int = 1024) -> Bool {
        guard let algorithm = try? subject.signatureAlgorithm.signatureAlgorithm(field: "certificate") else {
            return false
        }
        if algorithm.usesSHA1 && !allowSHA1 { return false }
        return SignatureCheck.verify(
            spki: spkiDER,
            algorithm: algorithm,
            signature: subject.signature,
            message: subject.tbs,
            minRSABits: minRSABits
        )
    }
}

/// `Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }` (RFC 5280 §4.1.2.5):
/// UTCTime years 50–99 are 19xx, 00–49 are 20xx.
func certificateTime(_ element: DERElement, field: String) throws(VerificationError) -> EpochSeconds {
    if element.identifier == DERIdentifier.utcTime, let b = element.primitiveContent, b.count == 13,
        let yy = Int(String(decoding: b.prefix(2), as: UTF8.self))
    {
        let century: [UInt8] = yy >= 50 ? [0x31, 0x39] : [0x32, 0x30]
        do { return try parseGeneralizedTimeDigits(century + Array(b), field: field) } catch {
            throw VerificationError(.badDER, error.reason)
        }
    }
    if element.identifier == DERIdentifier.generalizedTime {
        do { return try strictGeneralizedTime(element, field: field) } catch {
            throw VerificationError(.badDER, error.reason)
        }
    }
    throw VerificationError(.badDER, "\(field): not a UTCTime YYMMDDHHMMSSZ or GeneralizedTime")
}
