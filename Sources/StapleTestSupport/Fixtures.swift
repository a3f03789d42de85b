import Foundation

/// The test PKI and staples of Tests/StapleTLSTests/Fixtures/ (made by its generate.py): the files
/// stay beside the TLS tests, and every test target reads them from there.
package enum Fixtures {
    /// T0, the time every test pins: 2026-06-01T12:00:00Z (certificates are valid 2026-01-01 →
    /// 2027-01-01; the fresh staples 2026-06-01T11:00Z → 2026-06-04T12:00Z).
    package static let t0 = Date(timeIntervalSince1970: 1_780_315_200)
    package static let t0Text = "2026-06-01T12:00:00Z"

    /// Sources/StapleTestSupport/Fixtures.swift → Tests/StapleTLSTests/Fixtures.
    package static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/StapleTLSTests/Fixtures")

    package static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    package static func bytes(_ name: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(name)) else {
            fatalError("missing fixture \(name) in \(directory.path)")
        }
        return Array(data)
    }

    package static var root: String { path("root.pem") }
    package static var otherRoot: String { path("other-root.pem") }

    /// A server identity: the leaf, its issuer, both in one chain file, and the key.
    package struct Identity: Sendable {
        package let leaf: String
        package let issuer: String
        package let chain: String
        package let key: String

        package init(leaf: String, issuer: String, chain: String, key: String) {
            self.leaf = leaf
            self.issuer = issuer
            self.chain = chain
            self.key = key
        }
    }

    package static func identity(_ stem: String, issuer: String = "intermediate.pem") -> Identity {
        Identity(
            leaf: path("\(stem).pem"),
            issuer: path(issuer),
            chain: path("\(stem).chain.pem"),
            key: path("\(stem).key")
        )
    }

    package static let plain = identity("leaf-plain")
    package static let mustStaple = identity("leaf-must-staple")
    package static let expired = identity("leaf-expired")
    package static let featureMissing = identity("leaf-feature-missing", issuer: "feature-intermediate.pem")

    package enum Staple: String, Sendable {
        case good = "staple-must-staple-good.der"
        case revoked = "staple-must-staple-revoked.der"
        case expired = "staple-must-staple-expired.der"
        /// A Good response for the plain leaf (for the must-staple leaf: for another certificate).
        case plainGood = "staple-plain-good.der"
        case tryLater = "staple-try-later.der"

        package var path: String { Fixtures.path(rawValue) }
        package var bytes: [UInt8] { Fixtures.bytes(rawValue) }
    }
}
