/// The fuzzer's bytes read as a stream of choices. Past the end every choice is 0, and choice 0 is
/// always the ordinary one, so an empty input is a well-formed Good response and a short input
/// varies only its first fields.
struct Choices {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    /// 0..<n for n ≤ 256.
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(byte()) % n }

    /// True for one byte value in `n`, never past the end.
    mutating func rarely(_ n: Int) -> Bool { Int(byte()) % n == n - 1 }

    /// Up to `limit` raw bytes, the count first.
    mutating func raw(upTo limit: Int) -> [UInt8] {
        let count = below(limit + 1)
        return (0..<count).map { _ in byte() }
    }

    /// A signed 32-bit number, big-endian.
    mutating func int32() -> Int64 {
        let v = (UInt32(byte()) << 24) | (UInt32(byte()) << 16) | (UInt32(byte()) << 8) | UInt32(byte())
        return Int64(Int32(bitPattern: v))
    }
}
