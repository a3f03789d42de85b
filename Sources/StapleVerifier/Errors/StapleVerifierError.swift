/// An operational failure: the inputs could not be evaluated at all (as opposed to a policy outcome,
/// which is a ``Verdict``): a policy outcome is a value, and only inputs that cannot be evaluated
/// throw.
public struct StapleVerifierError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable identity of the failure; new kinds may be added.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        /// The stable name, as written in JSON (`emptyChain`, …).
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// No certificate was given.
        public static let emptyChain = Kind("emptyChain")
        /// A certificate could not be read.
        public static let unreadableCertificate = Kind("unreadableCertificate")
        /// Two neighbours of the chain do not link (name or signature).
        public static let chainDoesNotLink = Kind("chainDoesNotLink")
        /// The chain has more certificates than ``StapleEngine/maximumChainLength``; none was read.
        public static let chainTooLong = Kind("chainTooLong")
    }

    public let kind: Kind
    public let reason: String

    package init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}
