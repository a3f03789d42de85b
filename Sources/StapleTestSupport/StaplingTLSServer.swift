internal import COpenSSL
import Foundation

/// A small real TLS server on 127.0.0.1 that staples exactly the bytes it is given — or nothing.
/// For demos and for testing clients: `staple demo` runs several side by side. It runs OpenSSL on
/// a thread of its own with blocking sockets (independent of any NIO code it is used to test),
/// sends `hello\n` after the handshake and closes with close_notify when the client does.
///
/// Loopback only; ``stop()`` closes every socket and joins the thread.
package final class StaplingTLSServer: @unchecked Sendable {
    package struct ServerError: Error, CustomStringConvertible {
        package let description: String
    }

    /// The port it listens on (chosen by the system).
    package let port: Int
    /// The bytes it staples: nil for none, `[]` for an empty staple.
    package let staple: [UInt8]?

    private let listenFD: Int32
    private let context: OpaquePointer
    private let lock = NSLock()
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - chainDER: the server's certificates, leaf first.
    ///   - privateKeyDER: the leaf's private key (PKCS#8, or PKCS#1 for RSA).
    ///   - staple: the OCSP response to staple; nil sends none.
    package init(chainDER: [[UInt8]], privateKeyDER: [UInt8], staple: [UInt8]?) throws {
        self.staple = staple
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw ServerError(description: "SSL_CTX_new failed") }
        context = ctx
        do {
            try Self.load(ctx, chainDER: chainDER, privateKeyDER: privateKeyDER)
        } catch {
            SSL_CTX_free(ctx)
            throw error
        }
        _ = COpenSSL_CTX_set_tlsext_status_cb(ctx, stapleCallback)
        signal(SIGPIPE, SIG_IGN)  // a client that aborts mid-write must not end the process
        let listener: (fd: Int32, port: Int)
        do { listener = try LoopbackListener.open(backlog: 64) } catch {
            SSL_CTX_free(ctx)
            throw ServerError(description: error.description)
        }
        listenFD = listener.fd
        port = listener.port
        SSL_CTX_set_ex_data(ctx, 0, Unmanaged.passUnretained(self).toOpaque())
        Thread { [self] in
            acceptLoop()
            finished.signal()
        }.start()
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// Stops accepting, waits for the connection in progress, closes the listening socket.
    package func stop() {
        Self.stop([self])
    }

    /// Stops several servers at once: all are told first, then each is waited for (one poll
    /// interval in all, not one per server).
    package static func stop(_ servers: [StaplingTLSServer]) {
        let toWait = servers.filter { server in
            server.lock.withLock { () -> Bool in
                defer { server.stopping = true }
                return !server.stopping
            }
        }
        for server in toWait {
            _ = server.finished.wait(timeout: .now() + 10)
            close(server.listenFD)
        }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func acceptLoop() {
        while !isStopping {
            var poller = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { continue }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            serve(fd)
            close(fd)
        }
    }

    private func serve(_ fd: Int32) {
        guard let ssl = SSL_new(context) else { return }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, fd)
        ERR_clear_error()
        guard SSL_accept(ssl) == 1 else {
            ERR_clear_error()
            return
        }
        _ = "hello\n".withCString { SSL_write(ssl, $0, 6) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while SSL_read(ssl, &buffer, Int32(buffer.count)) > 0 {}
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    private static func load(_ ctx: OpaquePointer, chainDER: [[UInt8]], privateKeyDER: [UInt8]) throws {
        guard let leafDER = chainDER.first else { throw ServerError(description: "no certificate") }
        func x509(_ der: [UInt8]) throws -> OpaquePointer {
            var pointer: UnsafePointer<UInt8>? = nil
            let decoded = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
                pointer = buffer.baseAddress
                return d2i_X509(nil, &pointer, buffer.count)
            }
            guard let decoded else { throw ServerError(description: "a certificate does not decode") }
            return decoded
        }
        let leaf = try x509(leafDER)
        defer { X509_free(leaf) }
        guard SSL_CTX_use_certificate(ctx, leaf) == 1 else {
            throw ServerError(description: "SSL_CTX_use_certificate failed")
        }
        for der in chainDER.dropFirst() {
            let cert = try x509(der)
            // SSL_CTX_add0_chain_cert (a macro): the context takes ownership.
            guard SSL_CTX_ctrl(ctx, SSL_CTRL_CHAIN_CERT, 0, UnsafeMutableRawPointer(cert)) == 1 else {
                X509_free(cert)
                throw ServerError(description: "SSL_CTX_add0_chain_cert failed")
            }
        }
        let key = privateKeyDER.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var pointer = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &pointer, buffer.count)
        }
        guard let key else { throw ServerError(description: "the private key does not decode") }
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(ctx, key) == 1, SSL_CTX_check_private_key(ctx) == 1 else {
            throw ServerError(description: "the private key does not match the certificate")
        }
    }

    fileprivate static func from(_ ssl: OpaquePointer) -> StaplingTLSServer? {
        guard let ctx = SSL_get_SSL_CTX(ssl), let raw = SSL_CTX_get_ex_data(ctx, 0) else { return nil }
        return Unmanaged<StaplingTLSServer>.fromOpaque(raw).takeUnretainedValue()
    }
}

/// The server side of status_request: staple the configured bytes.
private func stapleCallback(_ ssl: OpaquePointer?, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let ssl, let server = StaplingTLSServer.from(ssl), let bytes = server.staple else {
        return SSL_TLSEXT_ERR_NOACK
    }
    // OpenSSL takes ownership of an OPENSSL_malloc'ed buffer (non-NULL even for an empty staple).
    guard let buffer = COpenSSL_malloc(max(bytes.count, 1))?.assumingMemoryBound(to: UInt8.self) else {
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }
    bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { buffer.update(from: base, count: $0.count) } }
    _ = COpenSSL_set_tlsext_status_ocsp_resp(ssl, buffer, bytes.count)
    return SSL_TLSEXT_ERR_OK
}
