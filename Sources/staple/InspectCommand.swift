import ArgumentParser
import Foundation
import StapleVerifier
import SwiftASN1
import X509

/// `staple inspect FILE`: what a certificate or an OCSP response says, without judging it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract:
            "Dump a certificate (TLS Feature, OCSP URLs, validity) or an OCSP response (status, responder, responses, times, extensions, certificates)."
    )

    @Argument(help: "A certificate or OCSP response: PEM, DER or base64.")
    var file: String

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() throws {
        let bytes = try InputFiles.read(file, what: "file")
        var blocks: [(label: String, der: [UInt8])]
        if InputFiles.isPEM(bytes) {
            blocks = try InputFiles.pemBlocks(bytes, path: file)
        } else {
            let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
            if !text.isEmpty, let d = Data(base64Encoded: text) {
                blocks = [("", [UInt8](d))]
            } else {
                blocks = [("", bytes)]
            }
        }
        guard !blocks.isEmpty, !blocks[0].der.isEmpty else { throw InputError("file '\(file)': empty") }
        // Both a certificate and an OCSP response are a DER SEQUENCE: anything else is neither.
        for (i, block) in blocks.enumerated() where block.der.first != 0x30 {
            let which = blocks.count > 1 ? "PEM block \(i + 1)" : "the file"
            throw InputError(
                "file '\(file)': \(which) is not DER or PEM of a certificate or an OCSP response (\(block.der.first.map { "it starts with byte 0x" + String($0, radix: 16) } ?? "it is empty"))"
            )
        }
        var documents: [Inspection] = []
        for block in blocks {
            if block.label != "OCSP RESPONSE", let cert = try? Certificate(derEncoded: block.der) {
                documents.append(.certificate(CertificateInspection(cert)))
            } else if block.label == "CERTIFICATE" {
                throw InputError("file '\(file)': a PEM CERTIFICATE block is not a readable certificate")
            } else {
                documents.append(.response(ResponseInspection(block.der)))
            }
        }
        if json {
            let enc = JSONEncoder.staple
            let data = documents.count == 1 ? try enc.encode(documents[0]) : try enc.encode(documents)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(documents.map(\.text).joined(separator: "\n\n"))
        }
    }
}

enum Inspection: Encodable {
    case certificate(CertificateInspection)
    case response(ResponseInspection)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .certificate(let c): try c.encode(to: encoder)
        case .response(let r): try r.encode(to: encoder)
        }
    }

    var text: String {
        switch self {
        case .certificate(let c): return c.text
        case .response(let r): return r.text
        }
    }
}

struct CertificateInspection: Encodable {
    var kind = "certificate"
    var subject: String
    var issuer: String
    var serial: String
    var notBefore: Date
    var notAfter: Date
    var publicKey: String
    var signatureAlgorithm: String
    var isCA: Bool
    var extendedKeyUsage: [String]?
    var ocspURLs: [String]
    var tlsFeature: TLSFeatureInspection?

    struct TLSFeatureInspection: Encodable {
        var raw: String
        var features: [Int?]?
        var mustStaple: Bool
        var error: String?
    }

    init(_ cert: Certificate) {
        subject = cert.subject.description
        issuer = cert.issuer.description
        serial = Hex.encode(cert.serialNumber.bytes)
        notBefore = cert.notValidBefore
        notAfter = cert.notValidAfter
        publicKey = cert.publicKey.description
        signatureAlgorithm = cert.signatureAlgorithm.description
        if let bc = try? cert.extensions.basicConstraints, case .isCertificateAuthority = bc {
            isCA = true
        } else {
            isCA = false
        }
        extendedKeyUsage = (try? cert.extensions.extendedKeyUsage).flatMap { $0 }.map { $0.map { "\($0)" } }
        var urls: [String] = []
        if let aia = (try? cert.extensions.authorityInformationAccess) ?? nil {
            for d in aia where d.method == .ocspServer {
                if case .uniformResourceIdentifier(let u) = d.location { urls.append(u) }
            }
        }
        ocspURLs = urls
        if let ext = cert.extensions.first(where: { $0.oid == [1, 3, 6, 1, 5, 5, 7, 1, 24] }) {
            let raw = Hex.encode(ext.value)
            do {
                let f = try TLSFeatures(ext)
                tlsFeature = TLSFeatureInspection(raw: raw, features: f.features, mustStaple: f.requiresStatusRequest)
            } catch {
                tlsFeature = TLSFeatureInspection(raw: raw, features: nil, mustStaple: false, error: error.description)
            }
        }
    }

    var text: String {
        var l = [
            "certificate", "  subject:     \(subject)", "  issuer:      \(issuer)", "  serial:      \(serial)",
            "  validity:    \(HumanReport.iso(notBefore)) → \(HumanReport.iso(notAfter))",
            "  key:         \(publicKey), signed with \(signatureAlgorithm)\(isCA ? ", CA" : "")",
        ]
        if let eku = extendedKeyUsage { l.append("  EKU:         \(eku.joined(separator: ", "))") }
        l.append("  OCSP URLs:   \(ocspURLs.isEmpty ? "none" : ocspURLs.joined(separator: ", "))")
        if let t = tlsFeature {
            let features = t.features.map { $0.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") } ?? "-"
            l.append(
                "  TLS Feature: [\(features)] \(t.mustStaple ? "— must-staple" : "")\(t.error.map { " — \($0)" } ?? "") (raw \(t.raw))"
            )
        } else {
            l.append("  TLS Feature: none (not must-staple)")
        }
        return l.joined(separator: "\n")
    }
}

struct ResponseInspection: Encodable {
    var kind = "ocspResponse"
    var size: Int
    var responseStatus: String?
    var error: String?
    var responderID: String?
    var producedAt: Date?
    var signatureAlgorithm: String?
    var responses: [Single] = []
    var extensions: [Ext] = []
    var certificates: [CertificateInspection] = []

    struct Single: Encodable {
        var hashAlgorithm: String
        var serial: String
        var issuerNameHash: String
        var issuerKeyHash: String
        var certStatus: String?
        var thisUpdate: Date?
        var nextUpdate: Date?
        var extensions: [Ext] = []
        var error: String?
    }

    struct Ext: Encodable {
        var oid: String
        var critical: Bool
        var value: String
    }

    init(_ der: [UInt8]) {
        size = der.count
        func hexs<C: Collection<UInt8>>(_ b: C) -> String { Hex.encode(b) }
        func ext(_ e: OCSPExtension) -> Ext { Ext(oid: e.oid.description, critical: e.critical, value: hexs(e.value)) }
        do {
            let r = try OCSPResponse(derEncoded: der)
            responseStatus = r.status.description
            guard let basic = r.basic else { return }
            signatureAlgorithm = basic.signatureAlgorithmOID
            switch basic.responderID {
            case .byName(let n):
                responderID =
                    "byName " + ((try? DistinguishedName(derEncoded: DER.parse(n))).map { $0.description } ?? hexs(n))
            case .byKey(let k): responderID = "byKey " + hexs(k)
            }
            certificates = basic.certificates.compactMap { try? Certificate(derEncoded: Array($0)) }.map(
                CertificateInspection.init
            )
            let data = try basic.responseData()
            producedAt = data.producedAt
            extensions = data.extensions.map(ext)
            for s in data.responses {
                var single = Single(
                    hashAlgorithm: s.certID.hash?.rawValue ?? s.certID.hashAlgorithmOID,
                    serial: hexs(s.certID.serialNumber),
                    issuerNameHash: hexs(s.certID.issuerNameHash),
                    issuerKeyHash: hexs(s.certID.issuerKeyHash)
                )
                do {
                    let d = try s.details()
                    single.certStatus = d.certStatus.rawValue
                    single.thisUpdate = d.thisUpdate
                    single.nextUpdate = d.nextUpdate
                    single.extensions = d.extensions.map(ext)
                } catch { single.error = error.description }
                responses.append(single)
            }
        } catch {
            if responseStatus == nil, let status = try? OCSPResponse.peekStatusForInspection(der) {
                responseStatus = status.description
            }
            self.error = error.description
        }
    }

    var text: String {
        var l = ["OCSP response (\(size) bytes)", "  status:      \(responseStatus ?? "unreadable")"]
        if let e = error { l.append("  error:       \(e)") }
        if let r = responderID { l.append("  responder:   \(r)") }
        if let p = producedAt { l.append("  producedAt:  \(HumanReport.iso(p))") }
        if let a = signatureAlgorithm { l.append("  signature:   \(a)") }
        for (i, s) in responses.enumerated() {
            l.append("  response[\(i)]: \(s.certStatus ?? "?") serial \(s.serial) (CertID \(s.hashAlgorithm))")
            if let t = s.thisUpdate {
                l.append(
                    "      thisUpdate \(HumanReport.iso(t))\(s.nextUpdate.map { ", nextUpdate \(HumanReport.iso($0))" } ?? ", no nextUpdate")"
                )
            }
            for e in s.extensions { l.append("      extension \(e.oid)\(e.critical ? " (critical)" : "")") }
            if let e = s.error { l.append("      error: \(e)") }
        }
        for e in extensions { l.append("  extension:   \(e.oid)\(e.critical ? " (critical)" : "")") }
        for c in certificates {
            l.append(
                "  certificate: \(c.subject) (issuer \(c.issuer), \(HumanReport.iso(c.notBefore)) → \(HumanReport.iso(c.notAfter)))"
            )
        }
        return l.joined(separator: "\n")
    }
}
