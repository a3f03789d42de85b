/// The trust anchors that count as Firefox's *built-in* roots: those of its root program, as opposed
/// to roots a user or an administrator added. Firefox treats the two differently in one place: with
/// CRLite in Enforce mode and a soft-fail fetch mode, it makes no OCSP fetch for a chain that ends in
/// a built-in root (firefox-policy §2.5 (d), §5.6) and leaves that certificate's revocation to CRLite.
///
/// A chain ends in a built-in root when its last certificate is, byte for byte, one of these. The
/// engine has none by default, so it fetches wherever Firefox could fetch; `staple check` uses the
/// Mozilla roots of the system's ca-certificates when it trusts the system bundle.
public struct BuiltInRoots: Sendable, Hashable {
    private let roots: Set<[UInt8]>

    /// No root is built in: every chain may be fetched for.
    public static let none = BuiltInRoots(certificates: [])

    /// These certificates (DER) are built-in roots.
    public init(certificates: some Sequence<[UInt8]>) {
        roots = Set(certificates)
    }

    public var count: Int { roots.count }
    public var isEmpty: Bool { roots.isEmpty }

    /// Whether `certificate` (DER) is one of them.
    public func contains(_ certificate: [UInt8]) -> Bool {
        !roots.isEmpty && roots.contains(certificate)
    }
}
