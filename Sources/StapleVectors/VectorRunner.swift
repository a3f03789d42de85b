import Foundation
import StapleVerifier

/// Runs manifest cases through the engine and compares with their expectations.
public struct VectorRunner: Sendable {
    public let manifest: VectorManifest

    public init(manifest: VectorManifest) { self.manifest = manifest }

    /// What one case produced, and where it differs from what was expected.
    public struct Outcome: Sendable {
        public let testCase: VectorCase
        public let verdict: Verdict?
        public let requests: Int
        /// Empty when the case passed.
        public let mismatches: [String]
        public var passed: Bool { mismatches.isEmpty }

        public var got: String {
            guard let verdict else { return "error" }
            return verdict.isAccepted ? "accepted" : (verdict.error?.code.name ?? "rejected")
        }
    }

    public func run(_ c: VectorCase) async -> Outcome {
        do {
            return try await evaluate(c)
        } catch {
            return Outcome(testCase: c, verdict: nil, requests: 0, mismatches: ["could not run: \(error)"])
        }
    }

    func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: manifest.directory.appendingPathComponent(path)))
    }

    func evaluate(_ c: VectorCase) async throws -> Outcome {
        guard let preset = RevocationPolicy.Preset(rawValue: c.preset) else {
            throw VectorManifest.LoadError(description: "unknown preset \(c.preset)")
        }
        var policy = RevocationPolicy.preset(preset)
        try policy.apply(c.settings)
        let chain = try PEM.certificates(read(c.chain))
        let staple = try c.staple.map(read)
        guard let time = ISO8601DateFormatter().date(from: c.time) else {
            throw VectorManifest.LoadError(description: "bad time \(c.time)")
        }
        let answers: [ScriptedFetcher.Answer] = try c.responder.map {
            switch $0 {
            case .response(let path): return .response(try read(path))
            case .http(let s): return .httpStatus(s)
            case .timeout: return .timeout
            case .refused: return .refused
            }
        }
        let fetcher = ScriptedFetcher(answers)
        let verdict = try await StapleEngine(policy: policy).verify(
            chainDER: chain,
            staple: staple,
            at: time,
            fetcher: fetcher
        )
        let requests = fetcher.requests.count
        var m: [String] = []
        let e = c.expect
        if verdict.decision.rawValue != e.verdict {
            m.append("verdict: expected \(e.verdict), got \(verdict.decision.rawValue)")
        }
        if verdict.error?.code.name != e.error {
            m.append("error: expected \(e.error ?? "null"), got \(verdict.error?.code.name ?? "null")")
        }
        if let s = e.stapleStatus, s != verdict.staple.status.rawValue {
            m.append("stapleStatus: expected \(s), got \(verdict.staple.status.rawValue)")
        }
        if let r = e.stapleResult, r != verdict.staple.result?.name {
            m.append("stapleResult: expected \(r ?? "null"), got \(verdict.staple.result?.name ?? "null")")
        }
        if let n = e.requests, n != requests { m.append("requests: expected \(n), got \(requests)") }
        return Outcome(testCase: c, verdict: verdict, requests: requests, mismatches: m)
    }
}

/// PEM certificate blocks, leaf first.
enum PEM {
    static func certificates(_ bytes: [UInt8]) throws -> [[UInt8]] {
        let text = String(decoding: bytes, as: UTF8.self)
        var result: [[UInt8]] = []
        for part in text.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst() {
            guard let end = part.range(of: "-----END CERTIFICATE-----"),
                let der = Data(base64Encoded: part[..<end.lowerBound].filter { !$0.isWhitespace })
            else {
                throw VectorManifest.LoadError(description: "a PEM certificate block is malformed")
            }
            result.append([UInt8](der))
        }
        guard !result.isEmpty else { throw VectorManifest.LoadError(description: "no PEM certificate") }
        return result
    }
}
