import Foundation
import NIOCore
internal import COpenSSL

/// What the verify and status callbacks ask while OpenSSL runs the handshake (StatusCallback.swift
/// calls these; HandshakeVerification.swift answers them with the engine).
protocol HandshakeHooks: AnyObject {
    /// OpenSSL's verify callback, once per certificate and check. `chain` is the chain built so far
    /// (leaf first).
    func verifyCertificate(
        preverifyOK: Bool,
        depth: Int,
        error: Int32,
        certificate: X509Certificate?,
        chain: () -> [X509Certificate]
    ) -> VerifyAnswer
    /// OpenSSL's status callback: the staple (nil when none was sent) and the verified chain.
    func statusReceived(staple: [UInt8]?, verifiedChain: [X509Certificate]) -> StatusAnswer
}

enum VerifyAnswer {
    case proceed
    /// Go on although OpenSSL's check failed: the failure is remembered and decided later.
    case overrule
    /// Fail path validation with this `X509_V_ERR_…` code (OpenSSL picks the alert from it).
    case reject(x509Error: Int32)
}

/// The status callback's return values (`SSL_CTX_set_tlsext_status_cb`, client side).
enum StatusAnswer: Int32 {
    case accept = 1
    /// OpenSSL aborts with alert 113 `bad_certificate_status_response`.
    case reject = 0
    /// OpenSSL aborts with alert 80 `internal_error`.
    case internalError = -1
}

/// A failed OpenSSL call: `SSL_get_error`, the error queue and the verify result at that moment.
struct SSLFailure {
    let sslError: Int32
    let errors: [OpenSSLError]
    let verifyResult: Int
    /// `SSL_state_string_long` where it failed ("error" once OpenSSL has failed fatally).
    let state: String
    /// The message OpenSSL was reading or writing when it failed (`SSL_get_state` survives the failure).
    let stage: HandshakeStage
}

/// The part of `OSSL_HANDSHAKE_STATE` we tell apart.
enum HandshakeStage: Equatable {
    /// Reading the server's Certificate (in TLS 1.3 it carries the staple).
    case readingCertificate
    /// Reading a TLS 1.2 CertificateStatus (the staple).
    case readingCertificateStatus
    case other
}

/// Owns one OpenSSL client connection (`SSL`) and its memory BIOs; `deinit` frees them. Used on
/// one event loop only (the handler's); never shared.
final class SSLConnection {
    let context: SSLContext  // keeps the SSL_CTX alive as long as the SSL
    let ssl: OpaquePointer
    let bios: MemoryBIOPair
    /// Answers the callbacks. Owned here; it holds no reference back.
    let hooks: any HandshakeHooks
    /// Alerts seen by the info callback, in order.
    private(set) var alertsSent: [TLSAlert] = []
    private(set) var alertsReceived: [TLSAlert] = []

    /// - Parameters:
    ///   - serverName: sent as SNI when it is a DNS name, and verified against the certificate
    ///     (DNS name or IP address).
    ///   - verificationTime: OpenSSL's path-validation time (`X509_VERIFY_PARAM_set_time`).
    init(
        context: SSLContext,
        serverName: String?,
        applicationProtocols: [String],
        requestStaple: Bool,
        verificationTime: Date,
        hooks: any HandshakeHooks
    ) throws(TLSError) {
        guard let ssl = SSL_new(context.pointer) else {
            throw TLSError(
                .protocolError,
                "SSL_new failed",
                openSSLErrors: OpenSSLErrorQueue.drain().map(\.description)
            )
        }
        self.context = context
        self.ssl = ssl  // freed by deinit from here on
        self.hooks = hooks
        LiveObjects.up(LiveObjects.connections)
        do {
            self.bios = try MemoryBIOPair(attachingTo: ssl)
        } catch {
            SSL_free(ssl)
            LiveObjects.down(LiveObjects.connections)
            throw error
        }
        SSL_set_connect_state(ssl)
        SSL_set_ex_data(ssl, Self.exDataIndex, Unmanaged.passUnretained(self).toOpaque())
        SSL_set_info_callback(ssl, infoCallback)

        let param = SSL_get0_param(ssl)
        X509_VERIFY_PARAM_set_time(param, time_t(verificationTime.timeIntervalSince1970.rounded(.down)))
        if let serverName {
            if Endpoint.isIPAddress(serverName) {
                guard X509_VERIFY_PARAM_set1_ip_asc(param, serverName) == 1 else {
                    throw TLSError(.invalidConfiguration, "cannot verify the IP address \(serverName)")
                }
            } else {
                // RFC 6066 §3: SNI carries DNS names only.
                guard COpenSSL_set_tlsext_host_name(ssl, serverName) == 1 else {
                    throw TLSError(
                        .invalidConfiguration,
                        "OpenSSL refused the server name '\(serverName)' for SNI",
                        openSSLErrors: OpenSSLErrorQueue.drain().map(\.description)
                    )
                }
                SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
                guard SSL_set1_host(ssl, serverName) == 1 else {
                    throw TLSError(.invalidConfiguration, "cannot verify the host name '\(serverName)'")
                }
            }
        }
        if !applicationProtocols.isEmpty {
            var wire: [UInt8] = []
            for name in applicationProtocols {
                guard !name.isEmpty, name.utf8.count <= 255 else {
                    throw TLSError(.invalidConfiguration, "the ALPN protocol name '\(name)' must be 1 to 255 bytes")
                }
                wire.append(UInt8(name.utf8.count))
                wire.append(contentsOf: name.utf8)
            }
            // SSL_set_alpn_protos returns 0 on success.
            guard SSL_set_alpn_protos(ssl, wire, UInt32(wire.count)) == 0 else {
                throw TLSError(.invalidConfiguration, "OpenSSL refused the ALPN list")
            }
        }
        if requestStaple {
            _ = COpenSSL_set_tlsext_status_type_ocsp(ssl)
        }
    }

    deinit {
        SSL_free(ssl)  // also frees both BIOs (SSL_set_bio gave them to the SSL)
        LiveObjects.down(LiveObjects.connections)
    }

    // MARK: - The callbacks' way back to this object

    static let exDataIndex: Int32 = CRYPTO_get_ex_new_index(CRYPTO_EX_INDEX_SSL, 0, nil, nil, nil, nil)

    /// The connection an `SSL` belongs to, inside a callback.
    static func from(_ ssl: OpaquePointer) -> SSLConnection? {
        guard let raw = SSL_get_ex_data(ssl, exDataIndex) else { return nil }
        return Unmanaged<SSLConnection>.fromOpaque(raw).takeUnretainedValue()
    }

    func noteAlert(_ alert: TLSAlert, sent: Bool) {
        if sent { alertsSent.append(alert) } else { alertsReceived.append(alert) }
    }

    // MARK: - Driving OpenSSL

    enum HandshakeStep {
        case complete
        case wantRead
        case failed(SSLFailure)
    }

    func handshake() -> HandshakeStep {
        OpenSSLErrorQueue.clear()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 { return .complete }
        let error = SSL_get_error(ssl, rc)
        if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE { return .wantRead }
        return .failed(failure(error))
    }

    enum ReadStep {
        /// Everything available was read.
        case wantRead
        /// The peer sent close_notify.
        case closed
        case failed(SSLFailure)
    }

    /// Appends all the plaintext OpenSSL can give from what was fed so far.
    func read(into buffer: inout ByteBuffer) -> ReadStep {
        while true {
            OpenSSLErrorQueue.clear()
            var sslError: Int32 = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 16_384) { bytes in
                let n = SSL_read(ssl, bytes.baseAddress, Int32(bytes.count))
                if n > 0 { return Int(n) }
                sslError = SSL_get_error(ssl, n)
                return 0
            }
            switch sslError {
            case 0: continue
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .wantRead
            case SSL_ERROR_ZERO_RETURN: return .closed
            default: return .failed(failure(sslError))
            }
        }
    }

    /// Encrypts `buffer` into the outbound BIO (a memory BIO takes everything at once).
    func write(_ buffer: ByteBuffer) -> SSLFailure? {
        guard buffer.readableBytes > 0 else { return nil }
        return buffer.withUnsafeReadableBytes { bytes -> SSLFailure? in
            OpenSSLErrorQueue.clear()
            let n = SSL_write(ssl, bytes.baseAddress, Int32(bytes.count))
            return n > 0 ? nil : failure(SSL_get_error(ssl, n))
        }
    }

    /// Writes our close_notify into the outbound BIO.
    func shutdown() {
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
    }

    private func failure(_ sslError: Int32) -> SSLFailure {
        let stage: HandshakeStage
        switch SSL_get_state(ssl) {
        case TLS_ST_CR_CERT: stage = .readingCertificate
        case TLS_ST_CR_CERT_STATUS: stage = .readingCertificateStatus
        default: stage = .other
        }
        return SSLFailure(
            sslError: sslError,
            errors: OpenSSLErrorQueue.drain(),
            verifyResult: Int(SSL_get_verify_result(ssl)),
            state: String(cString: SSL_state_string_long(ssl)),
            stage: stage
        )
    }

    // MARK: - Facts

    /// `TLSv1.3`, `TLSv1.2`.
    var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The negotiated cipher suite; during a TLS 1.2 handshake (before ChangeCipherSpec) the
    /// pending one.
    var cipher: String? {
        (SSL_get_current_cipher(ssl) ?? SSL_get_pending_cipher(ssl)).flatMap { SSL_CIPHER_get_name($0) }.map {
            String(cString: $0)
        }
    }

    var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The chain OpenSSL verified, leaf to trust anchor (empty before verification).
    var verifiedChain: [X509Certificate] { certificates(of: SSL_get0_verified_chain(ssl)) }

    /// The chain the server sent, leaf first.
    var peerChain: [X509Certificate] { certificates(of: SSL_get_peer_cert_chain(ssl)) }

    /// The staple: nil when the server sent none.
    var staple: [UInt8]? {
        var bytes: UnsafePointer<UInt8>?
        let length = COpenSSL_get_tlsext_status_ocsp_resp(ssl, &bytes)
        guard length >= 0 else { return nil }
        guard let bytes, length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// `X509_verify_cert_error_string`.
    static func verifyErrorString(_ code: Int) -> String {
        String(cString: X509_verify_cert_error_string(code))
    }

}
