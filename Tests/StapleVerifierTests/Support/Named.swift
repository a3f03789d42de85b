import StapleForge
import Testing

/// A test argument with a name. Swift Testing shows an argument by its value, and for a byte array
/// or an index into a table that says nothing: the name says which row ran (and which failed).
struct Named<Value: Sendable>: Sendable, CustomTestStringConvertible {
    let name: String
    let value: Value

    init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    var testDescription: String { name }
}

// `ecdsa`, `rsa`, as the corpus names its cases, rather than `.ecdsa`.
extension ForgePKI.KeyType: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}
