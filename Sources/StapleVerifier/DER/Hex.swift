/// Bytes as hexadecimal text, two digits per byte, for messages, reports and fingerprints.
///
/// One allocation per string: the digits are written straight into the String's storage, not
/// formatted byte by byte (`String(format:)` costs about a microsecond a byte on Linux, and a
/// handshake report holds three fingerprints and three serials).
package enum Hex {
    private static let lower = Array("0123456789abcdef".utf8)
    private static let upper = Array("0123456789ABCDEF".utf8)

    package static func encode<C: Collection<UInt8>>(_ bytes: C, uppercase: Bool = false) -> String {
        let digits = uppercase ? upper : lower
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var i = 0
            for byte in bytes {
                buffer[i] = digits[Int(byte >> 4)]
                buffer[i + 1] = digits[Int(byte & 0x0F)]
                i += 2
            }
            return i
        }
    }
}
