import Foundation
internal import COpenSSL

/// Owns an OpenSSL `SSL_CTX` set up for our clients: protocol versions, the trust store, peer
/// verification with our verify callback, and the status callback (StatusCallback.swift).
///
/// Configured once in `init`, then only read: OpenSSL allows `SSL_new` on a configured context
/// from any thread, so one context serves many connections.
final class SSLContext: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ configuration: TLSClientConfiguration) throws(TLSError) {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else {
            throw TLSError(
                .invalidConfiguration,
                "SSL_CTX_new failed",
                openSSLErrors: OpenSSLErrorQueue.drain().map(\.description)
            )
        }
        pointer = ctx  // freed by deinit from here on, whatever fails below
        LiveObjects.up(LiveObjects.contexts)
        guard configuration.minimumVersion.openSSLValue <= configuration.maximumVersion.openSSLValue else {
            throw TLSError(
                .invalidConfiguration,
                "the minimum TLS version \(configuration.minimumVersion.rawValue) is above the maximum \(configuration.maximumVersion.rawValue)"
            )
        }
        guard COpenSSL_CTX_set_min_proto_version(ctx, configuration.minimumVersion.openSSLValue) == 1,
            COpenSSL_CTX_set_max_proto_version(ctx, configuration.maximumVersion.openSSLValue) == 1
        else {
            throw TLSError(
                .invalidConfiguration,
                "OpenSSL refused the TLS versions",
                openSSLErrors: OpenSSLErrorQueue.drain().map(\.description)
            )
        }
        try Self.loadTrustRoots(configuration.trustRoots, into: ctx)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verifyCallback)
        // Depth d allows the leaf, d intermediates and the trust anchor (SSL_CTX_set_verify_depth(3)).
        guard configuration.maximumChainLength >= 2 else {
            throw TLSError(
                .invalidConfiguration,
                "maximumChainLength must be at least 2 (a leaf and its trust anchor), not \(configuration.maximumChainLength)"
            )
        }
        SSL_CTX_set_verify_depth(ctx, Int32(clamping: configuration.maximumChainLength - 2))
        // The largest Certificate message read (the chain, and in TLS 1.3 the staple), made explicit:
        // OpenSSL's default, 100 KiB. SSL_CTX_set_max_cert_list is a macro over SSL_CTX_ctrl.
        _ = SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_CERT_LIST, Self.maximumCertificateMessage, nil)
        _ = COpenSSL_CTX_set_tlsext_status_cb(ctx, statusCallback)
        // No TLS 1.2 renegotiation: the certificate checked in the handshake stays the peer's.
        // SSL_OP_NO_RENEGOTIATION is SSL_OP_BIT(30) in ssl.h, a macro Swift cannot import.
        SSL_CTX_set_options(ctx, UInt64(1) << 30)
    }

    /// The largest Certificate message the client reads, in bytes (OpenSSL's default `max_cert_list`).
    static let maximumCertificateMessage = 100 * 1024

    deinit {
        SSL_CTX_free(pointer)
        LiveObjects.down(LiveObjects.contexts)
    }

    private static func loadTrustRoots(
        _ roots: TLSClientConfiguration.TrustRoots,
        into ctx: OpaquePointer
    ) throws(TLSError) {
        switch roots {
        case .system:
            guard SSL_CTX_set_default_verify_paths(ctx) == 1 else {
                throw TLSError(
                    .invalidConfiguration,
                    "cannot load the system trust store",
                    openSSLErrors: OpenSSLErrorQueue.drain().map(\.description)
                )
            }
        case .pemFile(let path):
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw TLSError(.invalidConfiguration, "cannot read the CA file \(path): \(error.localizedDescription)")
            }
            let certificates: [X509Certificate]
            do { certificates = try X509Certificate.readPEM(Array(data)) } catch {
                throw TLSError(.invalidConfiguration, "the CA file \(path): \(error.reason)")
            }
            guard !certificates.isEmpty else {
                throw TLSError(.invalidConfiguration, "the CA file \(path) holds no PEM CERTIFICATE block")
            }
            try add(certificates, to: ctx)
        case .certificates(let ders):
            var certificates: [X509Certificate] = []
            for (i, der) in ders.enumerated() {
                guard let certificate = X509Certificate(der: der) else {
                    throw TLSError(.invalidConfiguration, "trust root \(i + 1) is not a DER certificate")
                }
                certificates.append(certificate)
            }
            try add(certificates, to: ctx)
        }
    }

    private static func add(_ certificates: [X509Certificate], to ctx: OpaquePointer) throws(TLSError) {
        let store = SSL_CTX_get_cert_store(ctx)
        for certificate in certificates where X509_STORE_add_cert(store, certificate.pointer) != 1 {
            throw TLSError(
                .invalidConfiguration,
                "cannot add \(certificate.subject) to the trust store",
                openSSLErrors: OpenSSLErrorQueue.drain().map(\.description)
            )
        }
    }
}

extension TLSClientConfiguration.TLSVersion {
    var openSSLValue: Int32 {
        switch self {
        case .tls12: return TLS1_2_VERSION
        case .tls13: return TLS1_3_VERSION
        }
    }
}
