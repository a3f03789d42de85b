import Foundation

/// A free TCP port on 127.0.0.1 (bound to port 0, read back, released).
package enum FreePort {
    package struct Failure: Error {}

    package static func pick() throws -> Int {
        guard let listener = try? LoopbackListener.open(backlog: 1) else { throw Failure() }
        close(listener.fd)
        return listener.port
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port`.
    package static func waitUntilListening(_ port: Int, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if connected { return true }
            usleep(20_000)
        }
        return false
    }
}
