import Foundation
import StapleForge
import StapleVerifier

/// A PKI the fetch tests make at run time (StapleForge), written to a temporary folder for the
/// servers that read files (`openssl s_server`, `openssl ocsp`, the in-process server).
///
/// Why not committed fixtures: a leaf's AIA must name the test's responder, whose port is only
/// known at run time; and the `openssl ocsp` tests need certificates valid at the *current* time,
/// because `openssl ocsp` signs with the current time (see ``OpenSSLOCSPResponderTests``).
package struct FetchPKI: Sendable {
    package static let day: Int64 = 86_400
    /// 2026-01-01 → 2027-01-01: the window of the tests pinned at T0 (``Fixtures/t0``).
    package static let pinnedWindow: (Int64, Int64) = (1_767_225_600, 1_798_761_600)

    package let pki: ForgePKI
    package let directory: URL

    package struct Leaf: Sendable {
        package let der: [UInt8]
        package let identity: Fixtures.Identity
        /// The serial as `openssl ocsp`'s index writes it (upper-case hex).
        package let serialHex: String
    }

    package init(
        notBefore: Int64 = FetchPKI.pinnedWindow.0,
        notAfter: Int64 = FetchPKI.pinnedWindow.1,
        label: String = "Fetch"
    ) throws {
        pki = ForgePKI(keyType: .ecdsa, notBefore: notBefore, notAfter: notAfter, label: label)
        directory = try ExternalServer.temporaryDirectory("pki")
        try PEM.encode(pki.intermediate).write(
            to: directory.appendingPathComponent("intermediate.pem"),
            atomically: true,
            encoding: .utf8
        )
        try pki.intermediateKey.pemRepresentation.write(
            to: directory.appendingPathComponent("intermediate.key"),
            atomically: true,
            encoding: .utf8
        )
        try PEM.encode(pki.root).write(
            to: directory.appendingPathComponent("root.pem"),
            atomically: true,
            encoding: .utf8
        )
    }

    package var intermediatePath: String { directory.appendingPathComponent("intermediate.pem").path }
    package var intermediateKeyPath: String { directory.appendingPathComponent("intermediate.key").path }
    package var rootPath: String { directory.appendingPathComponent("root.pem").path }

    /// A leaf issued by the intermediate, written as `NAME.pem`, `NAME.chain.pem` (leaf then
    /// intermediate) and `NAME.key`. All leaves share one key (ForgePKI's).
    package func leaf(
        _ name: String,
        serial: [UInt8],
        ocspURL: String?,
        mustStaple: Bool = false,
        notBefore: Int64? = nil,
        notAfter: Int64? = nil
    ) throws -> Leaf {
        let der = pki.leaf(
            serial: serial,
            extraExtensions: mustStaple ? [ForgeExtension.tlsFeature([5])] : [],
            ocspURL: ocspURL,
            notBefore: notBefore,
            notAfter: notAfter
        )
        let file = { (suffix: String) in directory.appendingPathComponent("\(name).\(suffix)").path }
        try PEM.encode(der).write(toFile: file("pem"), atomically: true, encoding: .utf8)
        try (PEM.encode(der) + PEM.encode(pki.intermediate)).write(
            toFile: file("chain.pem"),
            atomically: true,
            encoding: .utf8
        )
        try pki.leafKey.pemRepresentation.write(toFile: file("key"), atomically: true, encoding: .utf8)
        return Leaf(
            der: der,
            identity: Fixtures.Identity(
                leaf: file("pem"),
                issuer: intermediatePath,
                chain: file("chain.pem"),
                key: file("key")
            ),
            serialHex: Hex.encode(serial, uppercase: true)
        )
    }

    /// Writes `bytes` (a staple) into the folder; returns its path.
    package func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    package func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

}
