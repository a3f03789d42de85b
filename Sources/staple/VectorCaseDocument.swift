import Foundation
import StapleVectors

/// One case of `staple vectors --json`: what was expected, what the engine gave, and why they differ.
struct VectorCaseDocument: JSONDocument {
    static var encoder: JSONEncoder { .stapleEscapingSlashes }

    var name: String
    var category: String
    /// The expected error's name, or the expected verdict when no error is expected.
    var expected: String
    var got: String
    var requests: Int
    var passed: Bool
    var mismatches: [String]

    enum CodingKeys: String, CodingKey {
        case name = "case"
        case category, expected, got, requests, passed, mismatches
    }

    init(_ c: VectorCase, _ o: VectorRunner.Outcome) {
        name = c.name
        category = c.category
        expected = c.expect.error ?? c.expect.verdict
        got = o.got
        requests = o.requests
        passed = o.passed
        mismatches = o.mismatches
    }
}
