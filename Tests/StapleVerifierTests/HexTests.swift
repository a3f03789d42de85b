import Testing
@testable import StapleVerifier

/// The hex encoder of messages, reports and fingerprints.
@Suite struct HexTests {
    @Test("two digits per byte, lowercase unless asked, nothing for no bytes")
    func digits() {
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF], uppercase: true) == "000FA5FF")
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x30, 0x82, 0x01][1...]) == "8201", "a slice: its own elements only")
    }

    @Test("every byte value, in both cases")
    func everyByte() {
        let all = (0...255).map { UInt8($0) }
        let expected = all.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
        #expect(Hex.encode(all) == expected)
        #expect(Hex.encode(all, uppercase: true) == expected.uppercased())
    }
}
