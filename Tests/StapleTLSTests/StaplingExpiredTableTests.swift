import Foundation
import StapleForge
import StapleTLS
import StapleTestSupport
import StapleVerifier
import XCTest

/// firefox-policy §8.2 (`test_ocsp_stapling_expired.js`), row by row, through real handshakes
/// against `openssl s_server -status_file`: an expired, tryLater or invalid-signer staple falls
/// back to a fetch from the responder (``TestOCSPResponder``, answering what the row says, or
/// HTTP 500).
///
/// Firefox verifies each host in two passes when the first fails (the DV key-size fallback), so
/// its "# requests" counts two verifications sharing one OCSP cache: here, two connections with
/// one ``StapleEngine``. A fresh verifier per row. Pinned at T0 = 2026-06-01T12:00:00Z; the
/// certificates are valid 2026-01-01 → 2027-01-01.
final class StaplingExpiredTableTests: XCTestCase {
    enum Fetched {
        case good, expiredGood, oldValidity, revoked, unknown, http500
    }

    struct Host {
        let name: String
        let pki: FetchPKI
        let leaf: FetchPKI.Leaf
        let server: ExternalServer
        var t0: Int64 { Int64(Fixtures.t0.timeIntervalSince1970) }

        /// What the responder answers for this host's certificate.
        func answer(_ fetched: Fetched) -> TestOCSPResponder.Behavior {
            let day = FetchPKI.day
            switch fetched {
            case .good:
                return .ocsp(pki.pki.response(for: leaf.der, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * day).der())
            case .expiredGood:
                return .ocsp(pki.pki.response(for: leaf.der, thisUpdate: t0 - 5 * day, nextUpdate: t0 - 2 * day).der())
            // thisUpdate beyond the 10-day maximum lifetime (firefox-policy §3.9), nextUpdate still ahead.
            case .oldValidity:
                return .ocsp(pki.pki.response(for: leaf.der, thisUpdate: t0 - 20 * day, nextUpdate: t0 + day).der())
            case .revoked:
                return .ocsp(
                    pki.pki.response(
                        for: leaf.der,
                        status: .revoked(at: t0 - 30 * day),
                        thisUpdate: t0 - 3600,
                        nextUpdate: t0 + 3 * day
                    ).der()
                )
            case .unknown:
                return .ocsp(
                    pki.pki.response(for: leaf.der, status: .unknown, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * day)
                        .der()
                )
            case .http500: return .status(500)
            }
        }
    }

    var responder: TestOCSPResponder!
    var pkis: [FetchPKI] = []
    var hosts: [String: Host] = [:]

    override func setUpWithError() throws {
        responder = try TestOCSPResponder()
        let main = try FetchPKI(label: "Main")
        let fresh = try FetchPKI(label: "Fresh CA")
        pkis = [main, fresh]
        let t0 = Int64(Fixtures.t0.timeIntervalSince1970)
        let day = FetchPKI.day
        // The staple of each host (firefox-policy §8.2): expired ones, tryLater, an unauthorized signer.
        func add(
            _ name: String,
            _ pki: FetchPKI,
            serial: UInt8,
            mustStaple: Bool = false,
            staple: ([UInt8]) -> [UInt8]
        ) throws {
            let leaf = try pki.leaf(
                name,
                serial: [0x08, 0x20 + serial],
                ocspURL: responder.url,
                mustStaple: mustStaple
            )
            let file = try pki.write("\(name).staple.der", staple(leaf.der))
            hosts[name] = Host(
                name: name,
                pki: pki,
                leaf: leaf,
                server: try OpenSSLServer.start(leaf.identity, stapleFile: file)
            )
        }
        let expired = { (pki: FetchPKI) in
            { (leaf: [UInt8]) in pki.pki.response(for: leaf, thisUpdate: t0 - 20 * day, nextUpdate: t0 - 15 * day).der()
            }
        }
        try add("expired", main, serial: 1, staple: expired(main))
        try add("expired-fresh-ca", fresh, serial: 2, staple: expired(fresh))
        try add("revoked-old", main, serial: 3) {
            main.pki.response(
                for: $0,
                status: .revoked(at: t0 - 40 * day),
                thisUpdate: t0 - 20 * day,
                nextUpdate: t0 - 15 * day
            ).der()
        }
        try add("unknown-old", main, serial: 4) {
            main.pki.response(for: $0, status: .unknown, thisUpdate: t0 - 20 * day, nextUpdate: t0 - 15 * day).der()
        }
        // A Good staple from long ago, with no nextUpdate (valid for a day after thisUpdate).
        try add("ancient-valid", main, serial: 5) {
            main.pki.response(for: $0, thisUpdate: t0 - 140 * day, nextUpdate: nil).der()
        }
        try add("must-staple-expired", main, serial: 6, mustStaple: true, staple: expired(main))
        try add("must-staple-try-later", main, serial: 7, mustStaple: true) { _ in ResponseForge.unsuccessful(3) }
        try add("must-staple-invalid-signer", main, serial: 8, mustStaple: true) { leaf in
            // Signed by a delegated responder without the OCSPSigning EKU: not authorized (firefox-policy §3.5).
            let key = ForgeKey.p256()
            let signer = main.pki.responder(key: key, eku: nil)
            var r = main.pki.response(for: leaf, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * day)
            r.responder = try! ResponseForge.byKey(signer)
            r.certificates = [signer]
            r.signer = key
            return r.der()
        }
    }

    override func tearDown() {
        for host in hosts.values { host.server.stop() }
        responder.stop()
        pkis.forEach { $0.remove() }
    }

    /// (host, fetched answer, expected error or nil for Success, Firefox's number of requests).
    static let table: [(String, Fetched, String?, Int)] = [
        ("expired", .good, nil, 1),
        ("expired-fresh-ca", .good, nil, 1),
        ("expired", .expiredGood, "SEC_ERROR_OCSP_OLD_RESPONSE", 2),
        ("expired-fresh-ca", .expiredGood, "SEC_ERROR_OCSP_OLD_RESPONSE", 2),
        ("expired", .oldValidity, "SEC_ERROR_OCSP_OLD_RESPONSE", 2),
        ("expired-fresh-ca", .oldValidity, "SEC_ERROR_OCSP_OLD_RESPONSE", 2),
        ("expired", .http500, "SEC_ERROR_OCSP_OLD_RESPONSE", 1),
        ("expired", .revoked, "SEC_ERROR_REVOKED_CERTIFICATE", 1),
        ("expired-fresh-ca", .revoked, "SEC_ERROR_REVOKED_CERTIFICATE", 1),
        ("expired", .unknown, "SEC_ERROR_OCSP_UNKNOWN_CERT", 2),
        ("expired-fresh-ca", .unknown, "SEC_ERROR_OCSP_UNKNOWN_CERT", 2),
        ("revoked-old", .http500, "SEC_ERROR_REVOKED_CERTIFICATE", 1),
        ("unknown-old", .http500, "SEC_ERROR_OCSP_UNKNOWN_CERT", 1),
        ("revoked-old", .good, nil, 1),
        ("unknown-old", .good, nil, 1),
        ("revoked-old", .expiredGood, "SEC_ERROR_REVOKED_CERTIFICATE", 2),
        ("unknown-old", .expiredGood, "SEC_ERROR_OCSP_UNKNOWN_CERT", 2),
        ("ancient-valid", .good, nil, 1),
        ("ancient-valid", .revoked, "SEC_ERROR_REVOKED_CERTIFICATE", 1),
        ("ancient-valid", .unknown, "SEC_ERROR_OCSP_UNKNOWN_CERT", 2),
        ("must-staple-expired", .good, nil, 1),
        ("must-staple-try-later", .good, nil, 1),
        ("must-staple-invalid-signer", .good, nil, 1),
    ]

    func testTheTable() async throws {
        var stapleStatuses: [String: Int] = [:]
        for (name, fetched, expected, requests) in Self.table {
            let host = try XCTUnwrap(hosts[name])
            let row = "\(name) / fetched \(fetched)"
            responder.script([host.answer(fetched), host.answer(fetched)])
            responder.resetRequests()
            let checker = try EndpointChecker(configuration: host.pki.configuration())  // one cache for both passes
            for pass in 1...2 {
                let report = await checker.check(
                    Endpoint(host: "127.0.0.1", port: host.server.port),
                    serverName: "localhost"
                )
                XCTAssertEqual(
                    report.verify?.error?.code.name,
                    expected,
                    "\(row), pass \(pass): \(report.verify?.explanation ?? report.error?.description ?? "-")"
                )
                XCTAssertEqual(report.outcome, expected == nil ? .accepted : .rejected, "\(row), pass \(pass)")
                if pass == 1, let status = report.verify?.staple.status {
                    stapleStatuses[status.rawValue, default: 0] += 1
                }
                if expected == nil { break }  // Firefox's second pass only follows a failure
            }
            XCTAssertEqual(responder.requests.count, requests, "\(row): requests")
        }
        // The staples are classified as Firefox does: expired (3) or invalid (4), never fatal.
        XCTAssertEqual(stapleStatuses, ["expired": 21, "invalid": 2])
    }

    /// The same staples without a responder (HTTP 500): the staple's own error stands (firefox-policy §2.7
    /// HandleOCSPFailure) — and for must-staple, firefox-policy §8.3's rows.
    func testResponderDownTheStaplesErrorStands() async throws {
        for (name, expected) in [
            ("expired", "SEC_ERROR_OCSP_OLD_RESPONSE"), ("must-staple-expired", "SEC_ERROR_OCSP_OLD_RESPONSE"),
            ("must-staple-try-later", "SEC_ERROR_OCSP_TRY_SERVER_LATER"),
            ("must-staple-invalid-signer", "SEC_ERROR_OCSP_INVALID_SIGNING_CERT"),
        ] {
            let host = try XCTUnwrap(hosts[name])
            responder.script([])
            responder.resetRequests()
            let report = await (try EndpointChecker(configuration: host.pki.configuration())).check(
                Endpoint(host: "127.0.0.1", port: host.server.port),
                serverName: "localhost"
            )
            XCTAssertEqual(report.verify?.error?.code.name, expected, name)
            XCTAssertEqual(report.verify?.fetches.first?.outcome.description, "HTTP 500", name)
            XCTAssertEqual(responder.requests.count, 1, name)
        }
    }
}
