import Foundation

/// mozilla::pkix itself, as a child process: the oracle that `scripts/build-mozpkix-oracle.sh`
/// builds from Debian's `nss` source package and `Tests/MozpkixOracle/oracle.cpp` (whose header
/// documents the line protocol). One request line out, one answer line back; one process serves
/// every request of a test.
final class MozpkixOracle {
    /// `MOZPKIX_ORACLE`: the oracle's path (`make differential` sets it).
    static let path = ProcessInfo.processInfo.environment["MOZPKIX_ORACLE"]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One answer: mozpkix's Result and, for `ocsp`, VerifyEncodedOCSPResponse's outputs.
    struct Answer: CustomStringConvertible {
        /// mozpkix's Result name (Result.h) without `Result::`: `Success`, `ERROR_OCSP_OLD_RESPONSE`.
        let result: String
        /// The NSS/NSPR error mozpkix maps it to (pkixnss.cpp): name and number; nil and 0 for Success.
        let nssName: String?
        let nssCode: Int
        var expired = false
        var thisUpdate: Int64?
        var validThrough: Int64?
        /// The length of the SCT list handed to the trust domain (a fresh Good answer with one).
        var sctLength: Int?

        var description: String {
            var s = result
            if expired { s += " expired" }
            if let thisUpdate { s += " thisUpdate=\(thisUpdate)" }
            if let validThrough { s += " validThrough=\(validThrough)" }
            return s
        }
    }

    private let process = Process()
    private let requests: FileHandle
    private let answers: FileHandle
    private var buffered: [UInt8] = []
    private var line: [UInt8] = []

    /// Starts the oracle at `path`; throws when there is no executable there.
    init(path: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "MOZPKIX_ORACLE=\(path): no executable there (`make differential` builds it)")
        }
        // A dead oracle must fail the test, not end the test process on a write.
        signal(SIGPIPE, SIG_IGN)
        let stdin = Pipe()
        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: path)
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        requests = stdin.fileHandleForWriting
        answers = stdout.fileHandleForReading
    }

    deinit {
        try? requests.close()
        process.waitUntilExit()
    }

    /// mozpkix `VerifyEncodedOCSPResponse` for `subject`'s CertID (its issuer Name and serial, the
    /// issuer's SubjectPublicKeyInfo) at `time`, with Firefox's trust domain for OCSP (oracle.cpp).
    func verifyOCSP(
        issuer: [UInt8],
        subject: [UInt8],
        time: Int64,
        maxLifetimeDays: Int,
        minRSABits: Int,
        sha1Certificates: Bool,
        response: [UInt8]
    ) throws -> Answer {
        line.removeAll(keepingCapacity: true)
        word("ocsp")
        hex(issuer)
        hex(subject)
        word(String(time))
        word(String(maxLifetimeDays))
        word(String(minRSABits))
        word(sha1Certificates ? "1" : "0")
        hex(response)
        return try exchange()
    }

    /// mozpkix `CheckTLSFeatures(subject, issuer)` after decoding both (firefox-policy §1.1–§1.2).
    func tlsLink(issuer: [UInt8], subject: [UInt8]) throws -> Answer {
        line.removeAll(keepingCapacity: true)
        word("tls-link")
        hex(issuer)
        hex(subject)
        return try exchange()
    }

    /// mozpkix `CheckTLSFeaturesAreSatisfied(cert, staple present?)` (firefox-policy §1.3).
    func tlsCert(_ certificate: [UInt8], stapled: Bool) throws -> Answer {
        line.removeAll(keepingCapacity: true)
        word("tls-cert")
        hex(certificate)
        word(stapled ? "1" : "0")
        return try exchange()
    }

    // MARK: The line protocol

    private static let digits = Array("0123456789abcdef".utf8)

    private func word(_ w: String) {
        if !line.isEmpty { line.append(UInt8(ascii: " ")) }
        line += w.utf8
    }

    private func hex(_ bytes: [UInt8]) {
        line.append(UInt8(ascii: " "))
        guard !bytes.isEmpty else {
            line.append(UInt8(ascii: "-"))
            return
        }
        line.reserveCapacity(line.count + 2 * bytes.count + 1)
        for b in bytes {
            line.append(Self.digits[Int(b >> 4)])
            line.append(Self.digits[Int(b & 0x0F)])
        }
    }

    private func exchange() throws -> Answer {
        line.append(UInt8(ascii: "\n"))
        do {
            try requests.write(contentsOf: line)
        } catch {
            throw Failure(description: "the oracle does not take requests (it exited?): \(error)")
        }
        return try Self.parse(try readLine())
    }

    private func readLine() throws -> String {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let text = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return text
            }
            let more = answers.availableData
            guard !more.isEmpty else { throw Failure(description: "the oracle exited without answering") }
            buffered += more
        }
    }

    static func parse(_ text: String) throws -> Answer {
        if text.hasPrefix("error=") {
            throw Failure(description: "the oracle refused the request: \(text.dropFirst(6))")
        }
        var fields: [String: String] = [:]
        for pair in text.split(separator: " ") {
            guard let eq = pair.firstIndex(of: "=") else { continue }
            fields[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        guard let result = fields["result"], let code = fields["code"].flatMap({ Int($0) }) else {
            throw Failure(description: "the oracle answered '\(text)'")
        }
        func time(_ key: String) -> Int64? { fields[key].flatMap { Int64($0) } }
        return Answer(
            result: result,
            nssName: fields["nss"].flatMap { $0 == "-" ? nil : $0 },
            nssCode: code,
            expired: fields["expired"] == "1",
            thisUpdate: time("thisUpdate"),
            validThrough: time("validThrough"),
            sctLength: fields["sct"].flatMap { Int($0) }
        )
    }
}
