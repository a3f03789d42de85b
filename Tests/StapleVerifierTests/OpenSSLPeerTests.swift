import Foundation
import StapleForge
import Testing
@testable import StapleVerifier

/// Our bytes read by a real peer: the `openssl` command line (installed by .ci/run).
@Suite struct OpenSSLPeerTests {
    static func openssl(_ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["openssl"] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("openssl ocsp reads our OCSP request: one SHA-1 CertID for the leaf's serial, no nonce")
    func requestParses() throws {
        let pki = Fixture.rsa
        let leaf = Fixture.plainLeaf(.rsa)
        guard
            case .needsFetch(let pending) = try StapleEngine().evaluate(
                chainDER: pki.chain(leaf),
                staple: nil,
                at: Fixture.date
            )
        else {
            Issue.record("expected a fetch")
            return
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("staple-req-\(UUID().uuidString).der")
        try Data(pending.request.body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try Self.openssl(["ocsp", "-reqin", file.path, "-req_text"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("Hash Algorithm: sha1"))
        #expect(r.output.contains("Serial Number: 1001"))
        #expect(!r.output.contains("Nonce"))
        #expect(!r.output.contains("Signature Algorithm"), "unsigned")
    }

    @Test("openssl ocsp reads what the forge signs (so forged vectors are real OCSP)")
    func forgedResponseParses() throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.plainLeaf(.ecdsa)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("staple-resp-\(UUID().uuidString).der")
        try Data(Fixture.good(pki, leaf).der()).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try Self.openssl(["ocsp", "-respin", file.path, "-resp_text", "-noverify"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("Cert Status: good"))
    }
}
