internal import COpenSSL
import Foundation

/// A real OpenSSL TLS server inside the test process, on 127.0.0.1 and a free port, on a thread
/// of its own (blocking sockets: independent of the NIO code under test). It staples any bytes —
/// none, empty, garbage, a 1 MiB blob — and records, per connection, what a server can observe:
/// the alerts it received, the application data that reached it, whether close_notify came.
package final class InProcessTLSServer: @unchecked Sendable {
    package enum Staple: Sendable {
        /// No CertificateStatus / no status_request entry.
        case none
        /// These bytes; `[]` is an empty staple.
        case bytes([UInt8])
    }

    /// What a ``Mode/tlsWith(_:staple:versions:options:)`` server does besides stapling.
    package struct Options: Sendable {
        /// `SSL_CTX_set1_groups_list`, e.g. "P-384": a client whose first key share is another
        /// group gets a HelloRetryRequest (TLS 1.3).
        package var groups: String?
        /// TLS 1.2: after the handshake (and "hello\n") ask the client to renegotiate (HelloRequest).
        package var renegotiate: Bool
        /// After the handshake (and "hello\n"), write this many bytes of application data at once,
        /// without waiting for the client.
        package var floodAfterHandshake: Int
        /// Echo "echo:" + every read (off: read and keep quiet).
        package var echo: Bool
        /// What the server writes first after the handshake.
        package var greeting: [UInt8]
        /// After the greeting, write one more byte of this every second, until the client goes away.
        package var dribble: [UInt8]

        package init(
            groups: String? = nil,
            renegotiate: Bool = false,
            floodAfterHandshake: Int = 0,
            echo: Bool = true,
            greeting: [UInt8] = Array("hello\n".utf8),
            dribble: [UInt8] = []
        ) {
            self.groups = groups
            self.renegotiate = renegotiate
            self.floodAfterHandshake = floodAfterHandshake
            self.echo = echo
            self.greeting = greeting
            self.dribble = dribble
        }
    }

    package enum Mode: Sendable {
        /// A TLS server; after the handshake it sends "hello\n" and echoes "echo:" + every read.
        case tls(Fixtures.Identity, staple: Staple, version: TLSVersionPin)
        /// The same, with the versions allowed (min, max) and ``Options``.
        case tlsWith(Fixtures.Identity, staple: Staple, versions: ClosedRange<TLSVersionPin>, options: Options)
        /// Completes the handshake, then closes the TCP connection without close_notify.
        case tlsThenDrop(Fixtures.Identity, staple: Staple)
        /// Reads the ClientHello, then closes the TCP connection.
        case closeAfterClientHello
        /// Accepts and never sends a byte (closes its end once the client has closed).
        case neverAnswer
    }

    package enum TLSVersionPin: CaseIterable, CustomStringConvertible, Comparable, Sendable {
        case tls12, tls13
        package var value: Int32 { self == .tls12 ? TLS1_2_VERSION : TLS1_3_VERSION }
        package var description: String { self == .tls12 ? "TLSv1.2" : "TLSv1.3" }
    }

    /// What the server saw on one connection.
    package struct Record: Sendable {
        package var handshakeCompleted = false
        package var alertsReceived: [UInt8] = []
        package var applicationData: [UInt8] = []
        package var closeNotifyReceived = false
        package var acceptError: String?
        /// The SNI the client sent.
        package var serverName: String?
        /// ClientHellos received: 2 after a HelloRetryRequest.
        package var clientHellos = 0
        /// The key exchange group (`SSL_get_negotiated_group`), e.g. "secp384r1".
        package var group: String?
        /// The protocol version of the completed handshake.
        package var version: String?
        /// Bytes of the flood (``Options/floodAfterHandshake``) that the client took.
        package var floodWritten = 0
        /// What `SSL_do_handshake` said after the renegotiation request.
        package var renegotiation: String?
    }

    package let port: Int
    private let mode: Mode
    private let listenFD: Int32
    private var ctx: OpaquePointer?
    private let lock = NSLock()
    private var records: [Record] = []
    private var current: Record?
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var openFDs: [Int32] = []

    package init(_ mode: Mode) throws {
        self.mode = mode
        // A client that aborts while we write (e.g. a 1 MiB staple) must not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        let listener: (fd: Int32, port: Int)
        do { listener = try LoopbackListener.open(backlog: 16) } catch { throw ServerError(error.description) }
        listenFD = listener.fd
        port = listener.port
        switch mode {
        case .tls(let identity, _, let version):
            ctx = try Self.makeContext(identity, versions: version...version, options: Options())
        case .tlsWith(let identity, _, let versions, let options):
            ctx = try Self.makeContext(identity, versions: versions, options: options)
        case .tlsThenDrop(let identity, _):
            ctx = try Self.makeContext(identity, versions: .tls13 ... .tls13, options: Options())
        case .closeAfterClientHello, .neverAnswer:
            break
        }
        if let ctx { SSL_CTX_set_ex_data(ctx, 0, Unmanaged.passUnretained(self).toOpaque()) }
        let thread = Thread { [self] in
            acceptLoop()
            finished.signal()
        }
        thread.start()
    }

    deinit {
        if let ctx { SSL_CTX_free(ctx) }
    }

    package struct ServerError: Error, CustomStringConvertible {
        package let description: String
        package init(_ d: String) { description = d }
    }

    /// Every connection handled so far (the one in progress is not included).
    package var connections: [Record] { lock.withLock { records } }

    /// Waits until `count` connections are finished (or `timeout` passes).
    package func waitForConnections(_ count: Int, timeout: TimeInterval = 10) -> [Record] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if connections.count >= count { break }
            usleep(10_000)
        }
        return connections
    }

    /// Stops accepting, closes every socket, and waits for the thread.
    package func stop() {
        lock.withLock { stopping = true }
        _ = finished.wait(timeout: .now() + 10)
        lock.withLock {
            openFDs.forEach { close($0) }
            openFDs = []
        }
        close(listenFD)
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Closes the held connections whose client has gone (``Mode/neverAnswer``).
    private func reapClosed() {
        lock.withLock {
            openFDs.removeAll { fd in
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 0) > 0 else { return false }
                var buffer = [UInt8](repeating: 0, count: 16_384)  // the ClientHello, then the end
                guard recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) <= 0 else { return false }
                close(fd)
                return true
            }
        }
    }

    private func acceptLoop() {
        while !isStopping {
            if case .neverAnswer = mode { reapClosed() }
            var poller = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { continue }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            switch mode {
            case .tls, .tlsWith:
                serveTLS(fd, drop: false)
                close(fd)
            case .tlsThenDrop:
                serveTLS(fd, drop: true)
                close(fd)
            case .closeAfterClientHello:
                var buffer = [UInt8](repeating: 0, count: 16_384)
                _ = recv(fd, &buffer, buffer.count, 0)
                close(fd)
                lock.withLock { records.append(Record()) }
            case .neverAnswer:
                lock.withLock {
                    openFDs.append(fd)
                    records.append(Record())
                }
            }
        }
    }

    private func serveTLS(_ fd: Int32, drop: Bool) {
        guard let ssl = SSL_new(ctx) else { return }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, fd)
        SSL_set_info_callback(ssl, serverInfoCallback)
        lock.withLock { current = Record() }
        ERR_clear_error()
        if SSL_accept(ssl) != 1 {
            let reason = Self.errorQueue()
            lock.withLock { current?.acceptError = reason }
        } else {
            let sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
            // SSL_get_negotiated_group is a macro over SSL_ctrl.
            let nid = Int32(truncatingIfNeeded: SSL_ctrl(ssl, SSL_CTRL_GET_NEGOTIATED_GROUP, 0, nil))
            let group = OBJ_nid2sn(nid).map { String(cString: $0) }
            let version = String(cString: SSL_get_version(ssl))
            lock.withLock {
                current?.handshakeCompleted = true
                current?.serverName = sni
                current?.group = group
                current?.version = version
            }
            let greeting = options.greeting
            if !greeting.isEmpty { _ = SSL_write(ssl, greeting, Int32(greeting.count)) }
            for byte in options.dribble {
                var waited = 0
                while waited < 1000, !isStopping {
                    usleep(20_000)
                    waited += 20
                }
                guard !isStopping, SSL_write(ssl, [byte], 1) == 1 else { break }
            }
            ERR_clear_error()
            if drop {
                shutdown(fd, Int32(SHUT_RDWR))  // no close_notify
            }
            if options.renegotiate {
                // Sends a HelloRequest; the client's answer comes with the next read.
                let requested = SSL_renegotiate(ssl)
                let step = SSL_do_handshake(ssl)
                let note =
                    "SSL_renegotiate \(requested), SSL_do_handshake \(step) (SSL_get_error \(SSL_get_error(ssl, step)))"
                ERR_clear_error()
                lock.withLock { current?.renegotiation = note }
            }
            if options.floodAfterHandshake > 0 {
                let chunk = [UInt8](repeating: 0x41, count: 16_384)
                var written = 0
                while written < options.floodAfterHandshake, !isStopping {
                    let n = SSL_write(ssl, chunk, Int32(min(chunk.count, options.floodAfterHandshake - written)))
                    guard n > 0 else { break }
                    written += Int(n)
                }
                ERR_clear_error()
                lock.withLock { current?.floodWritten = written }
            }
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let n = SSL_read(ssl, &buffer, Int32(buffer.count))
                if n > 0 {
                    let data = Array(buffer[0..<Int(n)])
                    lock.withLock { current?.applicationData += data }
                    if options.echo {
                        let echo = Array("echo:".utf8) + data
                        _ = SSL_write(ssl, echo, Int32(echo.count))
                    }
                    continue
                }
                if SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN {
                    lock.withLock { current?.closeNotifyReceived = true }
                    _ = SSL_shutdown(ssl)
                }
                break
            }
        }
        lock.withLock {
            if let current { records.append(current) }
            current = nil
        }
    }

    fileprivate func noteAlert(_ code: UInt8) {
        lock.withLock { current?.alertsReceived.append(code) }
    }

    fileprivate func noteClientHello() {
        lock.withLock { current?.clientHellos += 1 }
    }

    fileprivate var staple: Staple {
        switch mode {
        case .tls(_, let staple, _), .tlsWith(_, let staple, _, _), .tlsThenDrop(_, let staple): return staple
        case .closeAfterClientHello, .neverAnswer: return .none
        }
    }

    private var options: Options {
        if case .tlsWith(_, _, _, let options) = mode { return options }
        return Options()
    }

    private static func makeContext(
        _ identity: Fixtures.Identity,
        versions: ClosedRange<TLSVersionPin>,
        options: Options
    ) throws -> OpaquePointer {
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw ServerError("SSL_CTX_new") }
        guard SSL_CTX_use_certificate_chain_file(ctx, identity.chain) == 1,
            SSL_CTX_use_PrivateKey_file(ctx, identity.key, SSL_FILETYPE_PEM) == 1
        else {
            SSL_CTX_free(ctx)
            throw ServerError("cannot load \(identity.chain): \(errorQueue())")
        }
        _ = COpenSSL_CTX_set_min_proto_version(ctx, versions.lowerBound.value)
        _ = COpenSSL_CTX_set_max_proto_version(ctx, versions.upperBound.value)
        _ = COpenSSL_CTX_set_tlsext_status_cb(ctx, serverStatusCallback)
        SSL_CTX_set_client_hello_cb(ctx, serverClientHelloCallback, nil)
        if let groups = options.groups {
            // SSL_CTX_set1_groups_list is a macro over SSL_CTX_ctrl.
            guard
                groups.withCString({
                    SSL_CTX_ctrl(ctx, SSL_CTRL_SET_GROUPS_LIST, 0, UnsafeMutableRawPointer(mutating: $0))
                }) == 1
            else {
                SSL_CTX_free(ctx)
                throw ServerError("cannot set the groups \(groups): \(errorQueue())")
            }
        }
        return ctx
    }

    package static func errorQueue() -> String {
        var lines: [String] = []
        while case let e = ERR_get_error(), e != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(e, &buffer, buffer.count)
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return lines.joined(separator: "; ")
    }

    fileprivate static func from(_ ssl: OpaquePointer) -> InProcessTLSServer? {
        guard let ctx = SSL_get_SSL_CTX(ssl), let raw = SSL_CTX_get_ex_data(ctx, 0) else { return nil }
        return Unmanaged<InProcessTLSServer>.fromOpaque(raw).takeUnretainedValue()
    }
}

/// Server side of status_request: staple what the test asked for.
private func serverStatusCallback(_ ssl: OpaquePointer?, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let ssl, let server = InProcessTLSServer.from(ssl) else { return SSL_TLSEXT_ERR_NOACK }
    guard case .bytes(let bytes) = server.staple else { return SSL_TLSEXT_ERR_NOACK }
    // OpenSSL takes ownership of an OPENSSL_malloc'ed buffer; an empty staple still needs a
    // non-NULL pointer for the server to send it.
    guard let buffer = COpenSSL_malloc(max(bytes.count, 1))?.assumingMemoryBound(to: UInt8.self) else {
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }
    bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { buffer.update(from: base, count: $0.count) } }
    _ = COpenSSL_set_tlsext_status_ocsp_resp(ssl, buffer, bytes.count)
    return SSL_TLSEXT_ERR_OK
}

private func serverInfoCallback(_ ssl: OpaquePointer?, _ where: Int32, _ value: Int32) {
    guard `where` & SSL_CB_ALERT != 0, `where` & SSL_CB_READ != 0, let ssl, let server = InProcessTLSServer.from(ssl)
    else { return }
    server.noteAlert(UInt8(truncatingIfNeeded: value & 0xFF))
}

/// Counts the ClientHellos of a connection (a HelloRetryRequest makes the client send a second one).
private func serverClientHelloCallback(
    _ ssl: OpaquePointer?,
    _ alert: UnsafeMutablePointer<Int32>?,
    _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    if let ssl, let server = InProcessTLSServer.from(ssl) { server.noteClientHello() }
    return SSL_CLIENT_HELLO_SUCCESS
}
