internal import COpenSSL

/// Owns one OpenSSL `X509` (a reference taken with `X509_up_ref`, or a freshly decoded one) and
/// frees it in `deinit`.
final class X509Certificate {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    private init(owning pointer: OpaquePointer) {
        self.pointer = pointer
        LiveObjects.up(LiveObjects.certificates)
    }

    /// A new reference to a certificate OpenSSL owns (e.g. an element of the verified chain).
    convenience init(borrowing pointer: OpaquePointer) {
        X509_up_ref(pointer)
        self.init(owning: pointer)
    }

    /// Decodes a DER certificate; nil when it is not one (or has trailing bytes).
    convenience init?(der: [UInt8]) {
        let decoded: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let x = d2i_X509(nil, &cursor, buffer.count) else { return nil }
            guard cursor == buffer.baseAddress.map({ $0 + buffer.count }) else {
                X509_free(x)
                return nil
            }
            return x
        }
        OpenSSLErrorQueue.clear()
        guard let decoded else { return nil }
        self.init(owning: decoded)
    }

    deinit {
        X509_free(pointer)
        LiveObjects.down(LiveObjects.certificates)
    }

    struct PEMError: Error {
        let reason: String
    }

    /// Every `CERTIFICATE` block of a PEM text, in order.
    static func readPEM(_ pem: [UInt8]) throws(PEMError) -> [X509Certificate] {
        let bio: OpaquePointer? = pem.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        guard let bio else { throw PEMError(reason: "BIO_new_mem_buf failed") }
        defer { BIO_free(bio) }
        var result: [X509Certificate] = []
        OpenSSLErrorQueue.clear()
        while let x = PEM_read_bio_X509(bio, nil, nil, nil) {
            result.append(X509Certificate(owning: x))
        }
        // The loop ends with "no start line" at the end of the text: anything else is a broken block.
        let errors = OpenSSLErrorQueue.drain()
        if let bad = errors.first(where: { $0.reason != PEM_R_NO_START_LINE }) {
            throw PEMError(reason: "certificate \(result.count + 1) does not decode (\(bad.text))")
        }
        return result
    }

    /// The DER encoding.
    var der: [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_X509(pointer, &cursor)
        }
        return bytes
    }

    /// The subject as one line (OpenSSL's compatible format: `O=…, CN=localhost`).
    var subject: String { Self.oneLine(X509_get_subject_name(pointer)) }

    private static func oneLine(_ name: OpaquePointer?) -> String {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { return "?" }
        defer { BIO_free(bio) }
        X509_NAME_print_ex(bio, name, 0, 0)
        var bytes = [UInt8](repeating: 0, count: 1024)
        let n = BIO_read(bio, &bytes, Int32(bytes.count))
        return n > 0 ? String(decoding: bytes[0..<Int(n)], as: UTF8.self) : ""
    }
}

/// The certificates of an OpenSSL `STACK_OF(X509)`, as new references.
func certificates(of stack: OpaquePointer?) -> [X509Certificate] {
    guard let stack else { return [] }
    return (0..<COpenSSL_sk_X509_num(stack)).compactMap { i in
        COpenSSL_sk_X509_value(stack, i).map { X509Certificate(borrowing: $0) }
    }
}
