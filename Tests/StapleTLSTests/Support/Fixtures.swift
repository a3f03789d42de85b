import Foundation

/// The test PKI and staples of Fixtures/ (made by Fixtures/generate.py).
enum Fixtures {
    /// T0, the time every test pins: 2026-06-01T12:00:00Z (certificates are valid 2026-01-01 →
    /// 2027-01-01; the fresh staples 2026-06-01T11:00Z → 2026-06-04T12:00Z).
    static let t0 = Date(timeIntervalSince1970: 1_780_315_200)
    static let t0Text = "2026-06-01T12:00:00Z"

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    static func bytes(_ name: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(name)) else {
            fatalError("missing fixture \(name) in \(directory.path)")
        }
        return Array(data)
    }

    static var root: String { path("root.pem") }
    static var otherRoot: String { path("other-root.pem") }

    /// A server identity: the leaf, its issuer, both in one chain file, and the key.
    struct Identity {
        let leaf: String
        let issuer: String
        let chain: String
        let key: String
    }

    static func identity(_ stem: String, issuer: String = "intermediate.pem") -> Identity {
        Identity(
            leaf: path("\(stem).pem"),
            issuer: path(issuer),
            chain: path("\(stem).chain.pem"),
            key: path("\(stem).key")
        )
    }

    static let plain = identity("leaf-plain")
    static let mustStaple = identity("leaf-must-staple")
    static let expired = identity("leaf-expired")
    static let featureMissing = identity("leaf-feature-missing", issuer: "feature-intermediate.pem")

    enum Staple: String {
        case good = "staple-must-staple-good.der"
        case revoked = "staple-must-staple-revoked.der"
        case expired = "staple-must-staple-expired.der"
        /// A Good response for the plain leaf (for the must-staple leaf: for another certificate).
        case plainGood = "staple-plain-good.der"
        case tryLater = "staple-try-later.der"

        var path: String { Fixtures.path(rawValue) }
        var bytes: [UInt8] { Fixtures.bytes(rawValue) }
    }
}
