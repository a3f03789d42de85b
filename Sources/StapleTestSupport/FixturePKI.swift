import Foundation
import StapleForge

/// The TLS tests' PKI and staples, forged with StapleForge and written as files for the servers
/// that read files (`openssl s_server`, nginx, the in-process server). Times are fixed around T0
/// (2026-06-01T12:00:00Z), so every run writes the same certificates apart from their keys.
///
/// - Test Root CA (serial 1000) → Test Intermediate CA (1001) → the leaves, all `localhost` and
///   127.0.0.1, with an OCSP URL nothing listens on (http://127.0.0.1:9/ocsp): plain (3001),
///   must-staple (3002), expired in 2025 (3003).
/// - Test Root CA → Test Must-Staple Intermediate CA (1002, with the TLS Feature) → a leaf without
///   it (3004): the chain rule of firefox-policy §1.2.
/// - Some Other Root CA (2000), trusted by nobody.
/// - Staples for the must-staple leaf: Good and Revoked (fresh: T0 − 1 h → T0 + 3 days), an expired
///   Good one (T0 − 20 → T0 − 15 days); a Good one for the plain leaf (for the must-staple leaf: a
///   response for another certificate); and a tryLater response.
enum FixturePKI {
    static let t0: Int64 = 1_780_315_200
    static let day: Int64 = 86_400
    static let notBefore: Int64 = 1_767_225_600  // 2026-01-01
    static let notAfter: Int64 = 1_798_761_600  // 2027-01-01
    static let ocspURL = "http://127.0.0.1:9/ocsp"

    struct Issued {
        let der: [UInt8]
        let key: ForgeKey
        let name: [UInt8]
    }

    static func name(_ commonName: String) -> [UInt8] {
        CertificateForge.name(commonName, organization: "swift-must-staple tests")
    }

    static func ca(_ commonName: String, serial: [UInt8], issuer: Issued? = nil, extra: [[UInt8]] = []) -> Issued {
        let key = ForgeKey.p256()
        let subject = name(commonName)
        let der = CertificateForge(
            serial: serial,
            issuerName: issuer?.name ?? subject,
            subjectName: subject,
            notBefore: notBefore,
            notAfter: notAfter,
            subjectKey: key,
            extensions: [ForgeExtension.basicConstraints(ca: true), ForgeExtension.keyUsage(ca: true)] + extra,
            signatureAlgorithm: .ecdsaSHA256
        ).signed(by: issuer?.key ?? key)
        return Issued(der: der, key: key, name: subject)
    }

    static func leaf(
        serial: [UInt8],
        issuer: Issued,
        mustStaple: Bool = false,
        notBefore: Int64 = notBefore,
        notAfter: Int64 = notAfter
    ) -> Issued {
        let key = ForgeKey.p256()
        var extensions = [
            ForgeExtension.basicConstraints(ca: false), ForgeExtension.keyUsage(ca: false),
            ForgeExtension.extendedKeyUsage([ForgeExtension.serverAuth]),
            ForgeExtension.subjectAltName(dns: ["localhost"], ips: [[127, 0, 0, 1]]),
            ForgeExtension.ocspURL(ocspURL),
        ]
        if mustStaple { extensions.append(ForgeExtension.tlsFeature([5])) }
        let der = CertificateForge(
            serial: serial,
            issuerName: issuer.name,
            subjectName: name("localhost"),
            notBefore: notBefore,
            notAfter: notAfter,
            subjectKey: key,
            extensions: extensions,
            signatureAlgorithm: .ecdsaSHA256
        ).signed(by: issuer.key)
        return Issued(der: der, key: key, name: name("localhost"))
    }

    /// A response about `leaf` from its issuer (byKey, SHA-1 CertID), produced at thisUpdate.
    static func staple(
        _ leaf: Issued,
        issuer: Issued,
        status: ResponseForge.Status,
        thisUpdate: Int64,
        nextUpdate: Int64
    ) -> [UInt8] {
        let id = try! ResponseForge.certID(leaf: leaf.der, issuer: issuer.der)
        return ResponseForge(
            responder: try! ResponseForge.byKey(issuer.der),
            producedAt: thisUpdate,
            responses: [.init(certID: id, status: status, thisUpdate: thisUpdate, nextUpdate: nextUpdate)],
            signer: issuer.key
        ).der()
    }

    /// Writes every file `Fixtures` names into `directory`.
    static func write(to directory: URL) throws {
        func file(_ name: String, _ data: Data) throws { try data.write(to: directory.appendingPathComponent(name)) }
        func text(_ name: String, _ string: String) throws { try file(name, Data(string.utf8)) }

        let root = ca("Test Root CA", serial: [0x10, 0x00])
        let intermediate = ca("Test Intermediate CA", serial: [0x10, 0x01], issuer: root)
        let featureIntermediate = ca(
            "Test Must-Staple Intermediate CA",
            serial: [0x10, 0x02],
            issuer: root,
            extra: [ForgeExtension.tlsFeature([5])]
        )
        let otherRoot = ca("Some Other Root CA", serial: [0x20, 0x00])
        let plain = leaf(serial: [0x30, 0x01], issuer: intermediate)
        let must = leaf(serial: [0x30, 0x02], issuer: intermediate, mustStaple: true)
        let expired = leaf(
            serial: [0x30, 0x03],
            issuer: intermediate,
            notBefore: 1_735_689_600,
            notAfter: 1_767_139_200
        )
        let orphan = leaf(serial: [0x30, 0x04], issuer: featureIntermediate)

        try text("root.pem", PEM.encode(root.der))
        try text("other-root.pem", PEM.encode(otherRoot.der))
        try text("intermediate.pem", PEM.encode(intermediate.der))
        try text("feature-intermediate.pem", PEM.encode(featureIntermediate.der))
        for (stem, cert, issuer) in [
            ("leaf-plain", plain, intermediate), ("leaf-must-staple", must, intermediate),
            ("leaf-expired", expired, intermediate), ("leaf-feature-missing", orphan, featureIntermediate),
        ] {
            try text("\(stem).pem", PEM.encode(cert.der))
            try text("\(stem).key", cert.key.pemRepresentation)
            // Leaf then issuer: what a server sends (nginx ssl_certificate, s_server -cert).
            try text("\(stem).chain.pem", PEM.encode(cert.der) + PEM.encode(issuer.der))
        }
        let fresh = (thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * day)
        try file(
            "staple-must-staple-good.der",
            Data(staple(must, issuer: intermediate, status: .good, thisUpdate: fresh.0, nextUpdate: fresh.1))
        )
        try file(
            "staple-must-staple-revoked.der",
            Data(
                staple(
                    must,
                    issuer: intermediate,
                    status: .revoked(at: t0 - 31 * day),
                    thisUpdate: fresh.0,
                    nextUpdate: fresh.1
                )
            )
        )
        try file(
            "staple-must-staple-expired.der",
            Data(
                staple(must, issuer: intermediate, status: .good, thisUpdate: t0 - 20 * day, nextUpdate: t0 - 15 * day)
            )
        )
        try file(
            "staple-plain-good.der",
            Data(staple(plain, issuer: intermediate, status: .good, thisUpdate: fresh.0, nextUpdate: fresh.1))
        )
        try file("staple-try-later.der", Data(ResponseForge.unsuccessful(3)))
        try text("not-a-certificate.txt", "This file holds no PEM certificate.\n")
    }
}
