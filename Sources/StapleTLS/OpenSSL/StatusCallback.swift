internal import COpenSSL

// The C callbacks OpenSSL calls during `SSL_do_handshake`. They only find the `SSLConnection`
// of the `SSL` (its ex_data) and hand over to its `HandshakeHooks`; the decisions are made in
// HandshakeVerification.swift.
//
// Facts about the system OpenSSL (3.0) they rely on (the DocC article OpenSSLFacts):
// - the verify callback runs once per certificate and check; a 0 return fails the handshake
//   with the alert OpenSSL derives from the `X509_V_ERR_…` code set on the store context;
// - the status callback runs in TLS 1.2 and 1.3 *after* the chain was verified, also when no
//   staple came (the length is then −1); 0 aborts with alert 113, a negative value with 80.

/// `SSL_CTX_set_verify`'s callback.
func verifyCallback(_ preverifyOK: Int32, _ store: OpaquePointer?) -> Int32 {
    guard let store,
        let raw = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
        let connection = SSLConnection.from(OpaquePointer(raw))
    else {
        return 0  // not one of ours: fail closed
    }
    let answer = connection.hooks.verifyCertificate(
        preverifyOK: preverifyOK == 1,
        depth: Int(X509_STORE_CTX_get_error_depth(store)),
        error: X509_STORE_CTX_get_error(store),
        certificate: X509_STORE_CTX_get_current_cert(store).map { X509Certificate(borrowing: $0) },
        chain: { certificates(of: X509_STORE_CTX_get0_chain(store)) }
    )
    switch answer {
    case .proceed:
        return preverifyOK
    case .overrule:
        return 1
    case .reject(let x509Error):
        if preverifyOK == 1 { X509_STORE_CTX_set_error(store, x509Error) }
        return 0
    }
}

/// `SSL_CTX_set_tlsext_status_cb`'s callback (client side).
func statusCallback(_ ssl: OpaquePointer?, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let ssl, let connection = SSLConnection.from(ssl) else { return StatusAnswer.internalError.rawValue }
    return connection.hooks.statusReceived(staple: connection.staple, verifiedChain: connection.verifiedChain).rawValue
}

/// `SSL_set_info_callback`'s callback: records the alerts that cross the wire.
func infoCallback(_ ssl: OpaquePointer?, _ where: Int32, _ value: Int32) {
    guard `where` & SSL_CB_ALERT != 0, let ssl, let connection = SSLConnection.from(ssl) else { return }
    connection.noteAlert(TLSAlert(UInt8(truncatingIfNeeded: value & 0xFF)), sent: `where` & SSL_CB_WRITE != 0)
}

/// The `X509_V_ERR_…` codes we set or classify (x509_vfy.h).
enum X509Errors {
    static let ok = Int32(X509_V_OK)
    static let unableToGetIssuerCert = Int32(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT)
    static let certNotYetValid = Int32(X509_V_ERR_CERT_NOT_YET_VALID)
    static let certHasExpired = Int32(X509_V_ERR_CERT_HAS_EXPIRED)
    static let depthZeroSelfSigned = Int32(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
    static let selfSignedInChain = Int32(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN)
    static let unableToGetIssuerCertLocally = Int32(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)
    static let unableToVerifyLeafSignature = Int32(X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE)
    static let certRevoked = Int32(X509_V_ERR_CERT_REVOKED)
    static let certRejected = Int32(X509_V_ERR_CERT_REJECTED)
    static let certChainTooLong = Int32(X509_V_ERR_CERT_CHAIN_TOO_LONG)
    static let hostnameMismatch = Int32(X509_V_ERR_HOSTNAME_MISMATCH)
    static let ipAddressMismatch = Int32(X509_V_ERR_IP_ADDRESS_MISMATCH)

    /// No path to a trust anchor.
    static let untrusted: Set<Int32> = [
        unableToGetIssuerCert, depthZeroSelfSigned, selfSignedInChain,
        unableToGetIssuerCertLocally, unableToVerifyLeafSignature,
    ]
}

/// OpenSSL reason codes we recognise in the error queue.
enum OpenSSLReasons {
    /// `ERR_R_MALLOC_FAILURE` without its flags: what OpenSSL 3.0 reports for an *empty* staple
    /// (`tls_process_cert_status_body` asks `OPENSSL_malloc(0)`, which returns NULL).
    static let mallocFailure: Int32 = 256
    static let excessiveMessageSize = Int32(SSL_R_EXCESSIVE_MESSAGE_SIZE)
    /// The first record's header is not TLS: what a plain-HTTP (or other non-TLS) server's answer gives.
    static let wrongVersionNumber = Int32(SSL_R_WRONG_VERSION_NUMBER)
}
