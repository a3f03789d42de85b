import Foundation
import NIOCore
import NIOPosix
import StapleForge
import StapleTLS
import StapleVerifier

/// The server identity of the handshake and fleet benchmarks: an ECDSA P-256 PKI, a must-staple
/// leaf for "localhost" and 127.0.0.1, and a Good staple — written as PEM files for OpenSSL.
struct ServerIdentity {
    let fixture: StapleFixture
    let directory: URL
    var chainPEM: String { directory.appendingPathComponent("chain.pem").path }
    var keyPEM: String { directory.appendingPathComponent("key.pem").path }
    var rootPEM: String { directory.appendingPathComponent("root.pem").path }
    var staple: [UInt8] { fixture.staples[.direct]! }
    var root: [UInt8] { fixture.pki.root }

    init(_ fixture: StapleFixture) throws {
        self.fixture = fixture
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("staple-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try (PEM.encode(fixture.leaf) + PEM.encode(fixture.pki.intermediate)).write(
            toFile: chainPEM,
            atomically: true,
            encoding: .utf8
        )
        try PEM.encode(fixture.pki.root).write(toFile: rootPEM, atomically: true, encoding: .utf8)
        guard case .p256(let key) = fixture.pki.leafKey.backing else {
            throw BenchError("the server identity must be ECDSA")
        }
        try key.pemRepresentation.write(toFile: keyPEM, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// One handshake mode's rounds: handshakes per second (wall) and client CPU per handshake.
struct HandshakeStats {
    var perSecond: [Double] = []
    var clientCPUMicros: [Double] = []
    /// The blocking client's callbacks only: CPU in the engine's part (DER of the chain + engine).
    var engineCPUMicros: [Double] = []
}

/// Loopback TLS 1.3 handshakes against the in-process OpenSSL server, one at a time, in four modes
/// measured in the same rounds (order rotating):
/// - `openssl`: the blocking OpenSSL client, no engine (the baseline);
/// - `openssl+engine`: the same client with the engine in its callbacks as our handler calls it,
///   default verifier (`StapleEngine()`: verdict cache and chain cache on);
/// - `openssl+engine(no verdict cache)`: `verdictCache: nil` (every handshake verifies the staple;
///   the chain is found in the chain cache);
/// - `openssl+engine(no caches)`: `verdictCache: nil, chainCache: nil` (every handshake reads the
///   chain, checks its links and verifies the staple: the engine's whole cost);
/// - `handler`: our `StapleClientHandler` on SwiftNIO through `EndpointChecker.check` (engine with
///   its default verdict cache), the whole client stack.
/// Client CPU = process CPU − the server threads' CPU, per handshake.
struct HandshakeBench {
    let identity: ServerIdentity
    let rounds: Int
    let perRound: Int
    /// The modes measured: all of `HandshakeBench.modes` unless fewer are asked for.
    var modes: [String] = HandshakeBench.modes

    static let modes = [
        "openssl", "openssl+engine", "openssl+engine(no verdict cache)", "openssl+engine(no caches)", "handler",
    ]

    func run() async throws -> [String: HandshakeStats] {
        let server = try BenchTLSServer(
            chainPEM: identity.chainPEM,
            keyPEM: identity.keyPEM,
            staple: identity.staple,
            portCount: 1,
            workers: 1
        )
        defer { server.stop() }
        let port = server.ports[0]
        let time = identity.fixture.time
        let client = BlockingClient(rootDER: identity.root, port: port, serverName: "localhost", time: time)
        let cached = StapleEngine(policy: .firefox)
        let noVerdictCache = StapleEngine(policy: .firefox, verdictCache: nil)
        let uncached = StapleEngine(policy: .firefox, verdictCache: nil, chainCache: nil)
        var configuration = TLSClientConfiguration(trustRoots: .certificates([identity.root]), policy: .firefox)
        configuration.minimumVersion = .tls13
        configuration.pinTime(time)
        let checker = try EndpointChecker(configuration: configuration)
        let endpoint = Endpoint(host: "127.0.0.1", port: port)

        func once(_ mode: String) async -> Bool {
            switch mode {
            case "openssl": return client.handshake(.plain)
            case "openssl+engine": return client.handshake(.engine(cached))
            case "openssl+engine(no verdict cache)": return client.handshake(.engine(noVerdictCache))
            case "openssl+engine(no caches)": return client.handshake(.engine(uncached))
            default:
                let report = await checker.check(endpoint, serverName: "localhost")
                if report.outcome != .accepted { log("handler: \(report.jsonLine())") }
                return report.outcome == .accepted
            }
        }
        // Warm-up, and a check that every mode completes and accepts.
        for mode in modes {
            for _ in 0..<5 where !(await once(mode)) { throw BenchError("handshake mode \(mode) failed") }
        }
        var stats: [String: HandshakeStats] = [:]
        for round in 0..<rounds {
            for k in 0..<modes.count {
                let mode = modes[(k + round) % modes.count]
                let cpu0 = processCPUNanos()
                let server0 = server.cpuTimeNanos
                let engine0 = client.engineCPUNanos
                let start = monotonicNanos()
                for _ in 0..<perRound where !(await once(mode)) {
                    throw BenchError("handshake mode \(mode) failed in round \(round + 1)")
                }
                let wall = Double(monotonicNanos() - start)
                // The server's last connection may still be finishing; its CPU is counted when done.
                try await Task.sleep(for: .milliseconds(5))
                let clientCPU = Double(processCPUNanos() - cpu0) - Double(server.cpuTimeNanos - server0)
                stats[mode, default: HandshakeStats()].perSecond.append(Double(perRound) / (wall / 1e9))
                stats[mode, default: HandshakeStats()].clientCPUMicros.append(clientCPU / Double(perRound) / 1e3)
                if mode.hasPrefix("openssl") {
                    stats[mode, default: HandshakeStats()].engineCPUMicros.append(
                        Double(client.engineCPUNanos - engine0) / Double(perRound) / 1e3
                    )
                }
            }
            log("handshakes: round \(round + 1)/\(rounds)")
        }
        return stats
    }
}
