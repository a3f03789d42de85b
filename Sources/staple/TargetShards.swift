/// `--shards N --shard K --seed S`: one machine's part of a fleet, zmap's way. The target list is
/// put in one pseudo-random order fixed by the seed (the same on every machine given the same list
/// and seed), and shard K (0-indexed) takes every N-th target of that order from position K: the
/// shards are disjoint, their union is the whole list, and each spreads over the list rather
/// than taking one block of it (so that no shard hits one network at a time).
struct TargetShards {
    let count: Int
    let index: Int
    let seed: UInt64

    /// The targets of this shard, in the shared order.
    func select<T>(_ targets: [T]) -> [T] {
        let order = Self.permutation(targets.count, seed: seed)
        return stride(from: index, to: order.count, by: count).map { targets[order[$0]] }
    }

    /// A Fisher–Yates shuffle of 0..<n driven by SplitMix64: fixed for a seed, on every platform
    /// and in every version (Swift's own generators are not seedable, and their algorithm is not
    /// promised).
    static func permutation(_ n: Int, seed: UInt64) -> [Int] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var order = Array(0..<n)
        guard n > 1 else { return order }
        for i in stride(from: n - 1, to: 0, by: -1) {
            // Lemire's multiply-shift bound: uniform enough for an ordering, and reproducible.
            let j = Int((UInt128(next()) * UInt128(i + 1)) >> 64)
            order.swapAt(i, j)
        }
        return order
    }
}
