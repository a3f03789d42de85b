import Foundation
import StapleTLS

/// One entry of a module's allow-list: which targets the exporter may probe. A probe for a target
/// that no pattern matches is refused (HTTP 400), so that the exporter cannot be used to reach
/// arbitrary hosts.
///
/// - `example.com`: that host name exactly (case-insensitive, a trailing dot ignored);
/// - `*.example.com`: any name below `example.com` (not `example.com` itself, as in DNS);
/// - `192.0.2.7`, `2001:db8::7`: that address;
/// - `10.0.0.0/8`, `2001:db8::/32`: any address of the block;
/// - any of these followed by `:PORT` (`[ADDRESS]:PORT` or `[BLOCK]:PORT` for IPv6): that port
///   only; without it, any port.
///
/// Host-name patterns match host-name targets, address patterns match address targets: a name is
/// not resolved to be compared with a block (the name's owner decides where it points; allow only
/// names you control). An IPv4-mapped IPv6 target (`::ffff:10.0.0.1`) is matched as the IPv4
/// address it reaches.
public struct TargetPattern: Hashable, Sendable, CustomStringConvertible {
    enum Host: Hashable, Sendable {
        case name(String)
        /// `*.example.com` is stored as `.example.com`.
        case below(String)
        /// Network bytes (4 or 16) and a prefix length.
        case network([UInt8], prefix: Int)
    }

    let host: Host
    public let port: Int?
    public let description: String

    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func fail(_ why: String) -> ParseError { ParseError(description: "allowed target '\(text)': \(why)") }
        guard !trimmed.isEmpty else { throw fail("empty") }
        var hostPart = Substring(trimmed)
        var port: Int?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw fail("unterminated [") }
            let after = hostPart[hostPart.index(after: close)...]
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("expected :PORT after ]") }
                port = try Self.port(after.dropFirst(), fail)
            }
            guard hostPart.contains(":") else { throw fail("brackets are for IPv6 addresses") }
        } else if let colon = hostPart.lastIndex(of: ":"), hostPart.firstIndex(of: ":") == colon {
            port = try Self.port(hostPart[hostPart.index(after: colon)...], fail)
            hostPart = hostPart[..<colon]
        }
        let host = String(hostPart)
        if host.contains("/") || Self.address(host) != nil {
            self.host = try Self.network(host, fail)
        } else if host.hasPrefix("*.") {
            let suffix = Self.normalized(String(host.dropFirst(2)))
            try Self.checkName(suffix, fail)
            self.host = .below("." + suffix)
        } else {
            let name = Self.normalized(host)
            try Self.checkName(name, fail)
            self.host = .name(name)
        }
        self.port = port
        self.description = trimmed
    }

    /// Whether a target may be probed under this pattern.
    public func matches(_ endpoint: Endpoint) -> Bool {
        if let port, port != endpoint.port { return false }
        if let bytes = Self.address(endpoint.host) {
            guard case .network(let network, let prefix) = host, network.count == bytes.count else { return false }
            return Self.prefix(of: bytes, prefix) == Self.prefix(of: network, prefix)
        }
        let name = Self.normalized(endpoint.host)
        switch host {
        case .name(let allowed): return name == allowed
        case .below(let suffix): return name.hasSuffix(suffix) && name.count > suffix.count
        case .network: return false
        }
    }

    // MARK: - Parts

    private static func normalized(_ name: String) -> String {
        (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
    }

    /// The same rule as a target's host name (RFC 1123 §2.1 labels); a pattern that could never
    /// match a valid target is refused rather than kept.
    private static func checkName(_ name: String, _ fail: (String) -> ParseError) throws(ParseError) {
        if name.contains("*") { throw fail("'*' only as the first label ('*.example.com')") }
        do { _ = try Endpoint(parsing: name) } catch { throw fail("not a host name, address or block") }
    }

    private static func port(_ text: Substring, _ fail: (String) -> ParseError) throws(ParseError) -> Int {
        guard let n = Int(text), (1...65535).contains(n) else { throw fail("the port must be in 1...65535") }
        return n
    }

    private static func network(_ text: String, _ fail: (String) -> ParseError) throws(ParseError) -> Host {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let bytes = address(String(parts[0])) else {
            throw fail("'\(parts[0])' is not an IP address")
        }
        let bits = bytes.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...bits).contains(n) else {
                throw fail("the prefix length must be in 0...\(bits)")
            }
            prefix = n
        }
        guard Self.prefix(of: bytes, prefix) == bytes else {
            throw fail(
                "host bits are set below /\(prefix) (did you mean \(Self.text(Self.prefix(of: bytes, prefix)))/\(prefix)?)"
            )
        }
        return .network(bytes, prefix: prefix)
    }

    /// The bytes of an IPv4 or IPv6 literal; an IPv4-mapped IPv6 address gives its IPv4 bytes.
    static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return Array(bytes[12...])
        }
        return bytes
    }

    private static func prefix(of bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { i, byte in
            let keep = max(0, min(8, length - i * 8))
            return keep == 8 ? byte : byte & UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var out = [CChar](repeating: 0, count: 64)
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &out, socklen_t(out.count)) }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
