import StapleExporter
import StapleTLS
import Testing

/// The exporter's allow-list: what each kind of pattern lets through, and what it refuses.
@Suite struct TargetPatternTests {
    static let cases: [(pattern: String, target: String, allowed: Bool)] = [
        ("example.com", "example.com:443", true),
        ("example.com", "EXAMPLE.com.:8443", true),
        ("example.com", "www.example.com:443", false),
        ("*.example.com", "www.example.com:443", true),
        ("*.example.com", "a.b.example.com:443", true),
        ("*.example.com", "example.com:443", false),
        ("*.example.com", "badexample.com:443", false),
        ("example.com:8443", "example.com:8443", true),
        ("example.com:8443", "example.com:443", false),
        ("127.0.0.1", "127.0.0.1:9", true),
        ("127.0.0.1", "127.0.0.2:9", false),
        ("127.0.0.1", "localhost:9", false),
        ("10.0.0.0/8", "10.200.3.4:443", true),
        ("10.0.0.0/8", "11.0.0.1:443", false),
        ("10.0.0.0/8", "[::ffff:10.1.2.3]:443", true),
        ("192.168.1.128/25", "192.168.1.200:443", true),
        ("192.168.1.128/25", "192.168.1.100:443", false),
        ("0.0.0.0/0", "203.0.113.9:443", true),
        ("0.0.0.0/0", "[2001:db8::1]:443", false),
        ("0.0.0.0/0", "www.example.com:443", false),
        ("2001:db8::/32", "[2001:db8:ffff::1]:443", true),
        ("2001:db8::/32", "[2001:db9::1]:443", false),
        ("[2001:db8::/32]:443", "[2001:db8::1]:443", true),
        ("[2001:db8::/32]:443", "[2001:db8::1]:8443", false),
        ("[::1]:9115", "[::1]:9115", true),
        ("::1", "[::1]:1234", true),
    ]

    @Test("each pattern allows exactly its targets", arguments: cases.indices)
    func matching(_ i: Int) throws {
        let c = Self.cases[i]
        let pattern = try TargetPattern(parsing: c.pattern)
        let target = try Endpoint(parsing: c.target)
        #expect(pattern.matches(target) == c.allowed, "\(c.pattern) vs \(c.target)")
    }

    @Test(
        "a pattern that could never match is refused, saying why",
        arguments: [
            ("", "empty"),
            ("10.0.0.1/8", "host bits are set below /8 (did you mean 10.0.0.0/8?)"),
            ("10.0.0.0/33", "the prefix length must be in 0...32"),
            ("2001:db8::/129", "the prefix length must be in 0...128"),
            ("a..b", "not a host name"),
            ("www.*.com", "'*' only as the first label"),
            ("example.com:0", "the port must be in 1...65535"),
            ("[example.com]:443", "brackets are for IPv6 addresses"),
            ("300.1.1.1/8", "is not an IP address"),
        ]
    )
    func refused(_ text: String, _ message: String) {
        #expect {
            _ = try TargetPattern(parsing: text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
