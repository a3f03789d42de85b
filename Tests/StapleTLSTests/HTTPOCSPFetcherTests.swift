import Foundation
import StapleForge
import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// ``HTTPOCSPFetcher`` alone against a responder in the test process (``TestOCSPResponder``): the
/// request as Firefox sends it (firefox-policy §3.12, §5.2), and what comes back from good and
/// misbehaving responders. The requests are the engine's own (``PendingVerification/request``).
final class HTTPOCSPFetcherTests: XCTestCase {
    var responder: TestOCSPResponder!
    var pki: FetchPKI!

    override func setUpWithError() throws {
        responder = try TestOCSPResponder()
        pki = try FetchPKI()
    }

    override func tearDown() {
        responder.stop()
        pki.remove()
    }

    /// The request the engine asks for, for a plain leaf whose AIA names `url`.
    func request(
        url: String,
        policy: RevocationPolicy = .firefox,
        serial: [UInt8] = [0x50, 0x01]
    ) throws -> (OCSPFetchRequest, FetchPKI.Leaf) {
        let leaf = try pki.leaf("leaf-\(serial.map(String.init).joined())", serial: serial, ocspURL: url)
        guard
            case .needsFetch(let pending) = try StapleEngine(policy: policy).evaluate(
                chainDER: [leaf.der, pki.pki.intermediate],
                staple: nil,
                at: Fixtures.t0
            )
        else {
            throw ExternalServer.Missing(description: "the engine asked for no fetch")
        }
        return (pending.request, leaf)
    }

    func testThePOSTIsFirefoxs() async throws {
        let (request, leaf) = try request(url: responder.url)
        let good = pki.pki.response(
            for: leaf.der,
            thisUpdate: Int64(Fixtures.t0.timeIntervalSince1970) - 3600,
            nextUpdate: Int64(Fixtures.t0.timeIntervalSince1970) + 3 * FetchPKI.day
        ).der()
        responder.script([.ocsp(good)])
        let (result, details) = await HTTPOCSPFetcher().fetchWithDetails(request)
        XCTAssertEqual(result, .response(good))
        XCTAssertEqual(details.httpStatus, 200)
        XCTAssertNotNil(details.durationMilliseconds)

        let received = try XCTUnwrap(responder.requests.first)
        XCTAssertEqual(responder.requests.count, 1)
        XCTAssertEqual(received.method, "POST")
        XCTAssertEqual(received.uri, "/ocsp")
        XCTAssertEqual(received.header("Content-Type"), "application/ocsp-request")
        XCTAssertEqual(received.header("Content-Length"), "\(request.body.count)")
        XCTAssertEqual(received.header("Host"), "127.0.0.1:\(responder.port)")
        XCTAssertEqual(received.header("Connection"), "close")
        XCTAssertNil(received.header("Cookie"))
        XCTAssertEqual(received.body, request.body)
        XCTAssertLessThanOrEqual(received.body.count, 127)
        // firefox-policy §3.12: one SHA-1 CertID (AlgorithmIdentifier with NULL), no extensions, no nonce.
        let certID = try ResponseForge.certID(leaf: leaf.der, issuer: pki.pki.intermediate, hash: .sha1)
        XCTAssertEqual(
            received.body,
            DERWriter.sequence(DERWriter.sequence(DERWriter.sequence(DERWriter.sequence(certID))))
        )
    }

    func testAnyStatusButTwoHundredFailsAndRedirectsAreNotFollowed() async throws {
        let target = try TestOCSPResponder(fallback: .ocsp([0x30, 0x03, 0x0A, 0x01, 0x00]))
        defer { target.stop() }
        let (request, _) = try request(url: responder.url)
        for (behavior, status) in [
            (TestOCSPResponder.Behavior.status(500), 500), (.status(404), 404), (.status(204), 204),
            (.redirect(target.url), 302),
        ] {
            responder.script([behavior])
            let (result, details) = await HTTPOCSPFetcher().fetchWithDetails(request)
            XCTAssertEqual(result, .failed(.httpStatus(status)))
            XCTAssertEqual(details.httpStatus, status)
        }
        XCTAssertEqual(target.requests.count, 0, "a redirect is not followed")
        // A 200 with garbage is a response: the engine decides what it is worth.
        responder.script([.status(200, body: Array("not an OCSP response".utf8))])
        let (garbage, _) = await HTTPOCSPFetcher().fetchWithDetails(request)
        XCTAssertEqual(garbage, .response(Array("not an OCSP response".utf8)))
    }

    /// mozpkix `Input` holds 65535 bytes: a body of that size is read, one byte more is not; a
    /// 10 MiB body is abandoned at the declared length, or as soon as the limit is passed.
    func testTheBodyLimit() async throws {
        let (request, _) = try request(url: responder.url)
        responder.script([
            .hugeBody(bytes: 65_535, declareLength: true), .hugeBody(bytes: 65_536, declareLength: false),
            .hugeBody(bytes: 10 << 20, declareLength: true), .hugeBody(bytes: 10 << 20, declareLength: false),
        ])
        let fetcher = HTTPOCSPFetcher()
        let (exact, _) = await fetcher.fetchWithDetails(request)
        XCTAssertEqual(exact, .response([UInt8](repeating: 0x30, count: 65_535)))
        let (oneMore, _) = await fetcher.fetchWithDetails(request)
        XCTAssertEqual(oneMore, .failed(.bodyTooLarge(65_536)))
        let (declared, details) = await fetcher.fetchWithDetails(request)
        XCTAssertEqual(declared, .failed(.bodyTooLarge(10 << 20)), "refused on the Content-Length, before the body")
        XCTAssertEqual(details.httpStatus, 200)
        let (streamed, _) = await fetcher.fetchWithDetails(request)
        guard case .failed(.bodyTooLarge(let read)) = streamed else { return XCTFail("\(streamed)") }
        XCTAssertGreaterThan(read, 65_535)
        XCTAssertLessThan(read, 1 << 20, "stopped reading soon after the limit, not after 10 MiB")
    }

    /// One deadline for connect + send + response (firefox-policy §5.2's one-shot timer); nothing asserted on
    /// the clock but a generous upper bound.
    func testNeverAnsweringRefusedAndCutShort() async throws {
        let (request, _) = try request(url: responder.url, policy: RevocationPolicy.firefox.settingTimeouts(soft: 500))
        XCTAssertEqual(request.timeoutMilliseconds, 500)
        responder.script([.neverAnswer, .closeMidBody])
        let clock = ContinuousClock()
        let start = clock.now
        let (timeout, details) = await HTTPOCSPFetcher().fetchWithDetails(request)
        XCTAssertEqual(timeout, .failed(.timeout))
        XCTAssertNil(details.httpStatus)
        XCTAssertLessThan(clock.now - start, .milliseconds(500 + 2000))

        let (cut, _) = await HTTPOCSPFetcher().fetchWithDetails(request)
        guard case .failed(.transport) = cut else { return XCTFail("\(cut)") }

        let closed = try FreePort.pick()
        let (refusedRequest, _) = try self.request(url: "http://127.0.0.1:\(closed)/", serial: [0x50, 0x02])
        let (refused, _) = await HTTPOCSPFetcher().fetchWithDetails(refusedRequest)
        XCTAssertEqual(refused, .failed(.refused))
    }
}

extension RevocationPolicy {
    func settingTimeouts(soft: Int? = nil, hard: Int? = nil, fetch: String? = nil) -> RevocationPolicy {
        var p = self
        if let soft { p.softTimeoutMs = soft }
        if let hard { p.hardTimeoutMs = hard }
        if let fetch { try! p.set("fetch", to: fetch) }
        return p
    }
}
