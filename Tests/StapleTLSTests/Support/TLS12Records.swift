import Foundation

/// A hand-written TLS 1.2 server flight, byte by byte (RFC 5246 §6.2, §7.4; RFC 6066 §8): enough
/// of a ServerHello, a Certificate and a CertificateStatus for the client to read, in plaintext
/// records, so that a test can send what OpenSSL's server refuses to (a CertificateStatus of
/// 16 MiB). It never reaches ServerKeyExchange: no key is needed.
enum TLS12Records {
    static let maximumFragment = 16_384

    /// One record; `body` ≤ 16 KiB.
    static func record(type: UInt8 = 22, _ body: [UInt8]) -> [UInt8] {
        precondition(body.count <= 0xFFFF)
        return [type, 0x03, 0x03, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// A handshake stream cut into records of at most 16 KiB.
    static func records(_ handshake: [UInt8]) -> [UInt8] {
        stride(from: 0, to: handshake.count, by: maximumFragment).flatMap {
            record(Array(handshake[$0..<min($0 + maximumFragment, handshake.count)]))
        }
    }

    static func uint24(_ n: Int) -> [UInt8] {
        precondition(n >= 0 && n < 1 << 24)
        return [UInt8(n >> 16), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
    }

    static func handshake(_ type: UInt8, _ body: [UInt8]) -> [UInt8] { [type] + uint24(body.count) + body }

    /// ServerHello choosing TLS 1.2 and `cipher`, with renegotiation_info (OpenSSL refuses a server
    /// without it), status_request (a staple will follow) and ec_point_formats.
    static func serverHello(cipher: UInt16) -> [UInt8] {
        var random = (0..<32).map { _ in UInt8.random(in: 0...255) }
        random[24] = 0  // never the TLS 1.3 downgrade sentinel "DOWNGRD"
        let extensions: [UInt8] =
            [0xFF, 0x01, 0x00, 0x01, 0x00] + [0x00, 0x05, 0x00, 0x00] + [0x00, 0x0B, 0x00, 0x02, 0x01, 0x00]
        let body: [UInt8] =
            [0x03, 0x03] + random + [0x00] + [UInt8(cipher >> 8), UInt8(cipher & 0xFF), 0x00]
            + [UInt8(extensions.count >> 8), UInt8(extensions.count & 0xFF)] + extensions
        return handshake(2, body)
    }

    static func certificate(_ chain: [[UInt8]]) -> [UInt8] {
        let list = chain.flatMap { uint24($0.count) + $0 }
        return handshake(11, uint24(list.count) + list)
    }

    /// The first bytes of a CertificateStatus (type ocsp) whose OCSPResponse is `length` bytes:
    /// the handshake header, status_type, and the response's own 24-bit length.
    static func certificateStatusHeader(responseLength length: Int) -> [UInt8] {
        [22] + uint24(4 + length) + [0x01] + uint24(length)
    }

    /// The largest OCSPResponse a CertificateStatus can frame: its handshake length is 24 bits.
    static let largestFramableStaple = (1 << 24) - 1 - 4

    /// The cipher suites a ClientHello offers.
    static func cipherSuites(ofClientHello body: [UInt8]) -> [UInt16] {
        guard body.count > 35 else { return [] }
        var i = 34
        i += 1 + Int(body[i])  // session id
        guard i + 2 <= body.count else { return [] }
        let length = Int(body[i]) << 8 | Int(body[i + 1])
        i += 2
        guard i + length <= body.count else { return [] }
        return stride(from: i, to: i + length, by: 2).map { UInt16(body[$0]) << 8 | UInt16(body[$0 + 1]) }
    }

    /// ECDHE-ECDSA-AES128-GCM-SHA256: the test leaf keys are P-256.
    static let ecdheECDSAWithAES128GCM: UInt16 = 0xC02B

    /// The DER certificates of a PEM file, in order.
    static func certificates(pemFile path: String) -> [[UInt8]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst().compactMap { part in
            guard let end = part.range(of: "-----END CERTIFICATE-----") else { return nil }
            return Data(base64Encoded: part[..<end.lowerBound].filter { !$0.isWhitespace }).map { Array($0) }
        }
    }
}
