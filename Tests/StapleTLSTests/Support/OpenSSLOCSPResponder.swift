import Foundation
import StapleTestSupport

/// `openssl ocsp -index … -port …`: a real OCSP responder on loopback, signing with the issuer's
/// own key (`-rsigner`/`-rkey` = the intermediate, so the answers are issuer-signed, byName).
///
/// It signs with the **current** time (thisUpdate = now, nextUpdate = now + 1 day): tests that use
/// it build their PKI around the current time and pin the verification time to it.
/// OpenSSL 3.0's `-port` takes a number only (it listens on the wildcard address); the tests send
/// to 127.0.0.1 only. `-text` makes it print every request: ``requestCount`` counts them. It is
/// ready when it prints `ACCEPT`: a TCP probe would hang it (it then stops answering).
enum OpenSSLOCSPResponder {
    struct Entry {
        let serialHex: String
        /// nil: valid (`V`); a time: revoked then (`R`). Serials not listed are unknown.
        let revokedAt: Date?
    }

    static func start(port: Int, pki: FetchPKI, entries: [Entry]) throws -> ExternalServer {
        let openssl = try ExternalServer.locate("openssl", installHint: "apt-get install openssl")
        let dir = try ExternalServer.temporaryDirectory("ocsp")
        let expiry = "491231235959Z"
        var index = ""
        for (i, e) in entries.enumerated() {
            // Subjects only need to be distinct (the index is unique by subject).
            if let at = e.revokedAt {
                index += "R\t\(expiry)\t\(indexTime(at)),keyCompromise\t\(e.serialHex)\tunknown\t/CN=entry\(i)\n"
            } else {
                index += "V\t\(expiry)\t\t\(e.serialHex)\tunknown\t/CN=entry\(i)\n"
            }
        }
        try index.write(to: dir.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
        try "unique_subject = no\n".write(
            to: dir.appendingPathComponent("index.txt.attr"),
            atomically: true,
            encoding: .utf8
        )
        // stdbuf -oL: its -text output goes to a file, which stdio would buffer until exit.
        let stdbuf = try ExternalServer.locate("stdbuf", installHint: "apt-get install coreutils")
        return try ExternalServer(
            executable: stdbuf,
            arguments: [
                "-oL", openssl, "ocsp", "-index", dir.appendingPathComponent("index.txt").path, "-port", "\(port)",
                "-rsigner", pki.intermediatePath, "-rkey", pki.intermediateKeyPath, "-CA", pki.intermediatePath,
                "-ndays", "1", "-text",
            ],
            port: port,
            directory: dir,
            readyLog: "ACCEPT "
        )
    }

    /// How many requests the responder printed so far.
    static func requestCount(_ server: ExternalServer) -> Int {
        server.log.components(separatedBy: "OCSP Request Data:").count - 1
    }

    /// YYMMDDHHMMSSZ, as `openssl ca` writes index times.
    static func indexTime(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyMMddHHmmss'Z'"
        return f.string(from: date)
    }
}
