import NIOCore
internal import COpenSSL

/// The two memory BIOs between OpenSSL and NIO: bytes from the network go into ``inbound``
/// (OpenSSL reads them), bytes OpenSSL writes land in ``outbound`` (NIO sends them). OpenSSL never
/// touches a socket (as swift-nio-ssl does it: NIO owns all I/O).
///
/// Ownership: `SSL_set_bio` hands both BIOs to the `SSL`, which frees them in `SSL_free`; this
/// type only borrows them and must not outlive its `SSLConnection`.
struct MemoryBIOPair {
    let inbound: OpaquePointer
    let outbound: OpaquePointer

    /// Two new memory BIOs, already attached to `ssl`.
    init(attachingTo ssl: OpaquePointer) throws(TLSError) {
        guard let inbound = BIO_new(BIO_s_mem()) else {
            throw TLSError(
                .protocolError,
                "BIO_new failed",
                openSSLErrors: OpenSSLErrorQueue.drain().map(\.description)
            )
        }
        guard let outbound = BIO_new(BIO_s_mem()) else {
            BIO_free(inbound)
            throw TLSError(
                .protocolError,
                "BIO_new failed",
                openSSLErrors: OpenSSLErrorQueue.drain().map(\.description)
            )
        }
        // An empty inbound BIO means "no bytes yet" (retry), not end of file.
        _ = COpenSSL_BIO_set_mem_eof_return(inbound, -1)
        SSL_set_bio(ssl, inbound, outbound)
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Hands bytes that came from the network to OpenSSL.
    func feed(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = BIO_write(
                    inbound,
                    bytes.baseAddress! + offset,
                    Int32(min(bytes.count - offset, Int(Int32.max)))
                )
                guard n > 0 else { return }  // a memory BIO only fails when out of memory
                offset += Int(n)
            }
        }
    }

    /// Whether OpenSSL has written bytes that are not sent yet.
    var hasOutput: Bool { BIO_ctrl_pending(outbound) > 0 }

    /// Takes what OpenSSL wrote for the network; nil when there is nothing.
    func takeOutput(allocator: ByteBufferAllocator) -> ByteBuffer? {
        let pending = Int(BIO_ctrl_pending(outbound))
        guard pending > 0 else { return nil }
        var buffer = allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { bytes in
            Int(max(BIO_read(outbound, bytes.baseAddress, Int32(pending)), 0))
        }
        return buffer
    }
}
