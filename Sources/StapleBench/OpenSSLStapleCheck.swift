import COpenSSL

/// (b): what an OpenSSL user writes to check a staple (as curl and `openssl s_client -status` do),
/// through the C API: `d2i_OCSP_RESPONSE`, `OCSP_response_status`, `OCSP_response_get1_basic`,
/// `OCSP_basic_verify` against a store that trusts the issuer, `OCSP_cert_to_id` (SHA-1),
/// `OCSP_resp_find_status`, `OCSP_check_validity` (one day of leeway, as Firefox's slop), and the
/// frees. Leaf and issuer are parsed beforehand, as they are in a handshake.
final class OpenSSLStapleCheck {
    private let leaf: OpaquePointer
    private let issuer: OpaquePointer
    private let store: OpaquePointer
    private let certs: OpaquePointer

    init(leaf leafDER: [UInt8], issuer issuerDER: [UInt8]) {
        leaf = Self.x509(leafDER)
        issuer = Self.x509(issuerDER)
        store = X509_STORE_new()!
        precondition(X509_STORE_add_cert(store, issuer) == 1)
        // The issuer is the trust anchor (a partial chain), as the engine trusts the issuer it is given.
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        certs = COpenSSL_sk_X509_new_null()!
        precondition(COpenSSL_sk_X509_push(certs, issuer) > 0)
    }

    deinit {
        COpenSSL_sk_X509_free(certs)
        X509_STORE_free(store)
        X509_free(issuer)
        X509_free(leaf)
    }

    static func x509(_ der: [UInt8]) -> OpaquePointer {
        der.withUnsafeBufferPointer { buffer in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &p, buffer.count)!
        }
    }

    /// True for a Good, valid response about the leaf whose signature OpenSSL accepts.
    func verify(_ staple: [UInt8]) -> Bool {
        staple.withUnsafeBufferPointer { buffer -> Bool in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let response = d2i_OCSP_RESPONSE(nil, &p, buffer.count) else { return false }
            defer { OCSP_RESPONSE_free(response) }
            guard OCSP_response_status(response) == OCSP_RESPONSE_STATUS_SUCCESSFUL else { return false }
            guard let basic = OCSP_response_get1_basic(response) else { return false }
            defer { OCSP_BASICRESP_free(basic) }
            guard OCSP_basic_verify(basic, certs, store, 0) == 1 else {
                ERR_clear_error()
                return false
            }
            guard let id = OCSP_cert_to_id(nil, leaf, issuer) else { return false }
            defer { OCSP_CERTID_free(id) }
            var status: Int32 = -1
            var reason: Int32 = -1
            var revoked: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            guard OCSP_resp_find_status(basic, id, &status, &reason, &revoked, &thisUpdate, &nextUpdate) == 1 else {
                return false
            }
            guard OCSP_check_validity(thisUpdate, nextUpdate, 86_400, -1) == 1 else {
                ERR_clear_error()
                return false
            }
            return status == V_OCSP_CERTSTATUS_GOOD
        }
    }
}
