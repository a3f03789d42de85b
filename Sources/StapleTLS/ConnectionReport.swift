import Foundation
import StapleVerifier

/// The result of checking one endpoint (``EndpointChecker``; one JSON line of `staple check --json`):
/// the engine's verdict (`verify`) plus the facts of the connection.
public struct ConnectionReport: Sendable, Encodable {
    /// The JSON schema of this report; bumped on an incompatible change.
    public static let currentSchema = "swift-must-staple/check/1"

    public enum Outcome: String, Sendable, Codable {
        /// The handshake completed and the engine accepted it.
        case accepted
        /// The server was reached; its certificate or staple was refused (by OpenSSL's path
        /// validation or by the engine).
        case rejected
        /// The check could not be made (connect, handshake, timeout) or its inputs are unusable.
        case failed
    }

    public struct Connection: Sendable, Encodable {
        /// The address connected to (`127.0.0.1:8443`); nil when no connection was made.
        public package(set) var address: String?
        public package(set) var serverName: String?
        public package(set) var tlsVersion: String?
        public package(set) var cipher: String?
        public package(set) var alpn: String?
        public package(set) var chain: [CertificateSummary]
        public package(set) var chainVerified: Bool
        public package(set) var staple: HandshakeReport.StapleSummary?
        public package(set) var alertsSent: [TLSAlert]
        public package(set) var alertsReceived: [TLSAlert]
        public package(set) var verificationTime: Date?
    }

    public struct Timings: Sendable, Encodable {
        public package(set) var connectMs: Double?
        public package(set) var handshakeMs: Double?
        public package(set) var verificationMs: Double?
        public package(set) var fetchMs: Double?
        public package(set) var totalMs: Double
    }

    public package(set) var schema = ConnectionReport.currentSchema
    /// The target as it was given.
    public package(set) var target: String
    public package(set) var endpoint: Endpoint
    public package(set) var outcome: Outcome
    /// The exit status this report stands for (`ExitStatus`).
    public package(set) var exitCode: Int32
    /// The engine's verdict (as `staple verify` prints it); nil when the engine did not run.
    public package(set) var verify: Verdict?
    public package(set) var connection: Connection
    public package(set) var error: TLSError?
    public package(set) var timings: Timings
    /// The chain (leaf first) and the staple as received: for `--compare` and violation reports.
    /// Not part of the JSON.
    public package(set) var chainDER: [[UInt8]] = []
    public package(set) var stapleBytes: [UInt8]? = nil

    enum CodingKeys: String, CodingKey {
        case schema, target, endpoint, outcome, exitCode, verify, connection, error, timings
    }

    init(
        target: String,
        endpoint: Endpoint,
        address: String?,
        handshake: HandshakeReport?,
        error: TLSError?,
        connectMs: Double?,
        totalMs: Double
    ) {
        self.target = target
        self.endpoint = endpoint
        self.error = error
        self.verify = handshake?.verdict ?? error?.verdict
        self.chainDER = handshake?.chainDER ?? error?.handshake?.chainDER ?? []
        self.stapleBytes = handshake?.stapleBytes ?? error?.handshake?.stapleBytes
        if let error {
            outcome = error.code.category == .certificate ? .rejected : .failed
            exitCode = error.code.category.exitCode
        } else {
            outcome = .accepted
            exitCode = ExitStatus.accepted
        }
        connection = Connection(
            address: address,
            serverName: handshake?.serverName,
            tlsVersion: handshake?.tlsVersion,
            cipher: handshake?.cipher,
            alpn: handshake?.alpn,
            chain: handshake?.chain ?? [],
            chainVerified: handshake?.chainVerified ?? false,
            staple: handshake?.staple,
            alertsSent: handshake?.alertsSent ?? [],
            alertsReceived: handshake?.alertsReceived ?? [],
            verificationTime: handshake?.verificationTime
        )
        timings = Timings(
            connectMs: connectMs,
            handshakeMs: handshake?.timings.handshakeMs,
            verificationMs: handshake?.timings.verificationMs,
            fetchMs: handshake?.timings.fetchMs,
            totalMs: totalMs
        )
    }

    /// `verify` and `error` are always written, as null when absent (a stable shape, as the verdict's `error`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(target, forKey: .target)
        try c.encode(endpoint, forKey: .endpoint)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(exitCode, forKey: .exitCode)
        if let verify { try c.encode(verify, forKey: .verify) } else { try c.encodeNil(forKey: .verify) }
        try c.encode(connection, forKey: .connection)
        if let error { try c.encode(error, forKey: .error) } else { try c.encodeNil(forKey: .error) }
        try c.encode(timings, forKey: .timings)
    }

    /// One line of JSON (the package's encoder: sorted keys, RFC 3339 dates).
    public func jsonLine() -> String {
        guard let data = try? JSONEncoder.staple.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
