import Foundation

/// A server binary started by a test on a loopback port: its output goes to a log file in a
/// temporary folder; ``stop()`` ends it by its pid (SIGKILL) and is safe to call
/// twice. Tests stop it in a `defer`, so failure paths stop it too.
package final class ExternalServer: @unchecked Sendable {
    package let port: Int
    package let directory: URL
    package let logFile: URL
    private let process: Process
    /// Kept open so that a server reading stdin (openssl s_server) never sees end of file.
    private let stdin = Pipe()
    private var stopped = false

    package struct Missing: Error, CustomStringConvertible {
        package let description: String

        package init(description: String) { self.description = description }
    }

    /// The absolute path of `name`, or a loud error: tests that need it must not skip silently.
    package static func locate(_ name: String, installHint: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin"] {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Missing(description: "\(name) is not installed, and this test needs it (CI installs it: \(installHint))")
    }

    package static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "staple-tls-\(label)-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// - Parameter readyLog: wait until the log contains this text instead of probing the port
    ///   with a TCP connection (`openssl ocsp` 3.0 stops answering after a connection that sent
    ///   nothing).
    package init(
        executable: String,
        arguments: [String],
        port: Int,
        directory: URL,
        currentDirectory: URL? = nil,
        readyLog: String? = nil
    ) throws {
        self.port = port
        self.directory = directory
        self.logFile = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = stdin
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        try process.run()
        let ready = readyLog.map { text in waitForLog(text, timeout: 10) } ?? FreePort.waitUntilListening(port)
        guard ready else {
            stop()
            throw Missing(
                description: "\(executable) did not listen on 127.0.0.1:\(port) within 10 s; its log:\n\(self.log)"
            )
        }
    }

    package var pid: Int32 { process.processIdentifier }

    package var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    package func file(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    package func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            // SIGKILL, not SIGTERM: a child spawned from a Swift concurrency or Dispatch thread
            // inherits that thread's blocked signals, SIGTERM among them.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? stdin.fileHandleForWriting.close()
    }

    deinit {
        stop()
    }

    /// Waits (briefly) until the log (or the file `name` of the server's folder) contains `text`
    /// at least `count` times; servers write their logs asynchronously.
    package func waitForLog(_ text: String, count: Int = 1, in name: String? = nil, timeout: TimeInterval = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if (name.map(file) ?? log).components(separatedBy: text).count - 1 >= count { return true }
            usleep(20_000)
        } while Date() < deadline
        return false
    }
}

/// `openssl s_server` with `-status_file`.
package enum OpenSSLServer {
    /// - Parameters:
    ///   - staple: the DER OCSP response to staple; nil: none.
    ///   - www: answer GET requests with a status page; otherwise print what the client sends.
    package static func start(
        _ identity: Fixtures.Identity,
        staple: Fixtures.Staple?,
        www: Bool = false
    ) throws -> ExternalServer {
        try start(identity, stapleFile: staple?.path, www: www)
    }

    /// - Parameters:
    ///   - stapleFile: a file of any bytes to staple; nil: none.
    ///   - extra: more s_server arguments (e.g. `-tls1_3`).
    package static func start(
        _ identity: Fixtures.Identity,
        stapleFile: String?,
        www: Bool = false,
        extra: [String] = []
    ) throws -> ExternalServer {
        let openssl = try ExternalServer.locate("openssl", installHint: "apt-get install openssl")
        let port = try FreePort.pick()
        var arguments = [
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", identity.leaf, "-key", identity.key,
            "-cert_chain", identity.issuer, "-no_dhe",
        ]
        if let stapleFile { arguments += ["-status_file", stapleFile] }
        if www { arguments.append("-www") }
        return try ExternalServer(
            executable: openssl,
            arguments: arguments + extra,
            port: port,
            directory: try ExternalServer.temporaryDirectory("s_server")
        )
    }
}
