import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

final class EndpointTests: XCTestCase {
    func testTargets() throws {
        let table: [(String, String, Int, String)] = [
            ("example.com", "example.com", 443, "/"),
            ("example.com:8443", "example.com", 8443, "/"),
            ("127.0.0.1:4433", "127.0.0.1", 4433, "/"),
            ("[::1]:4433", "::1", 4433, "/"),
            ("[::1]", "::1", 443, "/"),
            ("::1", "::1", 443, "/"),  // a bare IPv6 literal: no port can follow it
            ("https://example.com", "example.com", 443, "/"),
            ("HTTPS://example.com:444/a/b?c=d#frag", "example.com", 444, "/a/b?c=d"),
            ("https://user:pw@example.com/x", "example.com", 443, "/x"),
            ("https://example.com?q", "example.com", 443, "/?q"),
        ]
        for (text, host, port, path) in table {
            let e = try Endpoint(parsing: text)
            XCTAssertEqual(e.host, host, text)
            XCTAssertEqual(e.port, port, text)
            XCTAssertEqual(e.path, path, text)
        }
        XCTAssertEqual(try Endpoint(parsing: "[::1]:4433").description, "[::1]:4433")
    }

    func testBadTargetsSayWhatIsWrong() {
        for (text, says) in [
            ("", "no host"), ("http://example.com", "only https://"), ("example.com:0", "1...65535"),
            ("example.com:http", "not 'http'"), ("[::1", "unterminated"), ("[::1]x", "expected :PORT"),
        ] {
            XCTAssertThrowsError(try Endpoint(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(says), "\(text): \(error)")
            }
        }
    }
}

final class ConnectionReportJSONTests: XCTestCase {
    /// `verify` and `error` are present (as null) in every line, so consumers see one shape.
    func testNullsAreWritten() async throws {
        let checker = try EndpointChecker(configuration: TLSClientConfiguration(trustRoots: .pemFile(Fixtures.root)))
        let report = await checker.check(Endpoint(host: "127.0.0.1", port: try FreePort.pick()))
        let line = report.jsonLine()
        XCTAssertFalse(line.contains("\n"))
        XCTAssertTrue(line.contains("\"verify\":null"), line)
        XCTAssertTrue(line.contains("\"error\":{"), line)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let error = try XCTUnwrap(object["error"] as? [String: Any])
        XCTAssertEqual(error["name"] as? String, TLSError.Code.connectionRefused.name)
        XCTAssertEqual(report.exitCode, 3)
    }
}
