import Foundation

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
        try Self.checkHost(String(host), bracketed: rest.hasPrefix("["), in: text)
        self.init(host: String(host), port: port, path: path)
    }

    /// Whether `text` is an IPv4 or IPv6 address literal (no brackets).
    public static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// A host is an IPv4 address, a bracketed IPv6 address, or a DNS name (RFC 1123 §2.1: labels of
    /// letters, digits and '-', 1…63 bytes, not starting or ending with '-'; 253 bytes in all; `_`
    /// is allowed, as resolvers do). Anything else is refused here, before a resolver sees it.
    private static func checkHost(_ host: String, bracketed: Bool, in whole: String) throws(ParseError) {
        var v6 = in6_addr()
        if bracketed {
            guard inet_pton(AF_INET6, host, &v6) == 1 else {
                throw ParseError(description: "'\(whole)': '\(host)' is not an IPv6 address")
            }
            return
        }
        if host.contains(":") {
            guard inet_pton(AF_INET6, host, &v6) == 1 else {
                throw ParseError(
                    description: "'\(whole)': more than one ':' — write HOST:PORT, or an IPv6 address as [ADDRESS]:PORT"
                )
            }
            return
        }
        if host.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            var v4 = in_addr()
            guard inet_pton(AF_INET, host, &v4) == 1 else {
                throw ParseError(description: "'\(whole)': '\(host)' is not an IPv4 address (four numbers 0…255)")
            }
            return
        }
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        guard name.utf8.count <= 253 else {
            throw ParseError(description: "'\(whole)': a host name has at most 253 characters")
        }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else {
                throw ParseError(
                    description: "'\(whole)': '\(host)' has an empty label (two dots in a row, or a leading dot)"
                )
            }
            guard label.utf8.count <= 63 else {
                throw ParseError(description: "'\(whole)': the label '\(label)' is longer than 63 characters")
            }
            guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw ParseError(
                    description:
                        "'\(whole)': '\(host)' is not a host name: letters, digits, '-' and '.' only (an internationalized name goes in its xn-- form)"
                )
            }
            guard !label.hasPrefix("-"), !label.hasSuffix("-") else {
                throw ParseError(description: "'\(whole)': the label '\(label)' starts or ends with '-'")
            }
        }
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
