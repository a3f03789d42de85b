import Foundation
import StapleVerifier

/// A JSON document the CLI prints: one value, encoded once, on one line.
protocol JSONDocument: Encodable {
    /// The encoder that writes it: the package's (sorted keys, no slash escaping, RFC 3339 dates)
    /// unless the document has always been written otherwise.
    static var encoder: JSONEncoder { get }

    /// The line to print.
    func jsonLine() throws -> String
}

extension JSONDocument {
    static var encoder: JSONEncoder { .staple }

    func jsonLine() throws -> String { String(decoding: try Self.encoder.encode(self), as: UTF8.self) }
}

extension JSONEncoder {
    /// The package's encoder, but writing "/" as "\/": `staple vectors --json` and `staple demo --json`
    /// were written by JSONSerialization with its default escaping, and case names
    /// (`ecdsa/firefox-8.1/…`) and error texts carry slashes, so their lines keep it.
    static var stapleEscapingSlashes: JSONEncoder {
        let e = JSONEncoder.staple
        e.outputFormatting.remove(.withoutEscapingSlashes)
        return e
    }
}
