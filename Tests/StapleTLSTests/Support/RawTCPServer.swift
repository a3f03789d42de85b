import Foundation
import StapleTestSupport
import StapleTLS

/// A hostile server: a TCP listener on 127.0.0.1 and a free port, on a thread of its own, that
/// runs a script of raw bytes per connection — whatever no TLS library would send (a 16 MiB
/// CertificateStatus, garbage for a ServerHello, one byte per second, a reset). What the script
/// did and saw is recorded for the test. ``stop()`` ends it (scripts see the stop and return).
final class RawTCPServer: @unchecked Sendable {
    /// One accepted connection, as a script sees it.
    final class Connection {
        let fd: Int32
        private let server: RawTCPServer
        /// Bytes the script managed to send.
        private(set) var bytesSent = 0
        /// Set when a send failed or a read saw the end: the client went away.
        private(set) var peerClosed = false

        init(fd: Int32, server: RawTCPServer) {
            self.fd = fd
            self.server = server
        }

        var isStopping: Bool { server.isStopping }

        /// Reads one whole TLS record (5-byte header and body); nil on EOF, error or timeout.
        func readRecord(timeout: TimeInterval = 5) -> (type: UInt8, body: [UInt8])? {
            guard let header = read(exactly: 5, timeout: timeout) else { return nil }
            let length = Int(header[3]) << 8 | Int(header[4])
            guard let body = read(exactly: length, timeout: timeout) else { return nil }
            return (header[0], body)
        }

        /// Reads the client's first flight up to the end of its ClientHello message (which may span
        /// records). Returns the ClientHello body (after the 4-byte handshake header).
        func readClientHello(timeout: TimeInterval = 5) -> [UInt8]? {
            var handshake: [UInt8] = []
            while true {
                guard let record = readRecord(timeout: timeout), record.type == 22 else { return nil }
                handshake += record.body
                if handshake.count >= 4 {
                    let length = Int(handshake[1]) << 16 | Int(handshake[2]) << 8 | Int(handshake[3])
                    if handshake.count >= 4 + length { return Array(handshake[4..<(4 + length)]) }
                }
            }
        }

        func read(exactly count: Int, timeout: TimeInterval) -> [UInt8]? {
            var result: [UInt8] = []
            let deadline = Date().addingTimeInterval(timeout)
            while result.count < count {
                guard !isStopping, Date() < deadline else { return nil }
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 50) > 0 else { continue }
                var buffer = [UInt8](repeating: 0, count: count - result.count)
                let n = recv(fd, &buffer, buffer.count, 0)
                guard n > 0 else {
                    peerClosed = true
                    return nil
                }
                result += buffer[0..<n]
            }
            return result
        }

        /// Sends everything (blocking); false once the client has gone away.
        @discardableResult
        func send(_ bytes: [UInt8]) -> Bool {
            var offset = 0
            while offset < bytes.count {
                guard !isStopping else { return false }
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                guard poll(&poller, 1, 50) > 0 else { continue }
                if poller.revents & Int16(POLLERR | POLLHUP) != 0 {
                    peerClosed = true
                    return false
                }
                let n = bytes[offset...].withUnsafeBytes {
                    Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard n > 0 else {
                    peerClosed = true
                    return false
                }
                offset += n
                bytesSent += n
            }
            return true
        }

        /// Waits until the client closes (true) or `timeout` passes (false), discarding what it sends.
        func waitForPeerClose(timeout: TimeInterval) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline, !isStopping {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 50) > 0 else { continue }
                if recv(fd, &buffer, buffer.count, 0) <= 0 {
                    peerClosed = true
                    return true
                }
            }
            return false
        }

        /// Sleeps up to `seconds`, returning early (false) when the client has closed or the server stops.
        func pause(_ seconds: TimeInterval) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if isStopping { return false }
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, 20) > 0 {
                    var byte: UInt8 = 0
                    if recv(fd, &byte, 1, Int32(MSG_PEEK)) <= 0 {
                        peerClosed = true
                        return false
                    }
                    usleep(20_000)
                }
            }
            return true
        }

        /// Closes with a TCP reset instead of a FIN (SO_LINGER 0).
        func reset() {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
    }

    /// What one connection's script did.
    struct Record {
        var bytesSent = 0
        var peerClosed = false
        /// When the script ended, relative to the accept.
        var duration: TimeInterval = 0
    }

    let port: Int
    private let listenFD: Int32
    private let script: (Connection) -> Void
    private let lock = NSLock()
    private var stopping = false
    private var records: [Record] = []
    private let finished = DispatchSemaphore(value: 0)

    init(script: @escaping (Connection) -> Void) throws {
        self.script = script
        signal(SIGPIPE, SIG_IGN)
        let listener: (fd: Int32, port: Int)
        do { listener = try LoopbackListener.open(backlog: 16) } catch {
            throw InProcessTLSServer.ServerError(error.description)
        }
        listenFD = listener.fd
        port = listener.port
        let thread = Thread { [self] in
            acceptLoop()
            finished.signal()
        }
        thread.start()
    }

    var isStopping: Bool { lock.withLock { stopping } }

    var connections: [Record] { lock.withLock { records } }

    /// Waits until `count` scripts have ended (or `timeout` passes).
    func waitForConnections(_ count: Int, timeout: TimeInterval = 10) -> [Record] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, connections.count < count { usleep(10_000) }
        return connections
    }

    /// Stops accepting, makes running scripts return, and waits for the thread.
    func stop() {
        lock.withLock { stopping = true }
        _ = finished.wait(timeout: .now() + 10)
        close(listenFD)
    }

    private func acceptLoop() {
        while !isStopping {
            var poller = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { continue }
            let connection = Connection(fd: fd, server: self)
            let start = Date()
            script(connection)
            close(fd)
            let record = Record(
                bytesSent: connection.bytesSent,
                peerClosed: connection.peerClosed,
                duration: Date().timeIntervalSince(start)
            )
            lock.withLock { records.append(record) }
        }
    }
}
