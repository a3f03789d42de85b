import Crypto
import _CryptoExtras
import SwiftASN1

/// Forges X.509 certificates byte by byte, so that tests and the demo control every field —
/// including the ones a well-behaved library refuses to write (SHA-1 signatures, duplicated or empty
/// TLS Feature extensions).
public struct CertificateForge: Sendable {
    typealias W = DERWriter

    public var serial: [UInt8]
    public var issuerName: [UInt8]
    public var subjectName: [UInt8]
    public var notBefore: Int64
    public var notAfter: Int64
    public var subjectPublicKeyInfo: [UInt8]
    public var extensions: [[UInt8]]
    public var signatureAlgorithm: ForgeSignatureAlgorithm

    public init(
        serial: [UInt8],
        issuerName: [UInt8],
        subjectName: [UInt8],
        notBefore: Int64,
        notAfter: Int64,
        subjectKey: ForgeKey,
        extensions: [[UInt8]],
        signatureAlgorithm: ForgeSignatureAlgorithm
    ) {
        self.serial = serial
        self.issuerName = issuerName
        self.subjectName = subjectName
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.subjectPublicKeyInfo = subjectKey.subjectPublicKeyInfo
        self.extensions = extensions
        self.signatureAlgorithm = signatureAlgorithm
    }

    /// The DER certificate, signed by `issuerKey`.
    public func signed(by issuerKey: ForgeKey) -> [UInt8] {
        let tbsDER = tbsCertificate
        return assembled(tbsDER, signature: issuerKey.sign(tbsDER, algorithm: signatureAlgorithm))
    }

    /// The DER certificate with `signature` as its signature bytes, whatever `signatureAlgorithm`
    /// says: for certificates whose signature nobody checks (a trust anchor signed with an
    /// algorithm the forge cannot compute, such as md5WithRSA).
    public func withSignature(_ signature: [UInt8]) -> [UInt8] {
        assembled(tbsCertificate, signature: signature)
    }

    var tbsCertificate: [UInt8] {
        var tbs = W.explicit(0, W.integer(2))  // v3
        tbs += W.integer(serial)
        tbs += signatureAlgorithm.algorithmIdentifier
        tbs += issuerName
        tbs += W.sequence(Self.time(notBefore), Self.time(notAfter))
        tbs += subjectName
        tbs += subjectPublicKeyInfo
        if !extensions.isEmpty { tbs += W.explicit(3, W.sequence(of: extensions)) }
        return W.tlv(0x30, tbs)
    }

    private func assembled(_ tbsDER: [UInt8], signature: [UInt8]) -> [UInt8] {
        W.sequence(tbsDER, signatureAlgorithm.algorithmIdentifier, W.bitString(signature))
    }

    /// UTCTime before 2050, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
    static func time(_ seconds: Int64) -> [UInt8] {
        let g = DERWriter.generalizedTimeString(seconds)
        if g.hasPrefix("20"), let year = Int(g.prefix(4)), year < 2050 {
            return W.tlv(0x17, Array(g.dropFirst(2).utf8))
        }
        return W.tlv(0x18, Array(g.utf8))
    }

    /// `CN=<commonName>` (and `O=<organization>` when given) as a Name.
    public static func name(_ commonName: String, organization: String? = nil) -> [UInt8] {
        var rdns: [[UInt8]] = []
        if let organization {
            rdns.append(W.tlv(0x31, W.sequence(W.oid([2, 5, 4, 10]), W.tlv(0x0C, Array(organization.utf8)))))
        }
        rdns.append(W.tlv(0x31, W.sequence(W.oid([2, 5, 4, 3]), W.tlv(0x0C, Array(commonName.utf8)))))
        return W.sequence(of: rdns)
    }
}

/// Extension builders (RFC 5280 §4.2, RFC 7633).
public enum ForgeExtension {
    typealias W = DERWriter

    public static func raw(oid: [UInt], critical: Bool = false, value: [UInt8]) -> [UInt8] {
        W.sequence(W.oid(oid), critical ? W.boolean(true) : [], W.octetString(value))
    }

    public static func basicConstraints(ca: Bool) -> [UInt8] {
        raw(oid: [2, 5, 29, 19], critical: true, value: ca ? W.sequence(W.boolean(true)) : W.sequence())
    }

    /// keyCertSign + cRLSign for CAs, digitalSignature otherwise.
    public static func keyUsage(ca: Bool) -> [UInt8] {
        raw(
            oid: [2, 5, 29, 15],
            critical: true,
            value: ca ? W.bitString([0x06], unusedBits: 1) : W.bitString([0x80], unusedBits: 7)
        )
    }

    public static let serverAuth: [UInt] = [1, 3, 6, 1, 5, 5, 7, 3, 1]
    public static let ocspSigning: [UInt] = [1, 3, 6, 1, 5, 5, 7, 3, 9]

    public static func extendedKeyUsage(_ oids: [[UInt]]) -> [UInt8] {
        raw(oid: [2, 5, 29, 37], value: W.sequence(of: oids.map { W.oid($0) }))
    }

    public static func ocspURL(_ url: String) -> [UInt8] {
        let access = W.sequence(W.oid([1, 3, 6, 1, 5, 5, 7, 48, 1]), W.implicitPrimitive(6, Array(url.utf8)))
        return raw(oid: [1, 3, 6, 1, 5, 5, 7, 1, 1], value: W.sequence(access))
    }

    public static func subjectAltName(dns: [String], ips: [[UInt8]] = []) -> [UInt8] {
        let names = dns.map { W.implicitPrimitive(2, Array($0.utf8)) } + ips.map { W.implicitPrimitive(7, $0) }
        return raw(oid: [2, 5, 29, 17], value: W.sequence(of: names))
    }

    /// RFC 7633 TLS Feature with the given feature numbers (`[5]` = must-staple).
    public static func tlsFeature(_ features: [Int], critical: Bool = false) -> [UInt8] {
        tlsFeature(rawValue: W.sequence(of: features.map { W.integer($0) }), critical: critical)
    }

    public static func tlsFeature(rawValue: [UInt8], critical: Bool = false) -> [UInt8] {
        raw(oid: [1, 3, 6, 1, 5, 5, 7, 1, 24], critical: critical, value: rawValue)
    }
}

extension ForgeKey {
    /// The SubjectPublicKeyInfo DER of the public half.
    public var subjectPublicKeyInfo: [UInt8] {
        switch backing {
        case .p256(let k): return Array(k.publicKey.derRepresentation)
        case .rsa(let k): return Array(k.publicKey.derRepresentation)
        }
    }
}
