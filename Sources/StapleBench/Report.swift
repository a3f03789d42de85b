import COpenSSL
import Foundation

struct MachineInfo: Codable {
    var cpu: String
    var cores: Int
    var loadAverageAtStart: String
    var openSSL: String

    static func current() -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) }
            ?? "?"
        let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ")
            .prefix(3).joined(separator: " ")
        return MachineInfo(
            cpu: model,
            cores: ProcessInfo.processInfo.activeProcessorCount,
            loadAverageAtStart: load,
            openSSL: String(cString: OpenSSL_version(OPENSSL_VERSION))
        )
    }
}

/// The table and the closing JSON line.
struct Report {
    var machine: MachineInfo
    var staples: [String: Stats] = [:]
    var rounds = 0
    var handshakes: [String: HandshakeStats] = [:]
    var handshakeRounds = 0
    var handshakesPerRound = 0
    var fleet: FleetBench.Result?
    var fleetTargets = 0
    var fleetConcurrency = 0

    private func median(_ name: String) -> Double? { staples[name]?.median }

    /// Per-round paired ratios a/b (both measured in the same round): their range.
    private func pairedRange(_ a: String, _ b: String) -> (Double, Double)? {
        guard let x = staples[a]?.values, let y = staples[b]?.values, x.count == y.count, !x.isEmpty else { return nil }
        let r = zip(x, y).map { $0 / $1 }
        return (r.min()!, r.max()!)
    }

    private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    func print() {
        var out = ""
        var json: [String: Any] = ["schema": "swift-must-staple/bench/1"]
        var keys: [(String, String, String, Bool)] = []  // key, value, target, met

        if !staples.isEmpty {
            out +=
                "Staple verification — CPU ns per verification (measuring thread), median of \(rounds) interleaved rounds [min–max]\n"
            out +=
                "  ours (a-verify): evaluate(prepared:) on a chain prepared once · cold: nothing kept from earlier staples · a-full: evaluate(chainDER:), no caches · OpenSSL (b) · signature (c)\n\n"
            out +=
                pad("case", 16) + pad("ours (a)", 26) + pad("ours, cold chain", 26) + pad("ours+chain (a-full)", 26)
                + pad("OpenSSL (b)", 26) + pad("signature (c)", 26)
                + pad("a÷c", 7) + pad("b÷a", 7) + "\n"
            for kt in ["ecdsa", "rsa"] {
                for kind in StapleFixture.Kind.allCases {
                    let n = "\(kt).\(kind.rawValue)"
                    guard let a = staples["\(n).ours"], let cold = staples["\(n).ours_cold"],
                        let f = staples["\(n).ours_full"], let b = staples["\(n).openssl"],
                        let c = staples["\(n).signature"]
                    else { continue }
                    func cell(_ s: Stats) -> String {
                        "\(formatNanos(s.median)) [\(formatNanos(s.min))–\(formatNanos(s.max))]"
                    }
                    out +=
                        pad("\(kt) \(kind.rawValue)", 16) + pad(cell(a), 26) + pad(cell(cold), 26) + pad(cell(f), 26)
                        + pad(cell(b), 26) + pad(cell(c), 26)
                        + pad(String(format: "%.2f", a.median / c.median), 7)
                        + pad(String(format: "%.2f", b.median / a.median), 7) + "\n"
                }
            }
            for kt in ["ecdsa", "rsa"] {
                if let h = staples["\(kt).cache_hit"] {
                    out +=
                        "\nverdict-cache hit (\(kt), evaluate(chainDER:) on fresh copies of the same bytes): \(formatNanos(h.median)) [\(formatNanos(h.min))–\(formatNanos(h.max))]"
                }
            }
            out += "\n"
            // Keys.
            for kt in ["ecdsa", "rsa"] {
                let sigTarget = kt == "ecdsa" ? (1.2, 2.3) : (1.5, 2.6)
                for (kind, target) in [("direct", sigTarget.0), ("delegated", sigTarget.1)] {
                    let n = "\(kt).\(kind)"
                    guard let a = median("\(n).ours"), let c = median("\(n).signature") else { continue }
                    let ratio = a / c
                    var o: [String: Any] = [
                        "ratio": round3(ratio), "ours_ns": a.rounded(), "signature_ns": c.rounded(),
                        "ours_full_ns": (median("\(n).ours_full") ?? .nan).rounded(),
                        "ours_cold_ns": (median("\(n).ours_cold") ?? .nan).rounded(),
                        "cold_ratio": round3((median("\(n).ours_cold") ?? .nan) / c),
                        "target": "<= \(target)", "met": ratio <= target,
                    ]
                    if let r = pairedRange("\(n).ours", "\(n).signature") {
                        o["ratio_range"] = [round3(r.0), round3(r.1)]
                    }
                    json["\(n).vs_signature"] = o
                    keys.append(("\(n).vs_signature", String(format: "%.2f", ratio), "≤ \(target)", ratio <= target))
                }
                for (kind, target) in [("embedded", 1.5), ("direct", 1.0)] {
                    let n = "\(kt).\(kind)"
                    guard let a = median("\(n).ours"), let b = median("\(n).openssl") else { continue }
                    let ratio = b / a
                    var o: [String: Any] = [
                        "ratio": round3(ratio), "ours_ns": a.rounded(), "openssl_ns": b.rounded(),
                        "ours_full_ns": (median("\(n).ours_full") ?? .nan).rounded(),
                        "ours_cold_ns": (median("\(n).ours_cold") ?? .nan).rounded(),
                        "target": ">= \(target)", "met": ratio >= target,
                    ]
                    if let r = pairedRange("\(n).openssl", "\(n).ours") {
                        o["ratio_range"] = [round3(r.0), round3(r.1)]
                    }
                    json["\(n).speedup_vs_openssl"] = o
                    keys.append(
                        ("\(n).speedup_vs_openssl", String(format: "%.2f", ratio), "≥ \(target)", ratio >= target)
                    )
                }
            }
            if let h = staples["ecdsa.cache_hit"] {
                json["cache_hit_ns"] = [
                    "value": h.median.rounded(), "min": h.min.rounded(), "max": h.max.rounded(),
                    "rsa": (staples["rsa.cache_hit"]?.median ?? .nan).rounded(), "target": "<= 2000",
                    "met": h.median <= 2000,
                ]
                keys.append(("cache_hit_ns", String(format: "%.0f", h.median), "≤ 2000", h.median <= 2000))
            }
            var cases: [String: Any] = [:]
            for (name, s) in staples {
                cases[name] = ["median_ns": s.median.rounded(), "min_ns": s.min.rounded(), "max_ns": s.max.rounded()]
            }
            json["cases"] = cases
            json["rounds"] = rounds
        }

        if !handshakes.isEmpty {
            out +=
                "\nLoopback TLS 1.3 handshakes (ECDSA P-256, must-staple leaf, Good staple), one at a time; median of \(handshakeRounds) rounds × \(handshakesPerRound) [min–max]\n\n"
            out +=
                pad("client", 34) + pad("handshakes/s", 28) + pad("client CPU µs/handshake", 28)
                + pad("engine CPU µs/handshake", 26) + "\n"
            var hs: [String: Any] = [:]
            for mode in HandshakeBench.modes {
                guard let s = handshakes[mode] else { continue }
                let rate = Stats(values: s.perSecond)
                let cpu = Stats(values: s.clientCPUMicros)
                out +=
                    pad(mode, 34) + pad(String(format: "%.0f [%.0f–%.0f]", rate.median, rate.min, rate.max), 28)
                    + pad(String(format: "%.0f [%.0f–%.0f]", cpu.median, cpu.min, cpu.max), 28)
                let engine = Stats(values: s.engineCPUMicros)
                out +=
                    (s.engineCPUMicros.isEmpty
                        ? "—" : String(format: "%.1f [%.1f–%.1f]", engine.median, engine.min, engine.max)) + "\n"
                hs[mode] = [
                    "per_s": rate.median.rounded(), "per_s_range": [rate.min.rounded(), rate.max.rounded()],
                    "client_cpu_us": (cpu.median * 10).rounded() / 10,
                    "engine_cpu_us": s.engineCPUMicros.isEmpty ? -1 : (engine.median * 10).rounded() / 10,
                ]
            }
            if let with = handshakes["openssl+engine"], let without = handshakes["openssl"] {
                let w = Stats(values: with.perSecond).median
                let wo = Stats(values: without.perSecond).median
                let ratio = w / wo
                var o: [String: Any] = [
                    "ratio": round3(ratio), "with_engine_per_s": w.rounded(), "without_per_s": wo.rounded(),
                    "with_engine_client_cpu_us": (Stats(values: with.clientCPUMicros).median * 10).rounded() / 10,
                    "without_client_cpu_us": (Stats(values: without.clientCPUMicros).median * 10).rounded() / 10,
                    "target": ">= 0.9", "met": ratio >= 0.9, "modes": hs,
                ]
                if let nc = handshakes["openssl+engine(no verdict cache)"] {
                    o["no_verdict_cache_ratio"] = round3(Stats(values: nc.perSecond).median / wo)
                }
                if let nc = handshakes["openssl+engine(no caches)"] {
                    o["no_caches_ratio"] = round3(Stats(values: nc.perSecond).median / wo)
                }
                // Per-round ratios (both modes measured in the same round): their median and range.
                let paired = zip(with.perSecond, without.perSecond).map { $0 / $1 }
                if !paired.isEmpty {
                    let p = Stats(values: paired)
                    o["paired_ratio_median"] = round3(p.median)
                    o["ratio_range"] = [round3(p.min), round3(p.max)]
                }
                if let h = handshakes["handler"] {
                    o["handler_vs_openssl"] = round3(Stats(values: h.perSecond).median / wo)
                }
                json["handshake.with_engine_vs_without"] = o
                keys.append(("handshake.with_engine_vs_without", String(format: "%.2f", ratio), "≥ 0.9", ratio >= 0.9))
            }
        }

        if let f = fleet {
            out +=
                "\nstaple check over \(fleetTargets) loopback targets, \(f.flag) \(fleetConcurrency): wall \(String(format: "%.2f", f.wallSeconds)) s, "
                + "peak RSS \(String(format: "%.1f", f.peakRSSMiB)) MiB, failures \(f.failures), exit \(f.exitStatus), server handshakes \(f.serverHandshakes)\n"
            let common: [String: Any] = [
                "wall_s": round3(f.wallSeconds), "targets": fleetTargets, "concurrency": fleetConcurrency,
                "flag": f.flag,
                "exit": f.exitStatus,
            ]
            json["fleet.peak_rss_mb"] = common.merging([
                "value": (f.peakRSSMiB * 10).rounded() / 10, "target": "< 150", "met": f.peakRSSMiB < 150,
            ]) { a, _ in a }
            json["fleet.failures"] = common.merging(["value": f.failures, "target": "0", "met": f.failures == 0]) {
                a,
                _ in a
            }
            keys.append(("fleet.peak_rss_mb", String(format: "%.1f", f.peakRSSMiB), "< 150", f.peakRSSMiB < 150))
            keys.append(("fleet.failures", "\(f.failures)", "0", f.failures == 0))
        }

        if !keys.isEmpty {
            out += "\nTargets\n"
            for (key, value, target, met) in keys {
                out += "  " + pad(key, 38) + pad(value, 10) + pad(target, 9) + (met ? "met" : "MISSED") + "\n"
            }
        }
        if let data = try? JSONEncoder().encode(machine), let m = try? JSONSerialization.jsonObject(with: data) {
            json["machine"] = m
        }
        let line =
            (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])).map {
                String(decoding: $0, as: UTF8.self)
            } ?? "{}"
        Swift.print(out)
        Swift.print(line)
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
