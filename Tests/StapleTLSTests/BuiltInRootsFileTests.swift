import Foundation
import StapleTestSupport
import StapleTLS
import StapleVerifier
import Testing

/// Loading the set of built-in roots (firefox-policy §2.5 (d)) from PEM files: Debian's copy of Mozilla's
/// root program, a file, a directory, and the errors of each.
@Suite struct BuiltInRootsFileTests {
    @Test("Debian's Mozilla roots load: one certificate per file")
    func mozillaDirectory() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: BuiltInRoots.mozillaDirectory)
            .filter { $0.hasSuffix(".crt") }
        let roots = try BuiltInRoots.load(from: BuiltInRoots.mozillaDirectory)
        #expect(files.count >= 100)
        #expect(roots.count == files.count)
    }

    @Test("a PEM file of the test root: that root is built in, another is not")
    func pemFile() throws {
        let roots = try BuiltInRoots.load(from: Fixtures.root)
        #expect(roots.count == 1)
        let rootDER = try #require(Self.der(ofPEM: Fixtures.bytes("root.pem")))
        let otherDER = try #require(Self.der(ofPEM: Fixtures.bytes("other-root.pem")))
        #expect(roots.contains(rootDER))
        #expect(!roots.contains(otherDER))
    }

    @Test("errors name the path: missing, an empty directory, a file that holds no certificate")
    func errors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("builtin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func reason(_ path: String) -> String? {
            do {
                _ = try BuiltInRoots.load(from: path)
                return nil
            } catch { return error.reason }
        }
        #expect(reason(dir.path + "/absent")?.contains("no such file") == true)
        #expect(reason(dir.path)?.contains("no certificate found") == true)
        let text = dir.appendingPathComponent("notes.crt")
        try Data("hello\n".utf8).write(to: text)
        let r = reason(dir.path)
        #expect(r?.contains(text.path) == true, "\(r ?? "loaded")")
    }

    /// The DER of a file holding one PEM certificate.
    static func der(ofPEM bytes: [UInt8]) -> [UInt8]? {
        let body = String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("-----") }
        return Data(base64Encoded: body.joined()).map { [UInt8]($0) }
    }
}
