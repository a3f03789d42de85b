import Foundation
import StapleTestSupport
import Testing

/// `staple check --shards N --shard K --seed S` splits a fleet into disjoint shards whose union is
/// the list, the same on every machine; `--format csv` has a fixed header and one row per target.
@Suite struct ShardsAndCSVTests {
    /// 40 targets on which nothing listens (port 1 of 40 loopback addresses): each fails at once.
    static let targets = (1...40).map { "127.0.0.\($0):1" }

    func shard(_ k: Int, of n: Int, seed: String? = nil) async throws -> [String] {
        var args = ["check", "--format", "csv", "--quiet", "--concurrency", "1", "--timeout", "5"]
        args += ["--shards", "\(n)", "--shard", "\(k)"] + (seed.map { ["--seed", $0] } ?? [])
        let r = try await StapleCLI.run(args, stdin: Self.targets.joined(separator: "\n") + "\n")
        #expect(r.exitCode == (r.stdout.split(separator: "\n").count > 1 ? 3 : 0), "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("target,exit_code,verdict,error,") == true)
        return lines.dropFirst().map { String($0.split(separator: ",")[0]) }
    }

    @Test("shards are disjoint, their union is the list, and each is the same every time")
    func shardsPartitionTheList() async throws {
        for seed in [nil, "7"] {
            var parts: [[String]] = []
            for k in 0..<3 { parts.append(try await shard(k, of: 3, seed: seed)) }
            let all = parts.flatMap { $0 }
            #expect(all.count == Self.targets.count)
            #expect(Set(all) == Set(Self.targets))
            #expect(parts.allSatisfy { (13...14).contains($0.count) })
            #expect(
                try await shard(1, of: 3, seed: seed) == parts[1],
                "the same seed gives the same shard, in the same order"
            )
        }
        #expect(try await shard(0, of: 3) != shard(0, of: 3, seed: "7"), "another seed, another order")
        #expect(try await shard(0, of: 1) != Self.targets, "one shard is the whole list, in the shared order")
        #expect(Set(try await shard(0, of: 1)) == Set(Self.targets))
    }

    @Test("more shards than targets: some are empty, and an empty shard succeeds")
    func emptyShard() async throws {
        var parts: [StapleCLI.Result] = []
        for k in 0..<8 {
            parts.append(
                try await StapleCLI.run([
                    "check", "--format", "csv", "--quiet", "--shards", "8", "--shard", "\(k)", "127.0.0.1:1",
                ])
            )
        }
        #expect(parts.filter { $0.exitCode == 3 }.count == 1, "the one target is in exactly one shard")
        #expect(parts.filter { $0.exitCode == 0 }.count == 7)
        #expect(parts.allSatisfy { $0.stdout.hasPrefix("target,exit_code,") }, "an empty shard still prints the header")
    }

    @Test(
        "shard options that cannot work are usage errors",
        arguments: [
            (["--shards", "3"], "--shards N and --shard K go together"),
            (["--shard", "0"], "--shards N and --shard K go together"),
            (["--shards", "3", "--shard", "3"], "--shard takes 0...2 with --shards 3 (shards are 0-indexed)"),
            (["--shards", "0", "--shard", "0"], "--shards takes 1...1000000"),
            (["--seed", "5"], "--seed goes with --shards N --shard K"),
        ]
    )
    func badShards(_ args: [String], _ message: String) async throws {
        let r = try await StapleCLI.run(["check", "127.0.0.1:1"] + args)
        #expect(r.exitCode == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test("csv: a failed connection's row, and verify's accepted and rejected rows")
    func csvRows() async throws {
        let failed = try await StapleCLI.run(["check", "--format", "csv", "--quiet", "127.0.0.1:1"])
        #expect(failed.exitCode == 3)
        let row = String(failed.stdout.split(separator: "\n").last ?? "")
        #expect(row.hasPrefix("127.0.0.1:1,3,failed,connectionRefused,,,,,,,,,,"), "\(row)")
        #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == 14)
        let good = try await StapleCLI.run([
            "verify", "--at", Files.at, "--chain", Files.path("chain.pem"), "--staple", Files.path("good.der"),
            "--format", "csv",
        ])
        #expect(good.exitCode == 0)
        let rows = good.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == 2)
        #expect(rows[0].count == rows[1].count, "every column present")
        #expect(rows[1][1] == "0" && rows[1][2] == "accepted" && rows[1][6] == "good" && rows[1][7] == "good")
        let must = try await StapleCLI.run([
            "verify", "--at", Files.at, "--chain", Files.path("must.pem"), "--format", "csv",
        ])
        #expect(must.exitCode == 1)
        #expect(must.stdout.contains(",1,rejected,MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING,true,false,none,"))
    }
}
