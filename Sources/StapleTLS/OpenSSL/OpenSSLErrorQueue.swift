internal import COpenSSL

/// One entry of OpenSSL's thread-local error queue.
struct OpenSSLError: Hashable, Sendable, CustomStringConvertible {
    let packed: UInt
    /// The OpenSSL function that raised it (`tls_process_cert_status_body`), when known.
    let function: String?
    /// `ERR_error_string_n`: `error:0A000086:SSL routines::certificate verify failed`.
    let text: String

    var library: Int32 { Int32((packed >> 23) & 0xFF) }
    /// `ERR_GET_REASON` without OpenSSL 3's flag bits (18–22): `ERR_R_MALLOC_FAILURE` is 256,
    /// `SSL_R_EXCESSIVE_MESSAGE_SIZE` 152.
    var reason: Int32 { Int32(packed & 0x3FFFF) }

    var description: String { function.map { "\(text) (in \($0))" } ?? text }
}

/// OpenSSL reports failures on a thread-local queue: clear it before each call whose failure we
/// read (`SSL_get_error` requires that), drain it right after.
enum OpenSSLErrorQueue {
    static func clear() {
        ERR_clear_error()
    }

    /// Takes every entry off the queue, oldest first.
    static func drain() -> [OpenSSLError] {
        var errors: [OpenSSLError] = []
        while true {
            var function: UnsafePointer<CChar>?
            let packed = ERR_get_error_all(nil, nil, &function, nil, nil)
            if packed == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(packed, &buffer, buffer.count)
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let name = function.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
            errors.append(OpenSSLError(packed: UInt(packed), function: name, text: text))
        }
        return errors
    }
}
