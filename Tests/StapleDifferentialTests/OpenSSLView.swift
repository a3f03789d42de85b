import COpenSSL
import Foundation

/// The four answers both sides are reduced to.
enum ResponseResult: String, Sendable, CustomStringConvertible {
    case good, revoked, unknown, rejected
    var description: String { rawValue }
}

/// "OpenSSL's view" of a stapled response: what a careful client built on OpenSSL 3's OCSP API
/// concludes about one certificate at one time. Exactly these steps, in this order; the first that
/// fails makes the answer `rejected`:
///
/// 1. `d2i_OCSP_RESPONSE` over the bytes. (d2i reads one DER value and does not look past it:
///    trailing bytes are not an error for OpenSSL.)
/// 2. `OCSP_response_status` must be `OCSP_RESPONSE_STATUS_SUCCESSFUL`.
/// 3. `OCSP_response_get1_basic`.
/// 4. `OCSP_basic_verify(bs, certs, store, OCSP_NOEXPLICIT)`:
///    `certs` = the chain without its leaf (the issuer, where the signer is looked up first);
///    `store` = one trust anchor, the chain's last certificate, with the case's time pinned by
///    `X509_VERIFY_PARAM_set_time` on the store's parameters (the signer's chain is validated at
///    that time). `OCSP_NOEXPLICIT` because without it `OCSP_basic_verify` falls back to "the
///    signer chains to a trusted root" — any certificate under the root could then sign for any
///    issuer, which no client wants.
/// 5. `OCSP_resp_find_status` with `OCSP_cert_to_id(EVP_sha1(), leaf, issuer)`; when that finds
///    nothing, again with each other CertID hash algorithm the response's SingleResponses use
///    (`OCSP_id_get0_info` → `EVP_get_digestbyobj` → `OCSP_cert_to_id`). The first match wins
///    (that is `OCSP_resp_find_status`).
/// 6. `OCSP_check_validity(thisUpdate, nextUpdate, nsec, maxsec)` with nsec = the policy's slop
///    (1 day) and maxsec = max lifetime + slop (10 + 1 days): as close to Firefox's window as its
///    parameters allow. `OCSP_check_validity` reads the wall clock (`time(NULL)`), so it is
///    transcribed here line by line (`checkValidity`) with the pinned time in its place, using
///    OpenSSL's own `X509_cmp_time`, `ASN1_GENERALIZEDTIME_check` and `ASN1_STRING_cmp`.
/// 7. The certificate status: good, revoked or unknown.
enum OpenSSLView {
    struct Answer: CustomStringConvertible {
        let result: ResponseResult
        let reason: String
        var description: String { "\(result) (\(reason))" }
    }

    static func evaluate(
        staple: [UInt8],
        chain: [[UInt8]],
        time: Int64,
        slopSeconds: Int,
        maxLifetimeSeconds: Int
    ) -> Answer {
        func rejected(_ reason: String) -> Answer { Answer(result: .rejected, reason: reason) }
        ERR_clear_error()
        defer { ERR_clear_error() }
        guard chain.count >= 2 else { return rejected("no issuer in the chain") }
        let certificates = chain.compactMap(x509)
        defer { certificates.forEach { X509_free($0) } }
        guard certificates.count == chain.count else { return rejected("a chain certificate does not parse") }
        let leaf = certificates[0]
        let issuer = certificates[1]
        let anchor = certificates[certificates.count - 1]

        // 1–3.
        let parsed: OpaquePointer? = staple.withUnsafeBufferPointer { buffer in
            var p = buffer.baseAddress
            return d2i_OCSP_RESPONSE(nil, &p, buffer.count)
        }
        guard let response = parsed else { return rejected("d2i_OCSP_RESPONSE: \(errors())") }
        defer { OCSP_RESPONSE_free(response) }
        let status = OCSP_response_status(response)
        guard status == OCSP_RESPONSE_STATUS_SUCCESSFUL else { return rejected("responseStatus \(status)") }
        guard let basic = OCSP_response_get1_basic(response) else {
            return rejected("OCSP_response_get1_basic: \(errors())")
        }
        defer { OCSP_BASICRESP_free(basic) }

        // 4.
        guard let store = X509_STORE_new() else { return rejected("X509_STORE_new") }
        defer { X509_STORE_free(store) }
        guard X509_STORE_add_cert(store, anchor) == 1 else { return rejected("X509_STORE_add_cert: \(errors())") }
        X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), time_t(time))
        guard let stack = OPENSSL_sk_new_null() else { return rejected("OPENSSL_sk_new_null") }
        defer { OPENSSL_sk_free(stack) }  // the certificates are freed above
        for certificate in certificates.dropFirst() { OPENSSL_sk_push(stack, UnsafeRawPointer(certificate)) }
        let verified = OCSP_basic_verify(basic, stack, store, UInt(OCSP_NOEXPLICIT))
        guard verified > 0 else { return rejected("OCSP_basic_verify \(verified): \(errors())") }

        // 5.
        var found:
            (
                status: Int32, thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?,
                nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            )?
        var digests: [OpaquePointer] = [EVP_sha1()]
        for i in 0..<OCSP_resp_count(basic) {
            guard let single = OCSP_resp_get0(basic, i), let id = OCSP_SINGLERESP_get0_id(single) else { continue }
            var algorithm: OpaquePointer?
            _ = OCSP_id_get0_info(nil, &algorithm, nil, nil, id)
            // EVP_get_digestbyobj is a macro: EVP_get_digestbyname(OBJ_nid2sn(OBJ_obj2nid(obj))).
            if let algorithm, let name = OBJ_nid2sn(OBJ_obj2nid(algorithm)), let md = EVP_get_digestbyname(name),
                !digests.contains(md)
            {
                digests.append(md)
            }
        }
        for md in digests where found == nil {
            guard let id = OCSP_cert_to_id(md, leaf, issuer) else { continue }
            defer { OCSP_CERTID_free(id) }
            var status: Int32 = -1
            var reason: Int32 = -1
            var revocationTime: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            if OCSP_resp_find_status(basic, id, &status, &reason, &revocationTime, &thisUpdate, &nextUpdate) == 1 {
                found = (status, thisUpdate, nextUpdate)
            }
        }
        guard let found else { return rejected("OCSP_resp_find_status: no SingleResponse for the certificate") }

        // 6.
        guard let thisUpdate = found.thisUpdate else { return rejected("no thisUpdate") }
        let problems = checkValidity(
            thisUpdate: thisUpdate,
            nextUpdate: found.nextUpdate,
            nsec: slopSeconds,
            maxsec: maxLifetimeSeconds + slopSeconds,
            now: time
        )
        guard problems.isEmpty else { return rejected("OCSP_check_validity: \(problems.joined(separator: ", "))") }

        // 7.
        switch found.status {
        case V_OCSP_CERTSTATUS_GOOD: return Answer(result: .good, reason: "OCSP_basic_verify, OCSP_check_validity: ok")
        case V_OCSP_CERTSTATUS_REVOKED: return Answer(result: .revoked, reason: "V_OCSP_CERTSTATUS_REVOKED")
        case V_OCSP_CERTSTATUS_UNKNOWN: return Answer(result: .unknown, reason: "V_OCSP_CERTSTATUS_UNKNOWN")
        default: return rejected("status \(found.status)")
        }
    }

    /// OpenSSL 3.0's `OCSP_check_validity` (crypto/ocsp/ocsp_cl.c), line for line, with `now` in
    /// place of `time(NULL)`. Returns OpenSSL's reasons (empty: valid).
    static func checkValidity(
        thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>,
        nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?,
        nsec: Int,
        maxsec: Int,
        now: Int64
    ) -> [String] {
        var problems: [String] = []
        let tNow = time_t(now)
        // Check thisUpdate is valid and not more than nsec in the future.
        if ASN1_GENERALIZEDTIME_check(thisUpdate) == 0 {
            problems.append("error in thisUpdate field")
        } else {
            var t = tNow + time_t(nsec)
            if X509_cmp_time(thisUpdate, &t) > 0 { problems.append("status not yet valid") }
            // maxsec >= 0: thisUpdate not more than maxsec in the past.
            if maxsec >= 0 {
                t = tNow - time_t(maxsec)
                if X509_cmp_time(thisUpdate, &t) < 0 { problems.append("status too old") }
            }
        }
        guard let nextUpdate else { return problems }
        // Check nextUpdate is valid and not more than nsec in the past.
        if ASN1_GENERALIZEDTIME_check(nextUpdate) == 0 {
            problems.append("error in nextUpdate field")
        } else {
            var t = tNow - time_t(nsec)
            if X509_cmp_time(nextUpdate, &t) < 0 { problems.append("status expired") }
        }
        // Also don't allow nextUpdate to precede thisUpdate.
        if ASN1_STRING_cmp(nextUpdate, thisUpdate) < 0 { problems.append("nextUpdate before thisUpdate") }
        return problems
    }

    static func x509(_ der: [UInt8]) -> OpaquePointer? {
        der.withUnsafeBufferPointer { buffer in
            var p = buffer.baseAddress
            return d2i_X509(nil, &p, buffer.count)
        }
    }

    /// OpenSSL's error queue, one reason string per entry.
    static func errors() -> String {
        var lines: [String] = []
        while case let e = ERR_get_error(), e != 0 {
            lines.append(ERR_reason_error_string(e).map { String(cString: $0) } ?? "error \(e)")
        }
        return lines.isEmpty ? "no error queued" : lines.joined(separator: "; ")
    }
}
