import StapleVectors
import Foundation
import StapleTestSupport
import StapleVerifier
import SwiftASN1
import X509

/// A problem with what the user gave us: exit 2, with a message that names the file and the fault.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reading the files `staple` is given: PEM, DER or base64, with precise errors.
enum InputFiles {
    /// Refuse to read absurdly large inputs whole (a chain or a staple is kilobytes).
    static let maximumFileSize = 16 << 20

    /// The bytes of a file, or of standard input for `-`, at most ``maximumFileSize``: a regular
    /// file's size is checked before anything is read, and any input is read only that far.
    static func read(_ path: String, what: String) throws -> [UInt8] {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError("\(what) '\(path)': no such file")
            }
            guard !isDirectory.boolValue else { throw InputError("\(what) '\(path)': is a directory") }
            if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
                size > maximumFileSize
            {
                throw InputError("\(what) '\(path)': \(size) bytes is more than the \(maximumFileSize) this tool reads")
            }
            guard let opened = FileHandle(forReadingAtPath: path) else {
                throw InputError("\(what) '\(path)': cannot be read (permission denied?)")
            }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        let data: Data
        do { data = try handle.read(upToCount: maximumFileSize + 1) ?? Data() } catch {
            throw InputError("\(what) '\(path)': cannot be read (\(error.localizedDescription))")
        }
        guard data.count <= maximumFileSize else {
            throw InputError("\(what) '\(path)': more than the \(maximumFileSize) bytes this tool reads")
        }
        return [UInt8](data)
    }

    static func isPEM(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes.prefix(4096), as: UTF8.self).contains("-----BEGIN ")
    }

    /// Every PEM block of a file, in order, as (label, DER).
    static func pemBlocks(_ bytes: [UInt8], path: String) throws -> [(label: String, der: [UInt8])] {
        let text = String(decoding: bytes, as: UTF8.self)
        var blocks: [(String, [UInt8])] = []
        var rest = text[...]
        while let begin = rest.range(of: "-----BEGIN ") {
            guard let labelEnd = rest[begin.upperBound...].range(of: "-----") else {
                throw InputError("'\(path)': a PEM BEGIN line is not terminated")
            }
            let label = String(rest[begin.upperBound..<labelEnd.lowerBound])
            guard let end = rest[labelEnd.upperBound...].range(of: "-----END \(label)-----") else {
                throw InputError("'\(path)': the PEM block '\(label)' has no END line")
            }
            let body = rest[labelEnd.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
            guard let der = Data(base64Encoded: String(body)) else {
                throw InputError("'\(path)': the PEM block '\(label)' is not valid base64")
            }
            blocks.append((label, [UInt8](der)))
            rest = rest[end.upperBound...]
        }
        return blocks
    }

    /// A chain: PEM certificates leaf first, or the DER of one certificate.
    static func chain(_ path: String, issuer: String?) throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        for (file, what) in [(path, "chain"), (issuer, "issuer")] {
            guard let file else { continue }
            let bytes = try read(file, what: what)
            guard !bytes.isEmpty else { throw InputError("\(what) '\(file)': the file is empty") }
            if isPEM(bytes) {
                let blocks = try pemBlocks(bytes, path: file)
                for (i, b) in blocks.enumerated() {
                    guard b.label == "CERTIFICATE" else {
                        throw InputError("\(what) '\(file)': PEM block \(i + 1) is '\(b.label)', expected CERTIFICATE")
                    }
                    result.append(b.der)
                }
                guard !blocks.isEmpty else { throw InputError("\(what) '\(file)': no PEM certificate found") }
            } else {
                // DER starts with a SEQUENCE; anything else is neither encoding.
                guard bytes[0] == 0x30 else {
                    throw InputError(
                        "\(what) '\(file)': neither PEM nor DER certificates (the file starts with byte 0x\(String(bytes[0], radix: 16)))"
                    )
                }
                result.append(bytes)
            }
        }
        // The last certificate's own signature is never verified (a trust anchor's): the engine
        // reads it without swift-certificates, whatever its signature algorithm.
        for (i, der) in result.enumerated() where i < result.count - 1 {
            do { _ = try Certificate(derEncoded: der) } catch {
                throw InputError(
                    "chain: certificate \(i + 1) is not a readable X.509 certificate (\(plainErrorText(error)))"
                )
            }
        }
        return result
    }

    /// A staple: DER, PEM (`OCSP RESPONSE`) or base64. Zero bytes is an empty staple, not "none".
    /// A certificate where a response was expected is a usage error, not a malformed staple.
    static func staple(_ path: String) throws -> [UInt8] {
        let bytes = try read(path, what: "staple")
        if bytes.isEmpty { return [] }
        if isPEM(bytes) {
            let blocks = try pemBlocks(bytes, path: path)
            guard blocks.count == 1 else {
                throw InputError("staple '\(path)': \(blocks.count) PEM blocks; expected one OCSP RESPONSE")
            }
            guard blocks[0].label == "OCSP RESPONSE" else {
                throw InputError("staple '\(path)' holds a PEM '\(blocks[0].label)', expected an OCSP RESPONSE")
            }
            return try rejectCertificate(blocks[0].der, path: path)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let compact = text.filter { !$0.isWhitespace }
        if !compact.isEmpty, compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }),
            let decoded = Data(base64Encoded: compact)
        {
            return try rejectCertificate([UInt8](decoded), path: path)
        }
        return try rejectCertificate(bytes, path: path)
    }

    private static func rejectCertificate(_ der: [UInt8], path: String) throws -> [UInt8] {
        if (try? Certificate(derEncoded: der)) != nil {
            throw InputError("staple '\(path)' holds an X.509 certificate, expected an OCSP response")
        }
        return der
    }

    /// RFC 3339 (`2026-06-01T12:00:00Z`, offsets and fractions allowed) or epoch seconds.
    static func time(_ text: String) throws -> Date {
        if let seconds = Int64(text) { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        throw InputError("time '\(text)': expected RFC 3339 (2026-06-01T12:00:00Z) or seconds since 1970")
    }

    /// `--responder FILE|http-STATUS|timeout|refused`.
    static func responderAnswer(_ text: String) throws -> ScriptedFetcher.Answer {
        switch text {
        case "timeout": return .timeout
        case "refused": return .refused
        default:
            if text.hasPrefix("http-") {
                guard let status = Int(text.dropFirst(5)), (100...599).contains(status) else {
                    throw InputError("responder '\(text)': expected http-STATUS with a status 100…599")
                }
                return .httpStatus(status)
            }
            return .response(try read(text, what: "responder response"))
        }
    }
}
