import Foundation

/// One scenario of `staple demo --json`: the verdict under each preset beside the one the
/// specification predicts.
struct DemoScenarioDocument: JSONDocument {
    static var encoder: JSONEncoder { .stapleEscapingSlashes }

    struct Result: Encodable {
        var preset: String
        /// `accepted` or the error's name.
        var got: String
        var expected: String
        var matches: Bool
    }

    var scenario: String
    var results: [Result]
}
