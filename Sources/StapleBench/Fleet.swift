import Foundation

/// `staple check` over many loopback targets: one in-process server listening on `targets` ports of
/// 127.0.0.1 (all stapling the same Good staple for the same must-staple certificate), one child
/// process `staple check --json --ca root.pem --servername localhost --at T <flag> N 127.0.0.1:p…`.
/// Wall time from spawn to exit; peak RSS from `wait4`'s rusage of that child alone; failures =
/// targets whose JSON line is not `"outcome":"accepted"` (plus any missing line).
struct FleetBench {
    let identity: ServerIdentity
    let staple: String
    let targets: Int
    let concurrency: Int

    struct Result {
        var wallSeconds: Double
        var peakRSSMiB: Double
        var failures: Int
        var exitStatus: Int32
        var flag: String
        var serverHandshakes: Int
    }

    /// The option that sets how many targets `staple check` checks at once.
    func concurrencyFlag() -> String { "--concurrency" }

    func run() throws -> Result {
        raiseFileLimit(to: targets + 512)
        let server = try BenchTLSServer(
            chainPEM: identity.chainPEM,
            keyPEM: identity.keyPEM,
            staple: identity.staple,
            portCount: targets,
            workers: 4
        )
        defer { server.stop() }
        let flag = concurrencyFlag()
        let at = String(Int64(identity.fixture.time.timeIntervalSince1970))
        let arguments =
            [
                staple, "check", "--json", "--ca", identity.rootPEM, "--servername", "localhost", "--at", at,
                flag, String(concurrency),
            ] + server.ports.map { "127.0.0.1:\($0)" }
        let output = identity.directory.appendingPathComponent("fleet.jsonl").path
        let start = monotonicNanos()
        let (status, usage) = try spawnAndWait(arguments, stdoutPath: output, stderrPath: output + ".stderr")
        let wall = Double(monotonicNanos() - start) / 1e9
        let lines = (try String(contentsOfFile: output, encoding: .utf8)).split(separator: "\n")
        let accepted = lines.filter { $0.contains("\"outcome\":\"accepted\"") }.count
        if let failed = lines.first(where: { !$0.contains("\"outcome\":\"accepted\"") }) {
            log("fleet: first target not accepted: \(failed.prefix(600))")
        }
        return Result(
            wallSeconds: wall,
            peakRSSMiB: Double(usage.ru_maxrss) / 1024,
            failures: targets - accepted,
            exitStatus: status,
            flag: flag,
            serverHandshakes: server.handshakes.load(ordering: .relaxed)
        )
    }
}

/// Raises the soft limit on open files (1,000 listeners plus the connections in flight).
func raiseFileLimit(to wanted: Int) {
    var limit = rlimit()
    getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    if limit.rlim_cur < rlim_t(wanted) {
        limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }
}

/// posix_spawn + wait4: the child's exit status and its own rusage (ru_maxrss in KiB).
func spawnAndWait(_ arguments: [String], stdoutPath: String? = nil, stderrPath: String? = nil) throws -> (Int32, rusage)
{
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdoutPath {
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    }
    if let stderrPath {
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    }
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
    guard rc == 0 else { throw BenchError("cannot start \(arguments[0]): error \(rc)") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        guard errno == EINTR else { throw BenchError("wait4: errno \(errno)") }
    }
    let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (exitCode, usage)
}
