import Foundation

extension JSONEncoder {
    /// The encoder for every JSON document this package writes: sorted keys (stable diffs),
    /// RFC 3339 dates.
    package static var staple: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }
}

extension JSONDecoder {
    package static var staple: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
