import Foundation
import StapleVerifier
import SwiftASN1
import X509

/// What one handshake showed: protocol facts, the chain, the staple, the engine's verdict and
/// timings. Delivered with ``StapleTLSEvent/handshakeCompleted(_:)`` on acceptance, and inside
/// ``TLSError/handshake`` (as far as it got) on failure.
public struct HandshakeReport: Hashable, Sendable, Encodable {
    /// The name sent as SNI and verified against the certificate.
    public var serverName: String?
    /// `TLSv1.2`, `TLSv1.3`.
    public var tlsVersion: String?
    public var cipher: String?
    /// The protocol the server selected with ALPN.
    public var alpn: String?
    /// Leaf first: the chain OpenSSL verified (ending in the trust anchor), or, when verification
    /// failed, the chain the server sent.
    public var chain: [CertificateSummary]
    /// Whether ``chain`` is a verified chain.
    public var chainVerified: Bool
    public var staple: StapleSummary
    /// The engine's verdict; nil when it did not run (e.g. path validation failed first).
    public var verdict: Verdict?
    public var alertsSent: [TLSAlert]
    public var alertsReceived: [TLSAlert]
    /// The verification time (the clock, read once when the handshake started).
    public var verificationTime: Date
    public var timings: Timings
    /// The chain as DER (as ``chain``, leaf first) and the staple's bytes: the evidence, for
    /// re-evaluation (`check --compare`) and violation reports. Not part of the JSON.
    public var chainDER: [[UInt8]] = []
    public var stapleBytes: [UInt8]? = nil

    enum CodingKeys: String, CodingKey {
        case serverName, tlsVersion, cipher, alpn, chain, chainVerified, staple, verdict, alertsSent, alertsReceived, verificationTime, timings
    }

    public struct StapleSummary: Hashable, Sendable, Encodable {
        /// status_request was sent.
        public var requested: Bool
        /// A staple came (an empty one counts).
        public var present: Bool
        public var size: Int?
    }

    public struct Timings: Hashable, Sendable, Encodable {
        /// From the TCP connection being up to the end of the handshake (and of the verdict).
        public var handshakeMs: Double
        /// Time spent in the engine, OCSP fetch included.
        public var verificationMs: Double
        /// The OCSP fetch alone, when one was made.
        public var fetchMs: Double?
    }
}

/// One certificate of a chain, for people and JSON.
public struct CertificateSummary: Hashable, Sendable, Encodable {
    public var subject: String
    public var issuer: String
    /// Hex, as OpenSSL prints it.
    public var serial: String
    public var notBefore: Date
    public var notAfter: Date
    /// Carries the RFC 7633 TLS Feature extension (1.3.6.1.5.5.7.1.24).
    public var mustStaple: Bool
    /// SHA-256 of the DER, hex.
    public var sha256: String

    static let tlsFeatureOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 24]

    init?(der: [UInt8]) {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        subject = certificate.subject.description
        issuer = certificate.issuer.description
        serial = certificate.serialNumber.bytes.map { String(format: "%02X", $0) }.joined()
        notBefore = certificate.notValidBefore
        notAfter = certificate.notValidAfter
        mustStaple = certificate.extensions[oid: Self.tlsFeatureOID] != nil
        sha256 = SHA256Digest.hex(der)
    }

    /// The common name, or the whole subject.
    public var shortName: String {
        subject.split(separator: ",").first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) } ?? subject
    }
}
