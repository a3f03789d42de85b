import Crypto
import SwiftASN1
import X509

/// A certificate with the exact bytes that OCSP and Firefox's rules compare: the issuer and subject
/// Name DER (compared byte for byte, never canonicalised: firefox-policy.md §3.5), the SPKI and the
/// subjectPublicKey bits (hashed for CertID and byKey), the serial's content octets, the signed
/// bytes and signature, and every TLS Feature extension value. swift-certificates supplies the
/// semantic view (validity, extensions) in `certificate`.
struct ParsedCertificate: Sendable {
    let der: [UInt8]
    let certificate: Certificate
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
    /// The extnValue of each TLS Feature extension found (two entries = a duplicate, §1.1).
    let tlsFeatureValues: [ArraySlice<UInt8>]

    init(der: [UInt8]) throws(VerificationError) {
        self.der = der
        do {
            self.certificate = try Certificate(derEncoded: der)
        } catch {
            throw VerificationError(.badDER, "not a certificate swift-certificates can read: \(error)")
        }
        let root = try parseDER(der[...], what: "Certificate", code: .badDER)
        var c = try DERCursor(root, path: "Certificate", code: .badDER)
        let tbsNode = try c.next("tbsCertificate", .sequence)
        self.signatureAlgorithm = try AlgorithmIdentifierValue(derEncoded: try c.next("signatureAlgorithm", .sequence), path: "Certificate.signatureAlgorithm", code: .badDER)
        guard let sig = try c.next("signatureValue", .bitString).primitiveBytes, sig.first == 0 else {
            throw VerificationError(.badDER, "Certificate.signatureValue: BIT STRING with unused bits")
        }
        self.signature = sig.dropFirst()
        try c.end()
        self.tbs = tbsNode.encodedBytes

        var t = try DERCursor(tbsNode, path: "TBSCertificate", code: .badDER)
        _ = t.optional(.contextConstructed(0))
        guard let serial = try t.next("serialNumber", .integer).primitiveBytes else { throw t.error("serialNumber", "not primitive") }
        self.serial = serial
        _ = try t.next("signature", .sequence)
        self.issuerDER = try t.next("issuer", .sequence).encodedBytes
        _ = try t.next("validity", .sequence)
        self.subjectDER = try t.next("subject", .sequence).encodedBytes
        let spki = try t.next("subjectPublicKeyInfo", .sequence)
        self.spkiDER = spki.encodedBytes
        var s = try DERCursor(spki, path: "SubjectPublicKeyInfo", code: .badDER)
        _ = try s.next("algorithm", .sequence)
        guard let bits = try s.next("subjectPublicKey", .bitString).primitiveBytes, bits.first == 0 else {
            throw VerificationError(.badDER, "SubjectPublicKeyInfo.subjectPublicKey: BIT STRING with unused bits")
        }
        self.publicKeyBits = bits.dropFirst()
        self.notBefore = certificate.notValidBefore.epochSeconds
        self.notAfter = certificate.notValidAfter.epochSeconds
        self.tlsFeatureValues = certificate.extensions.filter { $0.oid == .tlsFeature }.map { $0.value }
    }

    init(_ certificate: Certificate) throws(VerificationError) {
        var serializer = DER.Serializer()
        do { try serializer.serialize(certificate) } catch {
            throw VerificationError(.badDER, "could not encode the certificate: \(error)")
        }
        try self.init(der: serializer.serializedBytes)
    }

    /// SHA-1 of the subjectPublicKey bits: what a byKey ResponderID names (RFC 6960 §4.2.1).
    var keySHA1: [UInt8] { Array(Insecure.SHA1.hash(data: publicKeyBits)) }

    var subjectSummary: String { certificate.subject.description }

    /// True when `self` could have issued `subject`: names match byte for byte and the signature verifies.
    func signatureVerifies(on subject: ParsedCertificate, allowSHA1: Bool = true) -> Bool {
        guard let algorithm = try? subject.signatureAlgorithm.signatureAlgorithm(field: "certificate") else { return false }
        if algorithm.usesSHA1 && !allowSHA1 { return false }
        return SignatureCheck.verify(spki: spkiDER, algorithm: algorithm, signature: subject.signature, message: subject.tbs, minRSABits: 1024)
    }
}
