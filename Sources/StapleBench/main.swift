import Foundation
import StapleForge
import StapleVerifier

// `make bench`. Everything is measured in this one process, interleaved: see
// Measure.swift for the method and docs/BENCH.md for what each number means. The last line of the
// output is one JSON object.

struct Options {
    var rounds = 41
    var batchMillis = 10.0
    var handshakeRounds = 15
    var handshakesPerRound = 40
    var handshakeModes = HandshakeBench.modes
    var fleetTargets = 1000
    var fleetConcurrency = 100
    var sections: Set<String> = ["staples", "handshakes", "fleet"]
    var staple: String?
    var profile: String?
    var iterations = 2000

    init(_ arguments: [String]) {
        var it = arguments.dropFirst().makeIterator()
        func value(_ name: String) -> String {
            guard let v = it.next() else { usage("\(name) needs a value") }
            return v
        }
        while let a = it.next() {
            switch a {
            case "--rounds": rounds = Int(value(a)) ?? rounds
            case "--batch-ms": batchMillis = Double(value(a)) ?? batchMillis
            case "--handshake-rounds": handshakeRounds = Int(value(a)) ?? handshakeRounds
            case "--handshakes-per-round": handshakesPerRound = Int(value(a)) ?? handshakesPerRound
            case "--handshake-modes":
                // One mode alone, e.g. `handler` under `perf record` (docs/BENCH.md).
                handshakeModes = value(a).split(separator: ",").map(String.init)
                for m in handshakeModes where !HandshakeBench.modes.contains(m) {
                    usage("unknown handshake mode \(m) (modes: \(HandshakeBench.modes.joined(separator: ",")))")
                }
            case "--fleet-targets": fleetTargets = Int(value(a)) ?? fleetTargets
            case "--fleet-concurrency": fleetConcurrency = Int(value(a)) ?? fleetConcurrency
            case "--only": sections = Set(value(a).split(separator: ",").map(String.init))
            case "--staple": staple = value(a)
            case "--quick":
                rounds = 5
                batchMillis = 5
                handshakeRounds = 3
                handshakesPerRound = 20
            case "--profile": profile = value(a)
            case "--iterations": iterations = Int(value(a)) ?? iterations
            case "-h", "--help": usage(nil)
            default: usage("unknown argument \(a)")
            }
        }
    }
}

/// The loop `--profile` runs: collect only inside it with
/// `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*profileLoop*'`.
@inline(never) func profileLoop(_ body: () -> Bool, iterations: Int) -> Bool {
    var ok = true
    for _ in 0..<iterations { ok = body() && ok }
    return ok
}

func usage(_ error: String?) -> Never {
    if let error { log("StapleBench: \(error)") }
    log(
        """
        usage: StapleBench [--rounds N] [--batch-ms MS] [--only staples,handshakes,fleet] [--quick]
                           [--handshake-rounds N] [--handshakes-per-round N] [--handshake-modes M,…]
                           [--fleet-targets N] [--fleet-concurrency N] [--staple PATH]
               StapleBench --profile CASE [--iterations N]   (one case in a loop, for callgrind; see docs/BENCH.md)
        """
    )
    exit(error == nil ? 0 : 2)
}

let options = Options(CommandLine.arguments)
let now = Int64(Date().timeIntervalSince1970)

if let name = options.profile {
    // Only the key type the case needs (RSA key generation is slow under valgrind).
    let fixtures = [name.hasPrefix("rsa.") ? StapleFixture(.rsa, now: now) : StapleFixture(.ecdsa, now: now)]
    let suite = StapleSuite(fixtures: fixtures, rounds: 1, batchMillis: 1)
    guard let c = suite.cases.cases.first(where: { $0.name == name }) else {
        usage("no case \(name); cases: \(suite.cases.cases.map(\.name).joined(separator: " "))")
    }
    guard c.body() else { usage("case \(name) does not verify") }
    let ok = profileLoop(c.body, iterations: options.iterations)
    print("\(name): \(options.iterations) iterations, \(ok ? "all verified" : "SOME FAILED")")
    exit(ok ? 0 : 1)
}

let fixtures = [StapleFixture(.ecdsa, now: now), StapleFixture(.rsa, now: now)]
let suite = StapleSuite(fixtures: fixtures, rounds: options.rounds, batchMillis: options.batchMillis)

var report = Report(machine: MachineInfo.current())

if options.sections.contains("staples") {
    log(
        "staple verification: \(suite.cases.cases.count) cases × \(options.rounds) rounds of ~\(options.batchMillis) ms"
    )
    report.staples = suite.cases.run { log("staples: \($0)") }
    report.rounds = options.rounds
}

if options.sections.contains("handshakes") || options.sections.contains("fleet") {
    let identity = try ServerIdentity(fixtures[0])
    defer { identity.remove() }
    if options.sections.contains("handshakes") {
        let bench = HandshakeBench(
            identity: identity,
            rounds: options.handshakeRounds,
            perRound: options.handshakesPerRound,
            modes: options.handshakeModes
        )
        report.handshakes = try await bench.run()
        report.handshakeRounds = options.handshakeRounds
        report.handshakesPerRound = options.handshakesPerRound
    }
    if options.sections.contains("fleet") {
        let staple =
            options.staple
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "staple"
            ).path
        guard FileManager.default.isExecutableFile(atPath: staple) else {
            throw BenchError("no staple executable at \(staple) (build it, or pass --staple)")
        }
        log(
            "fleet: staple check over \(options.fleetTargets) loopback targets at concurrency \(options.fleetConcurrency)"
        )
        report.fleet = try FleetBench(
            identity: identity,
            staple: staple,
            targets: options.fleetTargets,
            concurrency: options.fleetConcurrency
        ).run()
        report.fleetTargets = options.fleetTargets
        report.fleetConcurrency = options.fleetConcurrency
    }
}

report.print()
