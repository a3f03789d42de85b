import Foundation

/// The TLS tests' PKI and staples (``FixturePKI``), written once per process into a folder of its
/// own under the temporary directory, which is removed at exit.
package enum Fixtures {
    /// T0, the time every test pins: 2026-06-01T12:00:00Z (certificates are valid 2026-01-01 →
    /// 2027-01-01; the fresh staples 2026-06-01T11:00Z → 2026-06-04T12:00Z).
    package static let t0 = Date(timeIntervalSince1970: 1_780_315_200)
    package static let t0Text = "2026-06-01T12:00:00Z"

    package static let directory: URL = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("staple-fixtures-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FixturePKI.write(to: directory)
        } catch {
            fatalError("cannot write the test PKI into \(directory.path): \(error)")
        }
        removeAtExit = directory.path
        atexit { if let path = Fixtures.removeAtExit { try? FileManager.default.removeItem(atPath: path) } }
        return directory
    }()

    nonisolated(unsafe) private static var removeAtExit: String?

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
