/// A root, an intermediate and helpers to issue end-entities, delegated responders and responses:
/// the PKI of the unit tests and of `staple demo`.
public struct ForgePKI: Sendable {
    public enum KeyType: String, Sendable, CaseIterable { case ecdsa, rsa }

    public let keyType: KeyType
    public let rootKey: ForgeKey
    public let intermediateKey: ForgeKey
    public let leafKey: ForgeKey
    public let root: [UInt8]
    public let intermediate: [UInt8]
    public let rootName: [UInt8]
    public let intermediateName: [UInt8]
    public let notBefore: Int64
    public let notAfter: Int64

    /// `intermediateExtensions` are added to the intermediate (e.g. a TLS Feature).
    public init(
        keyType: KeyType,
        notBefore: Int64,
        notAfter: Int64,
        label: String = "Forge",
        intermediateExtensions: [[UInt8]] = []
    ) {
        self.keyType = keyType
        func key() -> ForgeKey { keyType == .ecdsa ? .p256() : .rsa(bits: 2048) }
        self.rootKey = key()
        self.intermediateKey = key()
        self.leafKey = key()
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.rootName = CertificateForge.name("\(label) Root \(keyType.rawValue)", organization: "swift-must-staple")
        self.intermediateName = CertificateForge.name(
            "\(label) Intermediate \(keyType.rawValue)",
            organization: "swift-must-staple"
        )
        let alg = rootKey.defaultAlgorithm
        self.root = CertificateForge(
            serial: [0x01],
            issuerName: rootName,
            subjectName: rootName,
            notBefore: notBefore,
            notAfter: notAfter + 86_400 * 3650,
            subjectKey: rootKey,
            extensions: [ForgeExtension.basicConstraints(ca: true), ForgeExtension.keyUsage(ca: true)],
            signatureAlgorithm: alg
        ).signed(by: rootKey)
        self.intermediate = CertificateForge(
            serial: [0x02],
            issuerName: rootName,
            subjectName: intermediateName,
            notBefore: notBefore,
            notAfter: notAfter + 86_400 * 1825,
            subjectKey: intermediateKey,
            extensions: [ForgeExtension.basicConstraints(ca: true), ForgeExtension.keyUsage(ca: true)]
                + intermediateExtensions,
            signatureAlgorithm: alg
        ).signed(by: rootKey)
    }

    /// An end-entity issued by the intermediate.
    public func leaf(
        serial: [UInt8] = [0x10, 0x01],
        commonName: String = "localhost",
        extraExtensions: [[UInt8]] = [],
        ocspURL: String? = "http://127.0.0.1:8888/",
        notBefore: Int64? = nil,
        notAfter: Int64? = nil
    ) -> [UInt8] {
        var ext = [
            ForgeExtension.basicConstraints(ca: false), ForgeExtension.keyUsage(ca: false),
            ForgeExtension.extendedKeyUsage([ForgeExtension.serverAuth]),
            ForgeExtension.subjectAltName(dns: [commonName], ips: [[127, 0, 0, 1]]),
        ]
        if let ocspURL { ext.append(ForgeExtension.ocspURL(ocspURL)) }
        ext += extraExtensions
        return CertificateForge(
            serial: serial,
            issuerName: intermediateName,
            subjectName: CertificateForge.name(commonName),
            notBefore: notBefore ?? self.notBefore,
            notAfter: notAfter ?? self.notAfter,
            subjectKey: leafKey,
            extensions: ext,
            signatureAlgorithm: intermediateKey.defaultAlgorithm
        ).signed(by: intermediateKey)
    }

    /// A delegated OCSP responder certificate (RFC 6960 §4.2.2.2), issued by the intermediate unless
    /// `issuer` says otherwise.
    public func responder(
        key: ForgeKey,
        eku: [[UInt]]? = [ForgeExtension.ocspSigning],
        ca: Bool = false,
        notBefore: Int64? = nil,
        notAfter: Int64? = nil,
        serial: [UInt8] = [0x20, 0x01],
        signatureAlgorithm: ForgeSignatureAlgorithm? = nil,
        issuer: (name: [UInt8], key: ForgeKey)? = nil
    ) -> [UInt8] {
        var ext = [ForgeExtension.basicConstraints(ca: ca)]
        if let eku { ext.append(ForgeExtension.extendedKeyUsage(eku)) }
        let signer = issuer ?? (intermediateName, intermediateKey)
        return CertificateForge(
            serial: serial,
            issuerName: signer.name,
            subjectName: CertificateForge.name("OCSP Responder \(keyType.rawValue)"),
            notBefore: notBefore ?? self.notBefore,
            notAfter: notAfter ?? self.notAfter,
            subjectKey: key,
            extensions: ext,
            signatureAlgorithm: signatureAlgorithm ?? signer.key.defaultAlgorithm
        ).signed(by: signer.key)
    }

    /// A response about `leaf`, signed by the intermediate (byKey) unless changed afterwards.
    public func response(
        for leaf: [UInt8],
        status: ResponseForge.Status = .good,
        thisUpdate: Int64,
        nextUpdate: Int64?,
        hash: ResponseForge.CertIDHash = .sha1
    ) -> ResponseForge {
        let id = try! ResponseForge.certID(leaf: leaf, issuer: intermediate, hash: hash)
        return ResponseForge(
            responder: try! ResponseForge.byKey(intermediate),
            producedAt: thisUpdate,
            responses: [.init(certID: id, status: status, thisUpdate: thisUpdate, nextUpdate: nextUpdate)],
            signer: intermediateKey
        )
    }

    /// Leaf, intermediate, root.
    public func chain(_ leaf: [UInt8]) -> [[UInt8]] { [leaf, intermediate, root] }
}
