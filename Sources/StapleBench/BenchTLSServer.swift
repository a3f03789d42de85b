import COpenSSL
import StapleTestSupport
import Foundation
import StapleTLS
import Synchronization

/// An OpenSSL TLS 1.3 server inside the benchmark process, on 127.0.0.1 only: one accept thread
/// polling every listening port, a few worker threads doing the handshakes (blocking sockets). It
/// staples fixed bytes, waits for the client's close (bounded by a 5 s receive timeout), and
/// answers with close_notify. It counts its own CPU time, so that the client's share of the
/// process's CPU can be told apart. Bounded: the ports it was asked for, `workers` threads;
/// ``stop()`` closes everything and joins the threads.
final class BenchTLSServer: @unchecked Sendable {
    let ports: [Int]
    private let listenFDs: [Int32]
    private let ctx: OpaquePointer
    fileprivate let staple: [UInt8]
    private let queue = Mutex<[Int32]>([])
    private let available = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private let cpuNanos = Atomic<UInt64>(0)
    let handshakes = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    private var threads: [Thread] = []
    private let finished = DispatchSemaphore(value: 0)
    private let workerCount: Int

    /// `chainPEM`: leaf first; `keyPEM`: the leaf's private key.
    init(chainPEM: String, keyPEM: String, staple: [UInt8], portCount: Int, workers: Int) throws {
        signal(SIGPIPE, SIG_IGN)
        self.staple = staple
        self.workerCount = workers
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw BenchError("SSL_CTX_new") }
        self.ctx = ctx
        guard SSL_CTX_use_certificate_chain_file(ctx, chainPEM) == 1,
            SSL_CTX_use_PrivateKey_file(ctx, keyPEM, SSL_FILETYPE_PEM) == 1
        else {
            throw BenchError("cannot load the server identity")
        }
        _ = COpenSSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION)
        _ = COpenSSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION)
        _ = COpenSSL_CTX_set_tlsext_status_cb(ctx, benchServerStatusCallback)
        // No session tickets: every client handshake is a full one.
        SSL_CTX_set_num_tickets(ctx, 0)
        var fds: [Int32] = []
        var ports: [Int] = []
        for _ in 0..<portCount {
            let listener: (fd: Int32, port: Int)
            do { listener = try LoopbackListener.open(backlog: 128) } catch {
                throw BenchError("\(error.description) after \(fds.count) listeners")
            }
            _ = fcntl(listener.fd, F_SETFL, fcntl(listener.fd, F_GETFL) | O_NONBLOCK)
            fds.append(listener.fd)
            ports.append(listener.port)
        }
        self.listenFDs = fds
        self.ports = ports
        SSL_CTX_set_ex_data(ctx, 0, Unmanaged.passUnretained(self).toOpaque())
        let acceptor = Thread { [self] in
            acceptLoop()
            finished.signal()
        }
        acceptor.stackSize = 1 << 20
        threads.append(acceptor)
        for _ in 0..<workers {
            let t = Thread { [self] in
                workerLoop()
                finished.signal()
            }
            threads.append(t)
        }
        threads.forEach { $0.start() }
    }

    deinit { SSL_CTX_free(ctx) }

    /// CPU time the server's threads spent so far.
    var cpuTimeNanos: UInt64 { cpuNanos.load(ordering: .relaxed) }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        for _ in 0..<workerCount { available.signal() }
        for _ in threads { _ = finished.wait(timeout: .now() + 10) }
        listenFDs.forEach { close($0) }
        queue.withLock {
            $0.forEach { close($0) }
            $0 = []
        }
    }

    private func acceptLoop() {
        var pollers = listenFDs.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while !stopping.load(ordering: .relaxed) {
            let start = threadCPUNanos()
            let ready = poll(&pollers, nfds_t(pollers.count), 50)
            if ready > 0 {
                for i in pollers.indices where pollers[i].revents != 0 {
                    pollers[i].revents = 0
                    while case let fd = accept(pollers[i].fd, nil, nil), fd >= 0 {
                        queue.withLock { $0.append(fd) }
                        available.signal()
                    }
                }
            }
            cpuNanos.add(threadCPUNanos() - start, ordering: .relaxed)
        }
    }

    private func workerLoop() {
        while true {
            available.wait()
            if stopping.load(ordering: .relaxed) { return }
            guard let fd = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            let start = threadCPUNanos()
            serve(fd)
            close(fd)
            cpuNanos.add(threadCPUNanos() - start, ordering: .relaxed)
        }
    }

    private func serve(_ fd: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let ssl = SSL_new(ctx) else { return }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, fd)
        if SSL_accept(ssl) != 1 {
            ERR_clear_error()
            failures.add(1, ordering: .relaxed)
            return
        }
        handshakes.add(1, ordering: .relaxed)
        var byte: UInt8 = 0
        // Until the client's close_notify (or its FIN), then ours.
        while SSL_read(ssl, &byte, 1) > 0 {}
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    fileprivate static func from(_ ssl: OpaquePointer) -> BenchTLSServer? {
        guard let ctx = SSL_get_SSL_CTX(ssl), let raw = SSL_CTX_get_ex_data(ctx, 0) else { return nil }
        return Unmanaged<BenchTLSServer>.fromOpaque(raw).takeUnretainedValue()
    }
}

private func benchServerStatusCallback(_ ssl: OpaquePointer?, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let ssl, let server = BenchTLSServer.from(ssl) else { return SSL_TLSEXT_ERR_NOACK }
    let bytes = server.staple
    guard let buffer = COpenSSL_malloc(bytes.count)?.assumingMemoryBound(to: UInt8.self) else {
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }
    bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: $0.count) }
    _ = COpenSSL_set_tlsext_status_ocsp_resp(ssl, buffer, bytes.count)
    return SSL_TLSEXT_ERR_OK
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
