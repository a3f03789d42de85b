import Crypto

/// Forges OCSP responses (RFC 6960 §4.2.1) field by field: what the tests need for every rule and
/// boundary, and what `staple demo` signs fresh at start-up.
public struct ResponseForge: Sendable {
    typealias W = DERWriter

    public enum Responder: Sendable {
        case byName([UInt8])
        case byKey([UInt8])
        /// Written as given (for malformed cases).
        case raw([UInt8])
    }

    public enum Status: Sendable {
        case good
        case revoked(at: Int64)
        case unknown
        /// Written as given (for malformed cases).
        case raw([UInt8])
    }

    public enum CertIDHash: Sendable {
        case sha1, sha256, sha384, sha512

        var oid: [UInt] {
            switch self {
            case .sha1: return [1, 3, 14, 3, 2, 26]
            case .sha256: return [2, 16, 840, 1, 101, 3, 4, 2, 1]
            case .sha384: return [2, 16, 840, 1, 101, 3, 4, 2, 2]
            case .sha512: return [2, 16, 840, 1, 101, 3, 4, 2, 3]
            }
        }

        func digest(_ b: [UInt8]) -> [UInt8] {
            switch self {
            case .sha1: return Array(Insecure.SHA1.hash(data: b))
            case .sha256: return Array(SHA256.hash(data: b))
            case .sha384: return Array(SHA384.hash(data: b))
            case .sha512: return Array(SHA512.hash(data: b))
            }
        }
    }

    public struct Single: Sendable {
        public var certID: [UInt8]
        public var status: Status
        public var thisUpdate: Int64
        public var nextUpdate: Int64?
        public var extensions: [[UInt8]]?
        /// Written instead of thisUpdate's GeneralizedTime TLV when set (for malformed times).
        public var rawThisUpdate: [UInt8]?

        public init(
            certID: [UInt8],
            status: Status = .good,
            thisUpdate: Int64,
            nextUpdate: Int64?,
            extensions: [[UInt8]]? = nil
        ) {
            self.certID = certID
            self.status = status
            self.thisUpdate = thisUpdate
            self.nextUpdate = nextUpdate
            self.extensions = extensions
        }
    }

    /// The CertID of `leaf` issued by `issuer` (both DER), hashed with `hash`.
    public static func certID(leaf: [UInt8], issuer: [UInt8], hash: CertIDHash = .sha1) throws -> [UInt8] {
        let l = try CertificateFields(leaf)
        let i = try CertificateFields(issuer)
        return W.sequence(
            W.sequence(W.oid(hash.oid), W.null),
            W.octetString(hash.digest(l.issuerName)),
            W.octetString(hash.digest(i.publicKeyBits)),
            W.integer(l.serial)
        )
    }

    /// byKey of a certificate: SHA-1 of its subjectPublicKey bits.
    public static func byKey(_ cert: [UInt8]) throws -> Responder {
        .byKey(Array(Insecure.SHA1.hash(data: try CertificateFields(cert).publicKeyBits)))
    }
    public static func byName(_ cert: [UInt8]) throws -> Responder { .byName(try CertificateFields(cert).subjectName) }

    public var responseStatus: UInt8 = 0
    /// Omit responseBytes from a successful response (malformed).
    public var omitResponseBytes = false
    public var responseType: [UInt] = [1, 3, 6, 1, 5, 5, 7, 48, 1, 1]
    /// nil: version absent (the DER default); a number: written explicitly.
    public var explicitVersion: Int?
    public var responder: Responder
    public var producedAt: Int64
    public var responses: [Single]
    /// nil: absent; []: an empty Extensions SEQUENCE.
    public var responseExtensions: [[UInt8]]?
    public var certificates: [[UInt8]] = []
    public var signatureAlgorithm: ForgeSignatureAlgorithm
    public var signer: ForgeKey
    /// Flip one bit of the signature after signing.
    public var corruptSignature = false
    /// Bytes appended after the outer SEQUENCE.
    public var trailing: [UInt8] = []

    public init(responder: Responder, producedAt: Int64, responses: [Single], signer: ForgeKey) {
        self.responder = responder
        self.producedAt = producedAt
        self.responses = responses
        self.signer = signer
        self.signatureAlgorithm = signer.defaultAlgorithm
    }

    /// A non-successful response: `SEQUENCE { ENUMERATED status }`.
    public static func unsuccessful(_ status: UInt8) -> [UInt8] { W.sequence(W.enumerated(status)) }

    public var tbsResponseData: [UInt8] {
        var tbs: [UInt8] = []
        if let v = explicitVersion { tbs += W.explicit(0, W.integer(v)) }
        switch responder {
        case .byName(let name): tbs += W.explicit(1, name)
        case .byKey(let hash): tbs += W.explicit(2, W.octetString(hash))
        case .raw(let bytes): tbs += bytes
        }
        tbs += W.generalizedTime(producedAt)
        tbs += W.sequence(of: responses.map(Self.single))
        if let ext = responseExtensions { tbs += W.explicit(1, W.sequence(of: ext)) }
        return W.tlv(0x30, tbs)
    }

    static func single(_ s: Single) -> [UInt8] {
        var b = s.certID
        switch s.status {
        case .good: b += W.implicitPrimitive(0, [])
        case .revoked(let at): b += W.explicit(1, W.generalizedTime(at))
        case .unknown: b += W.implicitPrimitive(2, [])
        case .raw(let raw): b += raw
        }
        b += s.rawThisUpdate ?? W.generalizedTime(s.thisUpdate)
        if let n = s.nextUpdate { b += W.explicit(0, W.generalizedTime(n)) }
        if let e = s.extensions { b += W.explicit(1, W.sequence(of: e)) }
        return W.tlv(0x30, b)
    }

    /// The DER OCSPResponse.
    public func der() -> [UInt8] {
        if responseStatus != 0 || omitResponseBytes { return W.sequence(W.enumerated(responseStatus)) + trailing }
        let tbs = tbsResponseData
        var signature =
            signatureAlgorithm == .md5WithRSA
            ? [UInt8](repeating: 0x5A, count: 256) : signer.sign(tbs, algorithm: signatureAlgorithm)
        if corruptSignature { signature[signature.count / 2] ^= 0x01 }
        var basic = tbs + signatureAlgorithm.algorithmIdentifier + W.bitString(signature)
        if !certificates.isEmpty { basic += W.explicit(0, W.sequence(of: certificates)) }
        let responseBytes = W.sequence(W.oid(responseType), W.octetString(W.tlv(0x30, basic)))
        return W.sequence(W.enumerated(0), W.explicit(0, responseBytes)) + trailing
    }
}
