/// An OCSP responder location that Firefox would use (firefox-policy §2.2, §5.2, §8.9):
/// the scheme must be `http` (any case); a host is required; the port, if given, is 1…65535
/// (default 80); `user:pass@` is accepted and not sent; the path defaults to `/`. At most 1024
/// bytes, no NUL. Anything else is `SEC_ERROR_CERT_BAD_ACCESS_LOCATION`.
public struct OCSPURL: Hashable, Sendable, CustomStringConvertible {
    public static let maximumLength = 1024

    public let text: String
    public let host: String
    public let port: Int
    public let path: String

    public var description: String { text }

    public init(_ text: String) throws(VerificationError) {
        func bad(_ why: String) -> VerificationError {
            VerificationError(.certBadAccessLocation, "OCSP URL '\(text.prefix(80))': \(why)")
        }
        guard text.utf8.count <= Self.maximumLength else { throw bad("longer than \(Self.maximumLength) bytes") }
        guard !text.utf8.contains(0) else { throw bad("contains a NUL byte") }
        guard let sep = text.range(of: "://") else { throw bad("no scheme") }
        guard text[..<sep.lowerBound].lowercased() == "http" else {
            throw bad("scheme '\(text[..<sep.lowerBound])' is not http (Firefox fetches OCSP over http only)")
        }
        let rest = text[sep.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = authority
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw bad("unterminated IPv6 literal") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    throw bad("bad port")
                }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            let p = authority[authority.index(after: colon)...]
            guard !p.isEmpty, p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(p), (1...65535).contains(n)
            else {
                throw bad("bad port '\(p)'")
            }
            port = n
        }
        guard !host.isEmpty else { throw bad("no host") }
        self.text = text
        self.host = String(host)
        self.port = port
        let path = rest[authorityEnd...]
        self.path = path.isEmpty || path.first != "/" ? "/" + path : String(path)
    }
}
