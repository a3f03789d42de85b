import StapleVectors
import Foundation
import StapleTestSupport
import StapleForge
@testable import StapleVerifier

/// Every test runs at one pinned time: T0 = 2026-06-01T12:00:00Z. Certificates are valid from
/// 2026-01-01 to 2027-01-01. Nothing reads the wall clock.
enum Fixture {
    static let t0: Int64 = 1_780_315_200
    static let date = Date(timeIntervalSince1970: TimeInterval(t0))
    static let day: Int64 = 86_400
    static let notBefore: Int64 = 1_767_225_600
    static let notAfter: Int64 = 1_798_761_600

    static let ecdsa = ForgePKI(keyType: .ecdsa, notBefore: notBefore, notAfter: notAfter)
    static let rsa = ForgePKI(keyType: .rsa, notBefore: notBefore, notAfter: notAfter)
    /// An unrelated CA, for "good-other-ca" and "signer issued by someone else".
    static let otherECDSA = ForgePKI(keyType: .ecdsa, notBefore: notBefore, notAfter: notAfter, label: "Other")
    static let otherRSA = ForgePKI(keyType: .rsa, notBefore: notBefore, notAfter: notAfter, label: "Other")

    static func pki(_ type: ForgePKI.KeyType) -> ForgePKI { type == .ecdsa ? ecdsa : rsa }
    static func other(_ type: ForgePKI.KeyType) -> ForgePKI { type == .ecdsa ? otherECDSA : otherRSA }

    /// A second key of the same type, for delegated responders.
    static let responderKeyECDSA = ForgeKey.p256()
    static let responderKeyRSA = ForgeKey.rsa()
    static func responderKey(_ type: ForgePKI.KeyType) -> ForgeKey {
        type == .ecdsa ? responderKeyECDSA : responderKeyRSA
    }

    static let mustStapleExtension = ForgeExtension.tlsFeature([5])

    static func plainLeaf(_ type: ForgePKI.KeyType) -> [UInt8] { type == .ecdsa ? plainECDSA : plainRSA }
    static func mustStapleLeaf(_ type: ForgePKI.KeyType) -> [UInt8] { type == .ecdsa ? mustStapleECDSA : mustStapleRSA }
    private static let plainECDSA = ecdsa.leaf()
    private static let plainRSA = rsa.leaf()
    private static let mustStapleECDSA = ecdsa.leaf(serial: [0x10, 0x02], extraExtensions: [mustStapleExtension])
    private static let mustStapleRSA = rsa.leaf(serial: [0x10, 0x02], extraExtensions: [mustStapleExtension])

    /// A fresh Good response: thisUpdate one hour ago, nextUpdate in three days.
    static func good(_ pki: ForgePKI, _ leaf: [UInt8]) -> ResponseForge {
        pki.response(for: leaf, thisUpdate: t0 - 3600, nextUpdate: t0 + 3 * day)
    }

    /// An expired Good response: its window ended more than a day (the slop) ago.
    static func expired(_ pki: ForgePKI, _ leaf: [UInt8], status: ResponseForge.Status = .good) -> ResponseForge {
        pki.response(for: leaf, status: status, thisUpdate: t0 - 5 * day, nextUpdate: t0 - 2 * day)
    }
}

/// The result of one verification through the whole engine, with the scripted responder's requests.
struct Run {
    let verdict: Verdict
    let requests: Int
    var error: String? { verdict.error?.code.name }
    var accepted: Bool { verdict.isAccepted }
}

func run(
    _ pki: ForgePKI,
    leaf: [UInt8],
    staple: [UInt8]?,
    policy: RevocationPolicy = .firefox,
    at time: Int64 = Fixture.t0,
    responder: [ScriptedFetcher.Answer] = [.httpStatus(500)],
    cache: OCSPCache = OCSPCache(),
    chain: [[UInt8]]? = nil,
    builtInRoots: BuiltInRoots = .none
) async throws -> Run {
    let fetcher = ScriptedFetcher(responder)
    var engine = StapleEngine(policy: policy, cache: cache)
    engine.builtInRoots = builtInRoots
    let verdict =
        try await engine
        .verify(
            chainDER: chain ?? pki.chain(leaf),
            staple: staple,
            at: Date(timeIntervalSince1970: TimeInterval(time)),
            fetcher: fetcher
        )
    return Run(verdict: verdict, requests: fetcher.requests.count)
}

/// Verifies one response alone (mozpkix `VerifyEncodedOCSPResponse`), without the policy around it.
func verifyResponse(
    _ pki: ForgePKI,
    leaf: [UInt8],
    _ der: [UInt8],
    at time: Int64 = Fixture.t0,
    policy: RevocationPolicy = .firefox
) throws -> OCSPResponseVerifier.Outcome {
    let ee = try ParsedCertificate(der: leaf)
    let issuer = try ParsedCertificate(der: pki.intermediate)
    return OCSPResponseVerifier(endEntity: ee, issuer: issuer, time: time, policy: policy).verify(der)
}

extension RevocationPolicy {
    func with(_ settings: String...) -> RevocationPolicy {
        var p = self
        try! p.apply(settings)
        return p
    }
}

extension StapleEngine.Evaluation {
    /// The verdict, completing a pending fetch as if the responder refused the connection.
    var verdictWithResponderDown: Verdict {
        switch self {
        case .decided(let verdict): return verdict
        case .needsFetch(let pending): return pending.complete(with: .failed(.refused))
        }
    }
}
