import Synchronization

/// How many OpenSSL objects our wrappers own right now: each wrapper counts itself in `init` and
/// out in `deinit`, so tests can check that every `SSL`, `SSL_CTX` and `X509` is freed.
enum LiveObjects {
    static let connections = Atomic<Int>(0)
    static let contexts = Atomic<Int>(0)
    static let certificates = Atomic<Int>(0)

    static func up(_ counter: borrowing Atomic<Int>) { counter.add(1, ordering: .relaxed) }
    static func down(_ counter: borrowing Atomic<Int>) { counter.subtract(1, ordering: .relaxed) }
}
