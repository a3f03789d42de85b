import Foundation

/// The last line of `staple vectors --json`: how many cases passed and failed, in all and per category.
struct VectorSummaryDocument: JSONDocument {
    static var encoder: JSONEncoder { .stapleEscapingSlashes }

    struct Counts: Encodable, Equatable {
        var passed = 0
        var failed = 0
    }

    var passed = 0
    var failed = 0
    var categories: [String: Counts] = [:]

    mutating func record(category: String, passed ok: Bool) {
        var counts = categories[category] ?? Counts()
        if ok {
            passed += 1
            counts.passed += 1
        } else {
            failed += 1
            counts.failed += 1
        }
        categories[category] = counts
    }

    /// The line lists the categories in the order it always has, JSONSerialization's: digits compared
    /// as numbers, case ignored (`firefox-8.2` before `firefox-8.11`). The encoder sorts keys by their
    /// UTF-8 bytes (`firefox-8.11` first) and cannot be told otherwise, so the line is put together
    /// here from encoded keys and values in that order. Its own three keys sort alike either way.
    func jsonLine() throws -> String {
        func text(_ value: some Encodable) throws -> String {
            String(decoding: try Self.encoder.encode(value), as: UTF8.self)
        }
        let members = try categories.keys.sorted(by: Self.serializationOrder).map {
            try text($0) + ":" + text(categories[$0]!)
        }
        return #"{"categories":{"# + members.joined(separator: ",") + #"},"failed":"# + (try text(failed))
            + #","passed":"# + (try text(passed)) + "}"
    }

    /// JSONSerialization's `.sortedKeys` order (swift-corelibs-foundation): the same comparison.
    static func serializationOrder(_ a: String, _ b: String) -> Bool {
        a.compare(
            b,
            options: [.numeric, .caseInsensitive, .forcedOrdering],
            range: a.startIndex..<a.endIndex,
            locale: NSLocale.system
        ) == .orderedAscending
    }
}
