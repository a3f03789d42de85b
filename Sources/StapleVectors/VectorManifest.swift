import Foundation
import StapleVerifier

/// A test-vector manifest (`TestVectors/manifest.json`, schema `swift-must-staple/vectors/1`,
/// docs/CONTRACT.md): cases of (chain, staple, time, policy, scripted responder) → expected verdict.
public struct VectorManifest: Sendable {
    public static let schema = "swift-must-staple/vectors/1"

    public let directory: URL
    public let cases: [VectorCase]

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw LoadError(description: "manifest '\(url.path)': cannot be read (\(error.localizedDescription))")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw LoadError(description: "manifest '\(url.path)': not a JSON object")
        }
        guard root["schema"] as? String == Self.schema else {
            throw LoadError(
                description:
                    "manifest '\(url.path)': schema is '\(root["schema"] ?? "missing")', expected '\(Self.schema)'"
            )
        }
        guard let list = root["cases"] as? [[String: Any]] else {
            throw LoadError(description: "manifest '\(url.path)': no 'cases' array")
        }
        self.directory = url.deletingLastPathComponent()
        var cases: [VectorCase] = []
        for (i, raw) in list.enumerated() {
            do { cases.append(try VectorCase(raw)) } catch {
                throw LoadError(
                    description: "manifest '\(url.path)': case \(i + 1) (\(raw["name"] ?? "unnamed")): \(error)"
                )
            }
        }
        let names = Set(cases.map(\.name))
        guard names.count == cases.count else {
            throw LoadError(description: "manifest '\(url.path)': case names are not unique")
        }
        self.cases = cases
    }
}

/// One case of a manifest.
public struct VectorCase: Sendable, CustomStringConvertible {
    public let name: String
    public let category: String
    public let summary: String
    public let chain: String
    /// nil: no staple.
    public let staple: String?
    public let time: String
    public let preset: String
    /// Overrides as `KEY=VALUE`, in the manifest's order.
    public let settings: [String]
    public let responder: [Answer]
    public let expect: Expectation

    public enum Answer: Sendable, Equatable {
        case response(String)
        case http(Int)
        case timeout
        case refused
    }

    public struct Expectation: Sendable, Equatable {
        public var verdict: String
        public var error: String?
        /// nil: not checked.
        public var stapleStatus: String?
        /// `.some(nil)`: expected null; nil: not checked.
        public var stapleResult: String??
        public var requests: Int?
    }

    public var description: String { name }

    struct FieldError: Error, CustomStringConvertible { let description: String }

    /// A policy override's value: a JSON boolean, number or string (also how the contract tests
    /// read a policy's JSON).
    package enum Scalar: Decodable {
        case bool(Bool)
        case int(Int)
        case string(String)

        package init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            // Bool first: JSONDecoder reads neither a number as a Bool nor a Bool as a number.
            if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let n = try? c.decode(Int.self) {
                self = .int(n)
            } else {
                self = .string(try c.decode(String.self))
            }
        }

        package var text: String {
            switch self {
            case .bool(let b): return String(b)
            case .int(let n): return String(n)
            case .string(let s): return s
            }
        }
    }

    init(_ raw: [String: Any]) throws {
        func string(_ key: String) throws -> String {
            guard let v = raw[key] as? String else { throw FieldError(description: "'\(key)' must be a string") }
            return v
        }
        name = try string("name")
        category = raw["category"] as? String ?? ""
        summary = raw["description"] as? String ?? ""
        chain = try string("chain")
        staple = raw["staple"] as? String
        time = try string("time")
        let policy = raw["policy"] as? [String: Any] ?? [:]
        preset = policy["preset"] as? String ?? "firefox"
        // Decoded with JSONDecoder, which keeps JSON's booleans and numbers apart (JSONSerialization's
        // NSNumber would turn `0` into `false`).
        let set = try JSONDecoder().decode(
            [String: Scalar].self,
            from: JSONSerialization.data(withJSONObject: policy["set"] ?? [String: Any]())
        )
        self.settings = set.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.text)" }
        var answers: [Answer] = []
        for a in raw["responder"] as? [[String: Any]] ?? [] {
            if let path = a["response"] as? String {
                answers.append(.response(path))
            } else if let status = a["http"] as? Int {
                answers.append(.http(status))
            } else if a["timeout"] as? Bool == true {
                answers.append(.timeout)
            } else if a["refused"] as? Bool == true {
                answers.append(.refused)
            } else {
                throw FieldError(description: "responder answer \(a) is not response/http/timeout/refused")
            }
        }
        responder = answers
        guard let e = raw["expect"] as? [String: Any], let verdict = e["verdict"] as? String else {
            throw FieldError(description: "'expect.verdict' is missing")
        }
        let stapleResult: String?? = e.keys.contains("stapleResult") ? .some(e["stapleResult"] as? String) : nil
        expect = Expectation(
            verdict: verdict,
            error: e["error"] as? String,
            stapleStatus: e["stapleStatus"] as? String,
            stapleResult: stapleResult,
            requests: e["requests"] as? Int
        )
    }
}
