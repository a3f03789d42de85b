/// DER identifiers as the parsers compare them: the first identifier octet with the constructed bit
/// (0x20) cleared, i.e. class (bits 8–7) and a low tag number (bits 5–1), X.690 §8.1.2. This is what
/// swift-asn1's `ASN1Identifier` equality compares (class and number, not the form), so the readers
/// check the form themselves where it matters (``DERReader/init(_:expecting:path:code:)``,
/// ``DERElement/primitiveContent``). A high-tag-number element (low bits 0x1F) never equals one of
/// these: no OCSP or certificate field uses a tag number above 30.
enum DERIdentifier {
    static let boolean: UInt8 = 0x01
    static let integer: UInt8 = 0x02
    static let bitString: UInt8 = 0x03
    static let octetString: UInt8 = 0x04
    static let null: UInt8 = 0x05
    static let objectIdentifier: UInt8 = 0x06
    static let enumerated: UInt8 = 0x0A
    static let sequence: UInt8 = 0x10
    static let set: UInt8 = 0x11
    static let utcTime: UInt8 = 0x17
    static let generalizedTime: UInt8 = 0x18

    /// `[n]` context-specific (RFC 6960 and RFC 5280 tag their fields this way).
    static func context(_ n: UInt8) -> UInt8 { 0x80 | n }

    /// The constructed bit of a first identifier octet.
    static let constructedBit: UInt8 = 0x20

    /// The form DER gives a universal type: constructed for SEQUENCE and SET (X.690 §8.9.1 and
    /// X.690 §8.11.1), primitive for every other (X.690 §8.1.2.5; X.690 §10.2 for the string and
    /// time types).
    /// Nil for a context-specific tag, whose form depends on its field (EXPLICIT or IMPLICIT).
    static func derForm(of identifier: UInt8) -> Bool? {
        guard identifier & 0xC0 == 0 else { return nil }
        return identifier == sequence || identifier == set
    }

    /// Names an identifier in messages, in swift-asn1's `ASN1Identifier` wording so that messages
    /// read the same whichever layer produced them.
    static func describe(number: UInt, classBits: UInt8) -> String {
        let tagClass: String
        switch classBits >> 6 {
        case 0: tagClass = "universal"
        case 1: tagClass = "application"
        case 2: tagClass = "contextSpecific"
        default: tagClass = "private"
        }
        return "ASN1Identifier(tagNumber: \(number), tagClass: \(tagClass))"
    }

    static func describe(_ identifier: UInt8) -> String {
        describe(number: UInt(identifier & 0x1F), classBits: identifier & 0xC0)
    }
}
