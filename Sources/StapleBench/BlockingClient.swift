import COpenSSL
import Foundation
import StapleVerifier

/// A plain OpenSSL TLS 1.3 client on a blocking socket: the same handshake our handler drives
/// (SNI, host-name check, peer verification against one root, `status_request`, a fixed
/// verification time), without NIO. With ``Mode/engine(_:)`` its callbacks call the engine exactly
/// as StapleTLS's `HandshakeVerification` does: the chain rules in the verify callback at depth 0
/// (a fresh chain-rules verifier, no staple), then the whole verification in the status callback
/// (the shared verifier) on the verified chain and the staple. With ``Mode/plain`` the status
/// callback accepts without looking: the OpenSSL handshake without the engine.
final class BlockingClient {
    enum Mode {
        case plain
        case engine(StapleEngine)
    }

    private let ctx: OpaquePointer
    private let port: UInt16
    private let serverName: String
    private let time: Date
    fileprivate var mode: Mode = .plain
    fileprivate var lastVerdictAccepted = false
    /// CPU time spent in the callbacks' engine work (DER of the chain, the engine), all handshakes.
    var engineCPUNanos: UInt64 = 0

    init(rootDER: [UInt8], port: Int, serverName: String, time: Date) {
        ctx = SSL_CTX_new(TLS_client_method())!
        _ = COpenSSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION)
        _ = COpenSSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION)
        let root = OpenSSLStapleCheck.x509(rootDER)
        precondition(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), root) == 1)
        X509_free(root)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, blockingVerifyCallback)
        _ = COpenSSL_CTX_set_tlsext_status_cb(ctx, blockingStatusCallback)
        self.port = UInt16(port)
        self.serverName = serverName
        self.time = time
    }

    deinit { SSL_CTX_free(ctx) }

    /// One full handshake, then close_notify and close. True when it completed (and, with the
    /// engine, the engine accepted).
    func handshake(_ mode: Mode) -> Bool {
        self.mode = mode
        lastVerdictAccepted = false
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected, let ssl = SSL_new(ctx) else { return false }
        defer { SSL_free(ssl) }
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())
        X509_VERIFY_PARAM_set_time(SSL_get0_param(ssl), time_t(time.timeIntervalSince1970))
        _ = COpenSSL_set_tlsext_host_name(ssl, serverName)
        _ = SSL_set1_host(ssl, serverName)
        _ = COpenSSL_set_tlsext_status_type_ocsp(ssl)
        SSL_set_fd(ssl, fd)
        let ok = SSL_connect(ssl) == 1
        if ok { _ = SSL_shutdown(ssl) }
        ERR_clear_error()
        if case .engine = mode { return ok && lastVerdictAccepted }
        return ok
    }

    fileprivate static func from(_ ssl: OpaquePointer) -> BlockingClient? {
        guard let raw = SSL_get_ex_data(ssl, 0) else { return nil }
        return Unmanaged<BlockingClient>.fromOpaque(raw).takeUnretainedValue()
    }

    fileprivate var verificationTime: Date { time }
}

/// The DER of each certificate of an OpenSSL stack (as StapleTLS's `X509Certificate.der`).
private func derChain(_ stack: OpaquePointer?) -> [[UInt8]] {
    guard let stack else { return [] }
    return (0..<COpenSSL_sk_X509_num(stack)).compactMap { i in
        guard let x = COpenSSL_sk_X509_value(stack, i) else { return nil }
        let length = i2d_X509(x, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        der.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_X509(x, &cursor)
        }
        return der
    }
}

private func blockingVerifyCallback(_ preverifyOK: Int32, _ store: OpaquePointer?) -> Int32 {
    guard preverifyOK == 1, let store,
        let raw = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
        let client = BlockingClient.from(OpaquePointer(raw))
    else { return preverifyOK }
    guard case .engine(let verifier) = client.mode, X509_STORE_CTX_get_error_depth(store) == 0 else {
        return preverifyOK
    }
    let start = threadCPUNanos()
    defer { client.engineCPUNanos += threadCPUNanos() - start }
    let chain = derChain(X509_STORE_CTX_get0_chain(store))
    guard
        case .decided(let verdict)? = try? verifier.chainRulesOnly().evaluate(
            chainDER: chain,
            staple: nil,
            at: client.verificationTime
        ),
        verdict.isAccepted
    else { return 0 }
    return 1
}

private func blockingStatusCallback(_ ssl: OpaquePointer?, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let ssl, let client = BlockingClient.from(ssl) else { return -1 }
    guard case .engine(let verifier) = client.mode else { return 1 }
    let start = threadCPUNanos()
    defer { client.engineCPUNanos += threadCPUNanos() - start }
    var pointer: UnsafePointer<UInt8>?
    let length = COpenSSL_get_tlsext_status_ocsp_resp(ssl, &pointer)
    let staple: [UInt8]? =
        length >= 0 && pointer != nil ? Array(UnsafeBufferPointer(start: pointer, count: length)) : nil
    let chain = derChain(SSL_get0_verified_chain(ssl))
    guard
        case .decided(let verdict)? = try? verifier.evaluate(
            chainDER: chain,
            staple: staple,
            at: client.verificationTime
        ),
        verdict.isAccepted
    else { return 0 }
    client.lastVerdictAccepted = true
    return 1
}
