import Foundation
import StapleVerifier
import SwiftASN1
import X509

/// What one handshake showed: protocol facts, the chain, the staple, the engine's verdict and
/// timings. Delivered with ``StapleTLSEvent/handshakeCompleted(_:)`` on acceptance, and inside
/// ``TLSError/handshake`` (as far as it got) on failure.
public struct HandshakeReport: Hashable, Sendable, Encodable {
    /// The name sent as SNI and verified against the certificate.
    public package(set) var serverName: String?
    /// `TLSv1.2`, `TLSv1.3`.
    public package(set) var tlsVersion: String?
    public package(set) var cipher: String?
    /// The protocol the server selected with ALPN.
    public package(set) var alpn: String?
    /// Leaf first: the chain OpenSSL verified (ending in the trust anchor), or, when verification
    /// failed, the chain the server sent.
    public package(set) var chain: [CertificateSummary]
    /// Whether ``chain`` is a verified chain.
    public package(set) var chainVerified: Bool
    public package(set) var staple: StapleSummary
    /// The engine's verdict; nil when it did not run (e.g. path validation failed first).
    public package(set) var verdict: Verdict?
    public package(set) var alertsSent: [TLSAlert]
    public package(set) var alertsReceived: [TLSAlert]
    /// The verification time (the clock, read once when the handshake started).
    public package(set) var verificationTime: Date
    public package(set) var timings: Timings
    /// The chain as DER (as ``chain``, leaf first) and the staple's bytes: the evidence, for
    /// re-evaluation (`check --compare`) and violation reports. Not part of the JSON.
    public package(set) var chainDER: [[UInt8]] = []
    public package(set) var stapleBytes: [UInt8]? = nil

    enum CodingKeys: String, CodingKey {
        case serverName, tlsVersion, cipher, alpn, chain, chainVerified, staple, verdict, alertsSent, alertsReceived,
            verificationTime, timings
    }

    public struct StapleSummary: Hashable, Sendable, Encodable {
        /// status_request was sent.
        public package(set) var requested: Bool
        /// A staple came (an empty one counts).
        public package(set) var present: Bool
        public package(set) var size: Int?
    }

    public struct Timings: Hashable, Sendable, Encodable {
        /// From the TCP connection being up to the end of the handshake (and of the verdict).
        public package(set) var handshakeMs: Double
        /// Time spent in the engine, OCSP fetch included.
        public package(set) var verificationMs: Double
        /// The OCSP fetch alone, when one was made.
        public package(set) var fetchMs: Double?
    }
}

/// One certificate of a chain, for people and JSON.
public struct CertificateSummary: Hashable, Sendable, Encodable {
    public package(set) var subject: String
    public package(set) var issuer: String
    /// Hex, as OpenSSL prints it.
    public package(set) var serial: String
    public package(set) var notBefore: Date
    public package(set) var notAfter: Date
    /// Carries the RFC 7633 TLS Feature extension (1.3.6.1.5.5.7.1.24).
    public package(set) var mustStaple: Bool
    /// SHA-256 of the DER, hex.
    public package(set) var sha256: String

    static let tlsFeatureOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 24]

    init?(der: [UInt8]) {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        subject = certificate.subject.description
        issuer = certificate.issuer.description
        serial = Hex.encode(certificate.serialNumber.bytes, uppercase: true)
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
