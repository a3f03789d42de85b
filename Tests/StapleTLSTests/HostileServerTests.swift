import Foundation
import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// Servers that attack the client: oversized staples, absurd chains, a server that
/// dribbles, closes, resets, talks garbage, staples for another certificate, asks to renegotiate,
/// or floods while the verdict waits. Each must end with a precise ``TLSError``, within its
/// timeout, with bounded memory, and never with an acceptance. The HelloRetryRequest is the
/// control: normal TLS 1.3, which must succeed and staple as usual.
///
/// All in process, on 127.0.0.1: ``RawTCPServer`` for bytes no TLS library sends,
/// ``InProcessTLSServer`` (OpenSSL) for the rest. Memory is the growth of this process's peak
/// resident size over one connection (``ResidentMemory``), bounded generously.
final class HostileServerTests: XCTestCase {
    typealias Version = InProcessTLSServer.TLSVersionPin

    /// How much one hostile connection may make the client hold (a 16 MiB staple included).
    static let memoryBound = 64 << 20

    struct Run {
        let outcome: TestClient.Outcome
        let seconds: Double
        let memory: Int
    }

    func connect(
        _ port: Int,
        _ configuration: TLSClientConfiguration,
        serverName: String? = "localhost"
    ) async throws -> Run {
        let started = ContinuousClock.now
        let (outcome, memory) = try await ResidentMemory.growth {
            try await TestClient.run(port: port, configuration: configuration, serverName: serverName)
        }
        let elapsed = ContinuousClock.now - started
        return Run(
            outcome: outcome,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            memory: memory
        )
    }

    /// What every hostile connection must end as: refused with `code`, nothing accepted, nothing
    /// of ours delivered, within `seconds`, within the memory bound.
    @discardableResult
    func assertRefused(
        _ run: Run,
        _ code: TLSError.Code,
        within seconds: Double,
        _ label: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> TLSError {
        let error = try XCTUnwrap(run.outcome.error, "\(label): no error", file: file, line: line)
        XCTAssertEqual(error.code, code, "\(label): \(error)", file: file, line: line)
        XCTAssertNil(run.outcome.report, "\(label): accepted", file: file, line: line)
        XCTAssertEqual(
            run.outcome.earlyWriteSucceeded,
            false,
            "\(label): the held write must fail",
            file: file,
            line: line
        )
        XCTAssertEqual(run.outcome.received, "", "\(label): nothing may be delivered", file: file, line: line)
        XCTAssertLessThan(run.seconds, seconds, "\(label): took \(run.seconds) s", file: file, line: line)
        XCTAssertLessThan(
            run.memory,
            Self.memoryBound,
            "\(label): the client's peak memory grew by \(run.memory >> 20) MiB",
            file: file,
            line: line
        )
        print(
            "hostile: \(label): \(error) [\(String(format: "%.2f", run.seconds)) s, peak +\(max(run.memory, 0) >> 20) MiB]"
        )
        return error
    }

    // MARK: - Oversized staples

    /// A hand-written TLS 1.2 server: ServerHello, the must-staple chain, then a CertificateStatus
    /// announcing an OCSPResponse of `size` bytes and streaming it (16 KiB records of filler),
    /// until the client goes away.
    func oversizedStapleServer(size: Int) throws -> RawTCPServer {
        let chain = TLS12Records.certificates(pemFile: Fixtures.mustStaple.chain)
        return try RawTCPServer { connection in
            guard let hello = connection.readClientHello(),
                TLS12Records.cipherSuites(ofClientHello: hello).contains(TLS12Records.ecdheECDSAWithAES128GCM)
            else { return }
            guard
                connection.send(
                    TLS12Records.records(
                        TLS12Records.serverHello(cipher: TLS12Records.ecdheECDSAWithAES128GCM)
                            + TLS12Records.certificate(chain)
                    )
                )
            else { return }
            let header = TLS12Records.certificateStatusHeader(responseLength: size)
            let filler = [UInt8](repeating: 0x30, count: TLS12Records.maximumFragment)
            var remaining = header.count + size
            var first = true
            while remaining > 0 {
                let count = min(remaining, TLS12Records.maximumFragment)
                let fragment = first ? Array((header + filler).prefix(count)) : Array(filler.prefix(count))
                first = false
                guard connection.send(TLS12Records.record(fragment)) else { return }
                remaining -= count
            }
            _ = connection.waitForPeerClose(timeout: 5)
        }
    }

    /// 1 MiB and 16 MiB staples in TLS 1.2, sent raw (OpenSSL's server refuses to). The client
    /// reads the CertificateStatus header, sees a message over OpenSSL's 16 KiB limit for it and
    /// aborts with illegal_parameter before buffering it: `stapleUnreadable`.
    func testOneAndSixteenMebibyteStaplesInTLS12() async throws {
        for size in [1 << 20, TLS12Records.largestFramableStaple] {
            let label = "\(size) bytes"
            let server = try oversizedStapleServer(size: size)
            defer { server.stop() }
            let run = try await connect(server.port, TestClient.configuration())
            let error = try assertRefused(run, .stapleUnreadable, within: 5, label)
            XCTAssertTrue(
                error.reason.contains("larger than OpenSSL accepts in a TLS 1.2 CertificateStatus"),
                error.reason
            )
            XCTAssertEqual(error.alertSent, .illegalParameter, label)
            let record = try XCTUnwrap(server.waitForConnections(1).first)
            XCTAssertTrue(record.peerClosed, "\(label): the client must hang up")
            if size > 8 << 20 {
                XCTAssertLessThan(record.bytesSent, size, "\(label): the client must stop reading long before the end")
            }
        }
    }

    /// TLS 1.3 carries the staple in a CertificateEntry extension, whose length is 16 bits: a 1 MiB
    /// or 16 MiB staple cannot be framed at all. `openssl s_server -status_file` (its own process,
    /// so that its copy of the staple is not counted in our memory) aborts with internal_error; the
    /// client reports the alert it received.
    func testOneAndSixteenMebibyteStaplesInTLS13() async throws {
        for size in [1 << 20, 16 << 20] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "staple-\(size)-\(UUID().uuidString).der"
            )
            try Data(repeating: 0x30, count: size).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let server = try OpenSSLServer.start(Fixtures.mustStaple, stapleFile: file.path, extra: ["-tls1_3"])
            defer { server.stop() }
            let run = try await connect(server.port, TestClient.configuration(version: .tls13))
            let error = try assertRefused(run, .protocolError, within: 5, "\(size) bytes, TLS 1.3")
            XCTAssertEqual(error.alertReceived, .internalError, "\(error)")
        }
    }

    /// The largest staples that do get through: 16,380 bytes in TLS 1.2 (OpenSSL's 16 KiB limit on
    /// the CertificateStatus body, less its 4 bytes of framing) and 65,531 in TLS 1.3 (the 16-bit
    /// extension, less the same 4 bytes). Garbage of those sizes reaches the engine, which refuses
    /// it (alert 113); one byte more in TLS 1.2 is refused by OpenSSL first.
    func testLargestStaplesEachVersionCarries() async throws {
        let cases: [(Version, Int, TLSError.Code, String?)] = [
            (.tls12, 16_380, .rejectedByPolicy, "SEC_ERROR_OCSP_MALFORMED_RESPONSE"),
            (.tls12, 16_381, .stapleUnreadable, nil),
            (.tls13, 65_527, .rejectedByPolicy, "SEC_ERROR_OCSP_MALFORMED_RESPONSE"),
            (.tls13, 65_528, .protocolError, nil),
        ]
        for (version, size, code, engineError) in cases {
            let label = "\(version), \(size) bytes"
            let server = try InProcessTLSServer(
                .tls(Fixtures.mustStaple, staple: .bytes([UInt8](repeating: 0x30, count: size)), version: version)
            )
            defer { server.stop() }
            let run = try await connect(server.port, TestClient.configuration(version: version))
            let error = try assertRefused(run, code, within: 5, label)
            XCTAssertEqual(error.verdict?.error?.code.name, engineError, label)
            XCTAssertEqual(error.verdict?.staple.size, engineError == nil ? nil : size, label)
        }
    }

    // MARK: - Chains

    /// A 100-certificate chain (OpenSSL's own default depth would take it) is refused by path
    /// validation at our explicit bound of 8; exactly 8 is accepted, 9 is not. Raised above the
    /// engine's bound, the engine refuses it instead — the same code.
    func testHundredCertificateChain() async throws {
        for (length, maximum, code) in [
            (8, nil, nil), (9, nil, TLSError.Code.chainTooLong), (100, nil, .chainTooLong), (100, 100, .chainTooLong),
        ] as [(Int, Int?, TLSError.Code?)] {
            let label = "chain of \(length), maximumChainLength \(maximum.map(String.init) ?? "default")"
            let chain = try LongChain(length: length)
            defer { chain.remove() }
            for version in Version.allCases {
                let server = try InProcessTLSServer(.tls(chain.identity, staple: .none, version: version))
                defer { server.stop() }
                var configuration = TestClient.configuration(version: version)
                configuration.trustRoots = .certificates([chain.root])
                if let maximum { configuration.maximumChainLength = maximum }
                let run = try await connect(server.port, configuration)
                guard let code else {
                    XCTAssertNil(run.outcome.error, "\(label) [\(version)]: \(String(describing: run.outcome.error))")
                    XCTAssertEqual(run.outcome.report?.chain.count, length, label)
                    continue
                }
                let error = try assertRefused(run, code, within: 10, "\(label) [\(version)]")
                XCTAssertEqual(error.code.category.exitCode, 1)
                if maximum == nil {
                    XCTAssertEqual(error.verifyResult, 22, "X509_V_ERR_CERT_CHAIN_TOO_LONG")  // OpenSSL refused it
                    XCTAssertTrue(error.reason.contains("longer than the 8 certificates allowed"), error.reason)
                } else {
                    // The engine refused it.
                    XCTAssertTrue(error.reason.contains("100 certificates; at most 8"), error.reason)
                }
                let record = try XCTUnwrap(server.waitForConnections(1).first)
                XCTAssertFalse(record.handshakeCompleted, label)
                XCTAssertEqual(record.applicationData, [], label)
            }
        }
    }

    /// A chain within the length bound whose Certificate message is over 100 KiB (a leaf with a
    /// 110,000-byte extension): OpenSSL stops reading it at its explicit 100 KiB limit.
    func testCertificateMessageOverOneHundredKiB() async throws {
        let chain = try LongChain(length: 3, leafPadding: 110_000)
        defer { chain.remove() }
        for version in Version.allCases {
            let server = try InProcessTLSServer(.tls(chain.identity, staple: .none, version: version))
            defer { server.stop() }
            var configuration = TestClient.configuration(version: version)
            configuration.trustRoots = .certificates([chain.root])
            let run = try await connect(server.port, configuration)
            let error = try assertRefused(run, .protocolError, within: 5, "110 KB leaf [\(version)]")
            XCTAssertTrue(
                error.reason.contains(
                    "Certificate message (the chain, and in TLS 1.3 the staple) is larger than OpenSSL accepts (100 KiB)"
                ),
                error.reason
            )
        }
    }

    // MARK: - Slow, closing, garbage

    /// One byte per second of a ServerHello: the handshake timeout (2 s here) ends it.
    func testOneBytePerSecondEndsAtTheHandshakeTimeout() async throws {
        let hello = TLS12Records.records(TLS12Records.serverHello(cipher: TLS12Records.ecdheECDSAWithAES128GCM))
        let server = try RawTCPServer { connection in
            guard connection.readClientHello() != nil else { return }
            for byte in hello {
                guard connection.send([byte]), connection.pause(1) else { return }
            }
        }
        defer { server.stop() }
        var configuration = TestClient.configuration()
        configuration.handshakeTimeout = .seconds(2)
        let run = try await connect(server.port, configuration)
        // The margin is a hang guard only.
        let error = try assertRefused(run, .handshakeTimeout, within: 2 + 3, "slow loris")
        XCTAssertGreaterThanOrEqual(run.seconds, 1.9)
        XCTAssertTrue(error.reason.hasPrefix("no completed handshake within 2 s: the server sent "), error.reason)
        let record = try XCTUnwrap(server.waitForConnections(1).first)
        XCTAssertTrue(record.peerClosed, "the client hung up")
        XCTAssertLessThanOrEqual(record.bytesSent, 4)
    }

    /// Closing (FIN or reset) at three points of the handshake.
    func testServerClosingMidHandshake() async throws {
        let chain = TLS12Records.certificates(pemFile: Fixtures.mustStaple.chain)
        let hello = TLS12Records.records(TLS12Records.serverHello(cipher: TLS12Records.ecdheECDSAWithAES128GCM))
        let scripts: [(String, (RawTCPServer.Connection) -> Void)] = [
            ("FIN inside the ServerHello record", { c in _ = c.send(Array(hello.prefix(20))) }),
            (
                "FIN after ServerHello and Certificate",
                { c in
                    _ = c.send(
                        TLS12Records.records(
                            TLS12Records.serverHello(cipher: TLS12Records.ecdheECDSAWithAES128GCM)
                                + TLS12Records.certificate(chain)
                        )
                    )
                }
            ),
            ("reset after the ClientHello", { c in c.reset() }),
        ]
        for (label, script) in scripts {
            let server = try RawTCPServer { connection in
                guard connection.readClientHello() != nil else { return }
                script(connection)
            }
            defer { server.stop() }
            let run = try await connect(server.port, TestClient.configuration())
            try assertRefused(run, .connectionClosedDuringHandshake, within: 3, label)
        }
    }

    /// Bytes that are not a ServerHello: each a protocolError naming what was found (not TLS at all, or
    /// what OpenSSL refused).
    func testGarbageInsteadOfServerHello() async throws {
        var generator = SystemRandomNumberGenerator()
        let cases: [(String, [UInt8], String)] = [
            (
                "an HTTP response", Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8),
                "not a TLS server"
            ),
            (
                "64 KiB of random bytes",
                [0x17, 0x00] + (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) },
                "not a TLS server"
            ),
            (
                "a record announcing 65,535 bytes",
                [0x16, 0x03, 0x03, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 65_535), "packet length too long"
            ),
            (
                "a handshake message that is not a ServerHello",
                TLS12Records.record(TLS12Records.handshake(11, [0, 0, 0])), "unexpected message"
            ),
        ]
        for (label, bytes, expected) in cases {
            let server = try RawTCPServer { connection in
                guard connection.readClientHello() != nil else { return }
                _ = connection.send(bytes)
                _ = connection.waitForPeerClose(timeout: 5)
            }
            defer { server.stop() }
            let run = try await connect(server.port, TestClient.configuration())
            let error = try assertRefused(run, .protocolError, within: 3, label)
            XCTAssertTrue(error.reason.contains(expected), "\(label): \(error.reason)")
            XCTAssertTrue(server.waitForConnections(1).first?.peerClosed ?? false, "\(label): the client hung up")
        }
    }

    // MARK: - Staples and renegotiation

    /// A Good staple — for another certificate. Firefox tolerates it and falls back to a fetch (firefox-policy §2.3,
    /// MODERN); with no fetcher no request can be sent and its error stands, known inside the
    /// handshake. Stricter presets refuse it there too (alert 113).
    func testStapleForAnotherCertificate() async throws {
        for version in Version.allCases {
            for policy in [RevocationPolicy.firefox, .strict, .firefox2016] {
                let label = "\(policy.preset.rawValue) [\(version)]"
                let server = try InProcessTLSServer(
                    .tls(Fixtures.mustStaple, staple: .bytes(Fixtures.Staple.plainGood.bytes), version: version)
                )
                defer { server.stop() }
                let run = try await connect(server.port, TestClient.configuration(policy: policy, version: version))
                let error = try assertRefused(run, .rejectedByPolicy, within: 5, label)
                XCTAssertEqual(error.verdict?.error?.code, .ocspResponseForCertMissing, label)
                let record = try XCTUnwrap(server.waitForConnections(1).first)
                XCTAssertEqual(record.applicationData, [], label)
                XCTAssertEqual(record.alertsReceived, [113], label)
            }
        }
    }

    /// TLS 1.2: after an accepted handshake the server asks to renegotiate (HelloRequest). The
    /// client never renegotiates — the certificate and staple it verified must stay the peer's —
    /// and answers with the warning alert no_renegotiation (SSL_OP_NO_RENEGOTIATION). OpenSSL's
    /// server then aborts with handshake_failure: `renegotiationRefused`. There is no second
    /// handshake.
    func testRenegotiationRequestIsRefused() async throws {
        let server = try InProcessTLSServer(
            .tlsWith(
                Fixtures.mustStaple,
                staple: .bytes(Fixtures.Staple.good.bytes),
                versions: .tls12 ... .tls12,
                options: .init(renegotiate: true, echo: false)
            )
        )
        defer { server.stop() }
        let run = try await connect(server.port, TestClient.configuration(version: .tls12))
        XCTAssertNotNil(run.outcome.report, "the first handshake was accepted (a Good staple)")
        XCTAssertEqual(run.outcome.received, "hello\n")
        let error = try XCTUnwrap(run.outcome.error)
        XCTAssertEqual(error.code, .renegotiationRefused, "\(error)")
        XCTAssertEqual(error.code.category.exitCode, 3)
        XCTAssertEqual(error.alertSent, .noRenegotiation)
        XCTAssertEqual(error.alertReceived, .handshakeFailure)
        XCTAssertTrue(error.reason.contains("sent alert 40 handshake_failure"), error.reason)
        XCTAssertLessThan(run.seconds, 5)
        XCTAssertLessThan(run.memory, Self.memoryBound)
        let record = try XCTUnwrap(server.waitForConnections(1).first)
        XCTAssertEqual(record.clientHellos, 1, "no second handshake")
        XCTAssertEqual(record.alertsReceived, [100])
        XCTAssertEqual(String(decoding: record.applicationData, as: UTF8.self), TestClient.earlyData)
    }

    /// A TLS 1.3 HelloRetryRequest is normal: the server takes only P-384, the client's first key
    /// share is X25519. The second ClientHello must succeed and the staple be verified.
    func testHelloRetryRequestSucceedsWithTheStaple() async throws {
        let server = try InProcessTLSServer(
            .tlsWith(
                Fixtures.mustStaple,
                staple: .bytes(Fixtures.Staple.good.bytes),
                versions: .tls13 ... .tls13,
                options: .init(groups: "P-384")
            )
        )
        defer { server.stop() }
        let run = try await connect(server.port, TestClient.configuration(version: .tls13))
        XCTAssertNil(run.outcome.error, "\(String(describing: run.outcome.error))")
        XCTAssertEqual(run.outcome.report?.verdict?.staple.status, .good)
        XCTAssertTrue(run.outcome.received.contains("echo:\(TestClient.earlyData)"))
        let record = try XCTUnwrap(server.waitForConnections(1).first)
        XCTAssertEqual(record.clientHellos, 2, "a HelloRetryRequest was sent")
        XCTAssertEqual(record.group, "secp384r1")
        XCTAssertTrue(record.closeNotifyReceived)
    }

    // MARK: - After the handshake: the HTTP response

    /// `staple get` (HTTPSClient) after an accepted handshake: a server that never answers the
    /// request, and one that sends its head and then one body byte per second, end at the response
    /// timeout (1 s here) with a precise message, not never.
    func testSilentAndDribblingHTTPServersEndAtTheResponseTimeout() async throws {
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n".utf8)
        let cases: [(String, InProcessTLSServer.Options, String)] = [
            (
                "silent", .init(echo: false, greeting: []),
                "no complete response within 1 s of the request (no response head received)"
            ),
            (
                "one body byte per second",
                .init(echo: false, greeting: head, dribble: Array(repeating: 0x41, count: 30)),
                "no complete response within 1 s of the request (the head and "
            ),
        ]
        for (label, options, expected) in cases {
            let server = try InProcessTLSServer(
                .tlsWith(
                    Fixtures.mustStaple,
                    staple: .bytes(Fixtures.Staple.good.bytes),
                    versions: .tls13 ... .tls13,
                    options: options
                )
            )
            defer { server.stop() }
            var client = HTTPSClient(
                checker: try EndpointChecker(configuration: TestClient.configuration(policy: .strict))
            )
            client.responseTimeout = .seconds(1)
            let started = ContinuousClock.now
            let result = await client.get(
                Endpoint(host: "127.0.0.1", port: server.port, path: "/"),
                serverName: "localhost"
            )
            let elapsed = ContinuousClock.now - started
            XCTAssertEqual(result.report.outcome, .accepted, "\(label): the handshake itself was fine")
            XCTAssertNil(result.response, label)
            XCTAssertTrue(
                result.httpError?.hasPrefix(expected) ?? false,
                "\(label): \(String(describing: result.httpError))"
            )
            XCTAssertLessThan(elapsed, .seconds(4), "\(label): the margin is a hang guard only")
            XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(900), label)
            print("hostile: \(label): \(result.httpError ?? "-")")
        }
    }

    // MARK: - Flooding while the verdict waits

    /// A fetcher that answers after a while (the verdict waits for it).
    struct SlowFetcher: OCSPFetcher {
        let delay: Duration
        func fetch(_ request: OCSPFetchRequest) async -> OCSPFetchResult {
            try? await Task.sleep(for: delay)
            return .failed(.timeout)
        }
    }

    /// The handshake completes and the engine waits for an OCSP fetch; meanwhile the server pushes
    /// 256 MiB of application data. The client must not buffer it (it reads nothing until the
    /// verdict); the fetch fails, fetch=hard rejects, and the connection closes.
    func testFloodWhileTheVerdictWaitsIsNotBuffered() async throws {
        let server = try InProcessTLSServer(
            .tlsWith(
                Fixtures.plain,
                staple: .none,
                versions: .tls13 ... .tls13,
                options: .init(floodAfterHandshake: 256 << 20)
            )
        )
        defer { server.stop() }
        var policy = RevocationPolicy.firefox
        policy.fetch = .hard
        var configuration = TestClient.configuration(policy: policy, version: .tls13)
        configuration.fetcher = SlowFetcher(delay: .milliseconds(1500))
        let run = try await connect(server.port, configuration)
        let error = try assertRefused(run, .rejectedByPolicy, within: 5, "flood")
        XCTAssertEqual(error.verdict?.error?.code, .ocspServerError)
        let record = try XCTUnwrap(server.waitForConnections(1).first)
        print("flood: the server wrote \(record.floodWritten >> 20) MiB; client peak grew \(run.memory >> 20) MiB")
    }
}
