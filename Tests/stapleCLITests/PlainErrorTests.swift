import Foundation
import StapleTestSupport
import Testing

/// Bad input gets a plain message and the right exit code, never OpenSSL's or a library's jargon:
/// malformed hosts and target lines, negative timeouts, files that are neither PEM nor DER, standard
/// input as `-`, oversized files, and a plain-HTTP server on the port.
@Suite struct PlainErrorTests {
    func run(_ args: [String], stdin: String? = nil) async throws -> StapleCLI.Result {
        try await StapleCLI.run(args, stdin: stdin)
    }

    @Test(
        "a malformed host is a usage error naming the fault, before any resolver",
        arguments: [
            ("bad host", "is not a host name"), ("a..b", "empty label"),
            ("256.256.256.256", "is not an IPv4 address"), ("bad:port:x", "more than one ':'"),
            ("[not-v6]:443", "is not an IPv6 address"), ("a-.example", "starts or ends with '-'"),
        ]
    )
    func malformedHost(host: String, message: String) async throws {
        let r = try await run(["check", host])
        #expect(r.exitCode == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!r.stderr.contains("resolve"))
    }

    @Test("a bad --targets line names the file and the line")
    func badTargetsLine() async throws {
        let file = Files.path("plain-errors-targets.txt")
        try Data("localhost:1\n# comment\nbad:port:x\n".utf8).write(to: URL(fileURLWithPath: file))
        let r = try await run(["check", "--targets", file])
        #expect(r.exitCode == 2)
        #expect(r.stderr.contains("\(file) line 3: 'bad:port:x': more than one ':'"), "\(r.stderr)")
    }

    @Test("--timeout -1 gets the range message")
    func negativeTimeout() async throws {
        let r = try await run(["check", "localhost:1", "--timeout", "-1"])
        #expect(r.exitCode == 2)
        #expect(r.stderr.contains("--timeout takes seconds in (0, 3600]"), "\(r.stderr)")
    }

    @Test("a text file as a chain or to inspect: neither PEM nor DER, exit 2, no library source path")
    func textFiles() async throws {
        let file = Files.path("plain-errors.txt")
        try Data("hello world\n".utf8).write(to: URL(fileURLWithPath: file))
        let chain = try await run(["verify", "--chain", file])
        #expect(chain.exitCode == 2)
        #expect(chain.stderr.contains("chain '\(file)': neither PEM nor DER certificates"), "\(chain.stderr)")
        let inspect = try await run(["inspect", file])
        #expect(inspect.exitCode == 2)
        #expect(inspect.stderr.contains("not DER or PEM of a certificate or an OCSP response"), "\(inspect.stderr)")
        let random = Files.path("plain-errors.bin")
        try Data([0x30, 0x82, 0x7f, 0xff, 0x01]).write(to: URL(fileURLWithPath: random))
        let truncated = try await run(["verify", "--chain", random])
        #expect(truncated.exitCode == 2)
        #expect(!truncated.stderr.contains(".swift:"), "\(truncated.stderr)")
    }

    @Test("`-` reads standard input; a staple file over the limit is refused by its size")
    func stdinAndSize() async throws {
        let root = Fixtures.root
        let pem = try String(contentsOfFile: root, encoding: .utf8)
        let inspect = try await run(["inspect", "-"], stdin: pem)
        #expect(inspect.exitCode == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.hasPrefix("certificate"))
        let big = Files.path("plain-errors-big.der")
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: big))
        try handle.truncate(atOffset: 50 << 20)
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: big) }
        let r = try await run(["verify", "--chain", root, "--staple", big])
        #expect(r.exitCode == 2)
        #expect(r.stderr.contains("52428800 bytes is more than the 16777216"), "\(r.stderr)")
    }

    @Test("a plain-HTTP server: 'not a TLS server', exit 3, no staple line, no OpenSSL code")
    func plainHTTP() async throws {
        let server = try PlainHTTPServer()
        defer { server.stop() }
        let r = try await run(["check", "127.0.0.1:\(server.port)"])
        #expect(r.exitCode == 3, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("not a TLS server"), "\(r.stdout)")
        #expect(!r.stdout.contains("staple "), "\(r.stdout)")
        #expect(!r.stdout.contains("error:0A"), "\(r.stdout)")
        #expect(r.stdout.contains("no SNI (IP address 127.0.0.1 verified)"), "\(r.stdout)")
    }
}

/// A loopback listener that answers every connection with an HTTP/1.1 400 and closes it: what a
/// plain-HTTP server says to a ClientHello.
final class PlainHTTPServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let thread: Thread

    init() throws {
        let (fd, port) = try LoopbackListener.open(backlog: 8)
        self.fd = fd
        self.port = port
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = read(client, &buffer, buffer.count)
                let answer = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
                _ = write(client, answer, answer.count)
                close(client)
            }
        }
        thread.start()
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}

/// A reader that goes away (`staple check … | head -1`) ends the run quietly, never with a crash.
@Suite struct BrokenPipeTests {
    @Test("stdout closed by its reader: status 141 (or SIGPIPE), no crash report")
    func closedStdout() async throws {
        let p = Process()
        p.executableURL = try StapleCLI.executable()
        p.arguments = ["check", "--format", "csv", "--concurrency", "1"] + (1...30).map { "127.0.0.\($0):1" }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try out.fileHandleForReading.close()  // the reader is gone before the first line
        try p.run()
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        await p.exited()
        let ended =
            (p.terminationReason == .exit && p.terminationStatus == 141)
            || (p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGPIPE)
        #expect(ended, "\(p.terminationReason) \(p.terminationStatus): \(log)")
        #expect(!log.contains("Fatal error"), "\(log)")
        #expect(!log.contains("crashed"), "\(log)")
    }
}
