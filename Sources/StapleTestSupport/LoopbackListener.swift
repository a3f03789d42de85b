import Foundation

/// A TCP socket listening on 127.0.0.1 at a port the system chose: where every loopback server of
/// this package starts (``StaplingTLSServer``, the benchmark's and the tests' servers).
package enum LoopbackListener {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Opens a listening socket; the caller owns (and closes) the descriptor. On failure nothing is
    /// left open.
    package static func open(backlog: Int32) throws(Failure) -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound, listen(fd, backlog) == 0 else {
            let reason = "cannot listen on 127.0.0.1: errno \(errno)"
            close(fd)
            throw Failure(description: reason)
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
