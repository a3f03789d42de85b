// The mozilla::pkix oracle (Tests/MozpkixOracle/oracle.cpp, built by scripts/build-mozpkix-oracle.sh)
// as a child process of a fuzz target: one `ocsp` request line out, one answer line back, for
// every input of the process. The protocol is documented in oracle.cpp's header.
import Foundation

public final class MozpkixOracleClient: @unchecked Sendable {
    /// VerifyEncodedOCSPResponse's answer: the NSS error name (`SUCCESS` for Success) and outputs.
    public struct Answer: CustomStringConvertible {
        public var error: String
        public var result: String
        public var expired = false
        public var thisUpdate: Int64?
        public var validThrough: Int64?

        public var description: String {
            "\(error) (\(result))\(expired ? " expired" : "") thisUpdate=\(thisUpdate.map(String.init) ?? "-") validThrough=\(validThrough.map(String.init) ?? "-")"
        }
    }

    private let process = Process()
    /// Raw descriptors, read and written with read(2)/write(2): FileHandle's buffers would show up
    /// as leaks in LeakSanitizer's report at every exit.
    private let requests: Int32
    private let answers: Int32
    private var pending: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    /// `$MOZPKIX_ORACLE`, else `.build-mozpkix/mozpkix-oracle` under the repository (`make
    /// differential` and `Fuzz/run.sh` build it there).
    public static func locate(repository: String) -> String {
        ProcessInfo.processInfo.environment["MOZPKIX_ORACLE"] ?? repository + "/.build-mozpkix/mozpkix-oracle"
    }

    public init(path: String) {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            fatalError("no mozpkix oracle at \(path): run scripts/build-mozpkix-oracle.sh (or set MOZPKIX_ORACLE)")
        }
        signal(SIGPIPE, SIG_IGN)
        let stdin = Pipe()
        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: path)
        process.standardInput = stdin
        process.standardOutput = stdout
        do { try process.run() } catch { fatalError("cannot start the mozpkix oracle \(path): \(error)") }
        requests = stdin.fileHandleForWriting.fileDescriptor
        answers = stdout.fileHandleForReading.fileDescriptor
    }

    /// mozpkix's `VerifyEncodedOCSPResponse` for SUBJECT's CertID under ISSUER at `time`.
    public func verifyOCSP(
        issuer: [UInt8],
        subject: [UInt8],
        time: Int64,
        maxLifetimeDays: Int,
        minRSABits: Int,
        sha1Certificates: Bool,
        response: [UInt8]
    ) -> Answer {
        var line = "ocsp \(Self.hex(issuer)) \(Self.hex(subject)) \(time) \(maxLifetimeDays) \(minRSABits)"
        line += " \(sha1Certificates ? 1 : 0) \(Self.hex(response))\n"
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(requests, $0.baseAddress, $0.count) }
            // libFuzzer's once-a-second SIGALRM (-timeout) interrupts system calls: not a failure.
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { fatalError("the mozpkix oracle does not read its requests (errno \(errno))") }
            bytes = bytes.dropFirst(n)
        }
        let text = readLine()
        var fields: [String: String] = [:]
        for part in text.split(separator: " ") {
            guard let eq = part.firstIndex(of: "=") else { continue }
            fields[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        guard let result = fields["result"], let nss = fields["nss"] else {
            fatalError("the mozpkix oracle answered '\(text)'")
        }
        var answer = Answer(error: result == "Success" ? "SUCCESS" : nss, result: result)
        answer.expired = fields["expired"] == "1"
        answer.thisUpdate = fields["thisUpdate"].flatMap { Int64($0) }
        answer.validThrough = fields["validThrough"].flatMap { Int64($0) }
        return answer
    }

    private func readLine() -> String {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            let n = buffer.withUnsafeMutableBytes { read(answers, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { fatalError("reading the mozpkix oracle's answer failed (errno \(errno))") }
            guard n > 0 else { fatalError("the mozpkix oracle exited (a crash of mozpkix on this input?)") }
            pending += buffer[..<n]
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "-" }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
