/// One DER TLV found inside a buffer, held as a slice of that buffer: nothing is copied
/// (mozilla::pkix's `Input`, webpki's `untrusted::Input`). Made by ``DERReader``.
struct DERElement: Hashable, Sendable {
    /// The first identifier octet as on the wire (class, form, tag number or 0x1F).
    let firstOctet: UInt8
    /// The whole TLV: identifier, length and content octets.
    let encoded: ArraySlice<UInt8>
    /// The index in `encoded` where the content octets start.
    let contentStart: Int

    /// The content octets.
    var content: ArraySlice<UInt8> { encoded[contentStart...] }

    var isConstructed: Bool { firstOctet & DERIdentifier.constructedBit != 0 }

    /// Class and tag number (``DERIdentifier``): the constructed bit cleared.
    var identifier: UInt8 { firstOctet & ~DERIdentifier.constructedBit }

    /// The content octets of a primitive element; nil for a constructed one.
    var primitiveContent: ArraySlice<UInt8>? { isConstructed ? nil : content }

    /// True when the length is in DER's shortest form (X.690 §10.1). An element that a reader found
    /// without ``DERStructure`` checking its buffer first is held to this before it is trusted.
    var hasMinimalLength: Bool {
        let lengthStart = encoded.startIndex + (firstOctet & 0x1F == 0x1F ? 2 : 1)
        guard lengthStart < contentStart, encoded[lengthStart] >= 0x80 else { return true }
        return encoded.endIndex - contentStart >= 0x80 && encoded[lengthStart + 1] != 0
    }

    /// The identifier in messages. Only built on failure paths.
    var identifierDescription: String {
        guard firstOctet & 0x1F == 0x1F else { return DERIdentifier.describe(identifier) }
        // High-tag-number form: base-128 digits after the first octet (X.690 §8.1.2.4).
        var number: UInt = 0
        var i = encoded.startIndex + 1
        while i < encoded.endIndex {
            number = number << 7 | UInt(encoded[i] & 0x7F)
            if encoded[i] & 0x80 == 0 { break }
            i += 1
        }
        return DERIdentifier.describe(number: number, classBits: firstOctet & 0xC0)
    }
}
