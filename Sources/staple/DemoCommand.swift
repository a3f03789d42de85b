import ArgumentParser
import StapleTestSupport
import Foundation
import StapleForge
import StapleTLS
import StapleVerifier

/// `staple demo`: the README's first command. Real TLS servers on loopback, a PKI and staples
/// signed at start-up (so it runs at the current time, offline), each server checked under every
/// preset; the table is compared with what the specification says, cell by cell.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Start loopback TLS servers that staple good, missing, revoked, tryLater, expired and delegated-responder staples, and check each under every preset.",
        discussion: "Exit status: 0 when every verdict is the one the specification predicts, 1 otherwise."
    )

    @Flag(name: .long, help: "Print one JSON object per scenario.")
    var json = false

    @Option(
        name: .long,
        help: "Run as if now were this time (RFC 3339 or epoch seconds): certificates, staples and the clients' clock."
    )
    var at: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep the servers running until Ctrl-C and write root.pem, targets.txt (and fleet.txt) into this folder, for trying `staple check` by hand.",
            valueName: "DIR"
        )
    )
    var serve: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --serve: also start N fleet servers (every tenth staples nothing for a must-staple certificate).",
            valueName: "N"
        )
    )
    var fleet: Int = 0

    func validate() throws {
        guard (0...2000).contains(fleet) else { throw ValidationError("--fleet takes 0…2000") }
        if fleet > 0 && serve == nil { throw ValidationError("--fleet goes with --serve") }
    }

    struct Scenario {
        let name: String
        let leaf: [UInt8]
        let staple: [UInt8]?
        /// Expected outcome per preset: "accepted" or an error name.
        let expected: [String]
    }

    static let presets: [RevocationPolicy.Preset] = [.firefox, .firefox2016, .strict, .permissive]

    func run() async throws {
        let date = try at.map(InputFiles.time) ?? Date()
        let now = Int64(date.timeIntervalSince1970)
        let day: Int64 = 86_400
        // The OCSP URL points at a closed loopback port: the responder is down, so every fallback
        // fetch fails and the soft-fail rules show.
        let responderDown = "http://127.0.0.1:9/"
        let pki = ForgePKI(keyType: .ecdsa, notBefore: now - day, notAfter: now + 90 * day, label: "Demo")
        let mustStaple = pki.leaf(
            serial: [0x0A, 0x01],
            extraExtensions: [ForgeExtension.tlsFeature([5])],
            ocspURL: responderDown
        )
        let plain = pki.leaf(serial: [0x0B, 0x01], ocspURL: responderDown)
        let plainRevoked = pki.leaf(serial: [0x0C, 0x01], ocspURL: responderDown)
        let plainDelegated = pki.leaf(serial: [0x0D, 0x01], ocspURL: responderDown)
        func fresh(_ leaf: [UInt8], _ status: ResponseForge.Status = .good) -> [UInt8] {
            pki.response(for: leaf, status: status, thisUpdate: now - 3600, nextUpdate: now + 3 * day).der()
        }
        let expired = pki.response(for: mustStaple, thisUpdate: now - 9 * day, nextUpdate: now - 5 * day).der()
        let responderKey = ForgeKey.p256()
        let responderCert = pki.responder(key: responderKey, notBefore: now - day, notAfter: now + 30 * day)
        var delegated = pki.response(for: plainDelegated, thisUpdate: now - 3600, nextUpdate: now + 3 * day)
        delegated.responder = try ResponseForge.byKey(responderCert)
        delegated.signer = responderKey
        delegated.certificates = [responderCert]

        let missing = VerificationError.Code.requiredTLSFeatureMissing.name
        let tryLater = VerificationError.Code.ocspTryServerLater.name
        let old = VerificationError.Code.ocspOldResponse.name
        let revoked = VerificationError.Code.revokedCertificate.name
        let required = VerificationError.Code.stapleRequired.name
        let ok = "accepted"
        // Expected cells, in the order of `presets` (firefox, firefox2016, strict, permissive),
        // from firefox-policy §1.6, §2.3, §2.7 and the presets of docs/CONTRACT.md.
        let scenarios = [
            Scenario(
                name: "must-staple, good staple",
                leaf: mustStaple,
                staple: fresh(mustStaple),
                expected: [ok, ok, ok, ok]
            ),
            Scenario(
                name: "must-staple, no staple",
                leaf: mustStaple,
                staple: nil,
                expected: [missing, missing, missing, ok]
            ),
            Scenario(
                name: "must-staple, tryLater",
                leaf: mustStaple,
                staple: ResponseForge.unsuccessful(3),
                expected: [tryLater, tryLater, tryLater, ok]
            ),
            Scenario(
                name: "must-staple, expired staple",
                leaf: mustStaple,
                staple: expired,
                expected: [old, old, old, ok]
            ),
            Scenario(name: "plain, no staple", leaf: plain, staple: nil, expected: [ok, ok, required, ok]),
            Scenario(
                name: "plain, revoked staple",
                leaf: plainRevoked,
                staple: fresh(plainRevoked, .revoked(at: now - day)),
                expected: [revoked, revoked, revoked, revoked]
            ),
            Scenario(
                name: "plain, delegated responder",
                leaf: plainDelegated,
                staple: delegated.der(),
                expected: [ok, ok, ok, ok]
            ),
        ]

        var servers: [StaplingTLSServer] = []
        defer { StaplingTLSServer.stop(servers) }
        for s in scenarios {
            servers.append(
                try StaplingTLSServer(
                    chainDER: [s.leaf, pki.intermediate],
                    privateKeyDER: pki.leafKey.privateKeyDER,
                    staple: s.staple
                )
            )
        }
        if let serve {
            try await Self.serve(
                in: serve,
                pki: pki,
                scenarios: scenarios,
                servers: servers,
                fleet: fleet,
                fleetStaple: fresh(mustStaple),
                mustStaple: mustStaple,
                at: date
            )
            return
        }
        if !json {
            print(
                "staple demo — \(scenarios.count) TLS servers on 127.0.0.1 (system OpenSSL), certificates and staples signed just now; OCSP responder down"
            )
            print("")
        }
        var mismatches = 0
        var table: [[String]] = [["scenario"] + Self.presets.map(\.rawValue)]
        for (s, server) in zip(scenarios, servers) {
            var cells: [String] = []
            var results: [DemoScenarioDocument.Result] = []
            for (i, preset) in Self.presets.enumerated() {
                var configuration = TLSClientConfiguration(
                    trustRoots: .certificates([pki.root]),
                    policy: .preset(preset)
                )
                configuration.handshakeTimeout = .seconds(10)
                configuration.pinTime(date)
                configuration.fetcher = HTTPOCSPFetcher()  // the responder URL is a closed port: refused
                let report = await (try EndpointChecker(configuration: configuration)).check(
                    Endpoint(host: "127.0.0.1", port: server.port),
                    serverName: "localhost",
                    target: s.name
                )
                let got =
                    report.outcome == .accepted
                    ? ok : (report.verify?.error?.code.name ?? report.error.map { "\($0.code)" } ?? "rejected")
                let matches = got == s.expected[i]
                if !matches { mismatches += 1 }
                cells.append(Self.short(got) + (matches ? "" : " ≠ \(Self.short(s.expected[i]))"))
                results.append(.init(preset: preset.rawValue, got: got, expected: s.expected[i], matches: matches))
            }
            if json {
                print(try DemoScenarioDocument(scenario: s.name, results: results).jsonLine())
            } else {
                table.append([s.name] + cells)
            }
        }
        if !json {
            let widths = (0..<table[0].count).map { column in table.map { $0[column].count }.max()! + 2 }
            for row in table {
                print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined())
            }
            print("")
            print(
                "Names shortened: SEC_ERROR_… and MOZILLA_PKIX_ERROR_… prefixes dropped; full names with `staple demo --json`."
            )
            print(
                mismatches == 0
                    ? "Every verdict is the one the specification predicts."
                    : "\(mismatches) verdict(s) differ from the specification (marked ≠ expected)."
            )
        }
        if mismatches > 0 { throw ExitCode(ExitStatus.rejected) }
    }

    /// `--serve`: write the trust anchor and target lists, print how to use them, wait for Ctrl-C.
    static func serve(
        in directory: String,
        pki: ForgePKI,
        scenarios: [Scenario],
        servers: [StaplingTLSServer],
        fleet: Int,
        fleetStaple: [UInt8],
        mustStaple: [UInt8],
        at date: Date
    ) async throws {
        let dir = URL(fileURLWithPath: directory)
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw InputError("--serve '\(directory)': cannot create the folder (\(error.localizedDescription))")
        }
        let pem =
            "-----BEGIN CERTIFICATE-----\n"
            + Data(pki.root).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END CERTIFICATE-----\n"
        try Data(pem.utf8).write(to: dir.appendingPathComponent("root.pem"))
        let lines = zip(scenarios, servers).map { "127.0.0.1:\($1.port)   # \($0.name)" }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("targets.txt"))
        var fleetServers: [StaplingTLSServer] = []
        defer { StaplingTLSServer.stop(fleetServers) }
        for i in 0..<fleet {
            fleetServers.append(
                try StaplingTLSServer(
                    chainDER: [mustStaple, pki.intermediate],
                    privateKeyDER: pki.leafKey.privateKeyDER,
                    staple: i % 10 == 9 ? nil : fleetStaple
                )
            )
        }
        if fleet > 0 {
            try Data((fleetServers.map { "127.0.0.1:\($0.port)" }.joined(separator: "\n") + "\n").utf8).write(
                to: dir.appendingPathComponent("fleet.txt")
            )
        }
        let at = ISO8601DateFormatter().string(from: date)
        var text = [
            "serving \(servers.count + fleetServers.count) TLS servers on 127.0.0.1 (certificates for 'localhost', signed as of \(at)):"
        ]
        text += lines.map { "  " + $0 }
        text.append(
            "try:  staple check --ca \(dir.path)/root.pem --servername localhost --targets \(dir.path)/targets.txt --compare"
        )
        if fleet > 0 {
            text.append(
                "      staple check --ca \(dir.path)/root.pem --servername localhost --targets \(dir.path)/fleet.txt --concurrency 100 --json"
            )
        }
        text.append("Ctrl-C stops them.")
        FileHandle.standardOutput.writeOrStop(Data((text.joined(separator: "\n") + "\n").utf8))
        let (stop, continuation) = AsyncStream<Void>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            sources.append(source)
        }
        for await _ in stop { break }
        sources.forEach { $0.cancel() }
    }

    static func short(_ name: String) -> String {
        name.replacingOccurrences(of: "MOZILLA_PKIX_ERROR_", with: "").replacingOccurrences(of: "SEC_ERROR_", with: "")
    }
}
