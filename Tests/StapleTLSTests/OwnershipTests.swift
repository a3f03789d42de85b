@testable import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// Every OpenSSL object our wrappers own is freed when the wrapper goes: after accepted,
/// rejected and failed handshakes, no `SSL`, `SSL_CTX` or `X509` is left.
final class OwnershipTests: XCTestCase {
    func testNoOpenSSLObjectOutlivesItsConnection() async throws {
        let before = (
            LiveObjects.connections.load(ordering: .relaxed), LiveObjects.contexts.load(ordering: .relaxed),
            LiveObjects.certificates.load(ordering: .relaxed)
        )
        for staple in [
            InProcessTLSServer.Staple.bytes(Fixtures.Staple.good.bytes), .none, .bytes([]), .bytes([1, 2, 3]),
        ] {
            for version in InProcessTLSServer.TLSVersionPin.allCases {
                let server = try InProcessTLSServer(.tls(Fixtures.mustStaple, staple: staple, version: version))
                defer { server.stop() }
                _ = try await TestClient.run(
                    port: server.port,
                    configuration: TestClient.configuration(version: version)
                )
                _ = server.waitForConnections(1)
            }
        }
        // The channels are closed; give their event loop a moment to drop the handlers.
        for _ in 0..<100 where LiveObjects.connections.load(ordering: .relaxed) != before.0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTAssertEqual(LiveObjects.connections.load(ordering: .relaxed), before.0, "SSL objects left")
        XCTAssertEqual(LiveObjects.contexts.load(ordering: .relaxed), before.1, "SSL_CTX objects left")
        XCTAssertEqual(LiveObjects.certificates.load(ordering: .relaxed), before.2, "X509 objects left")
    }
}
