/// An operational failure: the inputs could not be evaluated at all (as opposed to a policy outcome,
/// which is a ``Verdict``). DESIGN.md: "A policy outcome is a value; `throws` is for operational
/// failures only."
public struct StapleVerifierError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// No certificate was given.
        case emptyChain
        /// A certificate could not be read.
        case unreadableCertificate
        /// Two neighbours of the chain do not link (name or signature).
        case chainDoesNotLink
        /// The chain has more certificates than ``StapleEngine/maximumChainLength``; none was read.
        case chainTooLong
    }

    public let kind: Kind
    public let reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}
