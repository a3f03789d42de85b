import SwiftASN1

/// The fields of a DER certificate that a CertID and a ResponderID are made of. Read with
/// swift-asn1 directly, independently of the engine's own reader.
public struct CertificateFields: Sendable {
    public let serial: [UInt8]
    public let issuerName: [UInt8]
    public let subjectName: [UInt8]
    public let publicKeyBits: [UInt8]

    public init(_ der: [UInt8]) throws {
        let root = try DER.parse(der)
        guard case .constructed(let certParts) = root.content else {
            throw ASN1Error.invalidASN1Object(reason: "certificate")
        }
        var it = certParts.makeIterator()
        guard let tbs = it.next(), case .constructed(let tbsParts) = tbs.content else {
            throw ASN1Error.invalidASN1Object(reason: "tbs")
        }
        var fields = Array(tbsParts)
        if fields.first?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            fields.removeFirst()
        }
        guard fields.count >= 6, case .primitive(let serial) = fields[0].content,
            case .constructed(let spki) = fields[5].content
        else { throw ASN1Error.invalidASN1Object(reason: "tbs fields") }
        self.serial = Array(serial)
        self.issuerName = Array(fields[2].encodedBytes)
        self.subjectName = Array(fields[4].encodedBytes)
        let spkiParts = Array(spki)
        guard spkiParts.count == 2, case .primitive(let bits) = spkiParts[1].content else {
            throw ASN1Error.invalidASN1Object(reason: "spki")
        }
        self.publicKeyBits = Array(bits.dropFirst())
    }
}
