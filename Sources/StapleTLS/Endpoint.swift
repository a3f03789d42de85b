/// Where to connect: `host`, `host:port`, `[v6]:port` or an `https://` URL (path kept for GET).
public struct Endpoint: Hashable, Sendable, Codable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The path and query of a URL target (`/` otherwise).
    public var path: String

    public static let defaultPort = 443

    public init(host: String, port: Int = Endpoint.defaultPort, path: String = "/") {
        self.host = host
        self.port = port
        self.path = path
    }

    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Parses a command-line target.
    public init(parsing text: String) throws(ParseError) {
        var rest = Substring(text)
        var path = "/"
        if let schemeEnd = rest.range(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "https" else {
                throw ParseError(description: "'\(text)': only https:// URLs can be checked, not \(scheme)://")
            }
            rest = rest[schemeEnd.upperBound...]
            if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
                let tail = rest[slash...]
                let withoutFragment =
                    tail.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                path = withoutFragment.hasPrefix("/") ? String(withoutFragment) : "/" + withoutFragment
                rest = rest[..<slash]
            }
            // User info is not ours to send.
            if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        }
        var host: Substring
        var port = Self.defaultPort
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw ParseError(description: "'\(text)': unterminated [IPv6 address]")
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw ParseError(description: "'\(text)': expected :PORT after ]") }
                port = try Self.port(after.dropFirst(), in: text)
            }
        } else if let colon = rest.lastIndex(of: ":"), rest.firstIndex(of: ":") == colon {
            host = rest[..<colon]
            port = try Self.port(rest[rest.index(after: colon)...], in: text)
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw ParseError(description: "'\(text)': no host") }
        self.init(host: String(host), port: port, path: path)
    }

    private static func port(_ text: Substring, in whole: String) throws(ParseError) -> Int {
        guard let n = Int(text), (1...65535).contains(n) else {
            throw ParseError(description: "'\(whole)': the port must be a number in 1...65535, not '\(text)'")
        }
        return n
    }

    /// `host:port` (`[v6]:port`).
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The `Host` header value.
    var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == Self.defaultPort ? h : "\(h):\(port)"
    }
}
