import Foundation
import StapleVerifier

/// The staple-verification cases, for each key type and staple kind:
/// - `ours` (a-verify): `StapleEngine(policy: .firefox, verdictCache: nil).evaluate(prepared:staple:at:)`
///   with a ``PreparedChain`` made once — parse the staple, find the signer, check the signature,
///   CertID, times, and the policy's decision (the whole Verdict);
/// - `ours_cold`: the same on a prepared chain that remembers nothing from earlier staples (issuer
///   key object, CertID hashes, delegated signer): the first staple of a chain;
/// - `ours_full` (a-full): `evaluate(chainDER:staple:at:)` with the same verifier (no chain cache) —
///   `ours_cold` plus reading the two chain certificates and checking the link between them (one
///   more signature);
/// - `openssl` (b): ``OpenSSLStapleCheck`` on the same bytes, issuer and leaf parsed beforehand;
/// - `signature` (c): ``RawSignatureCheck``, the staple's one signature with swift-crypto.
/// Plus `cache_hit`: `evaluate(chainDER:staple:at:)` answered by the default verdict cache.
/// Every input is handed over as a fresh copy of its bytes, as a handshake would.
struct StapleSuite {
    var cases: Interleaved
    /// Kept alive for the closures.
    private var checks: [OpenSSLStapleCheck] = []

    final class Rotation {
        private var copies: Copies
        init(_ bytes: [UInt8]) { copies = Copies(bytes) }
        func take() -> [UInt8] { copies.take() }
    }

    init(fixtures: [StapleFixture], rounds: Int, batchMillis: Double) {
        cases = Interleaved(rounds: rounds, batchMillis: batchMillis)
        for f in fixtures {
            let kt = f.keyType.rawValue
            let time = f.time
            let uncached = StapleEngine(policy: .firefox, verdictCache: nil, chainCache: nil)
            let prepared = try! PreparedChain(der: f.chain)
            let leafCopies = Rotation(f.leaf)
            let issuerCopies = Rotation(f.pki.intermediate)
            let openssl = OpenSSLStapleCheck(leaf: f.leaf, issuer: f.pki.intermediate)
            checks.append(openssl)
            for kind in StapleFixture.Kind.allCases {
                let staple = Rotation(f.staples[kind]!)
                let name = "\(kt).\(kind.rawValue)"
                cases.add("\(name).ours") {
                    uncached.evaluate(prepared: prepared, staple: staple.take(), at: time).isAccepted
                }
                cases.add("\(name).ours_cold") {
                    uncached.evaluate(prepared: prepared.forgettingStaples(), staple: staple.take(), at: time)
                        .isAccepted
                }
                cases.add("\(name).ours_full") {
                    (try? uncached.evaluate(
                        chainDER: [leafCopies.take(), issuerCopies.take()],
                        staple: staple.take(),
                        at: time
                    ))?.isAccepted ?? false
                }
                cases.add("\(name).openssl") { openssl.verify(staple.take()) }
                let raw = RawSignatureCheck(staple: f.staples[kind]!, key: f.signerKey(kind))
                cases.add("\(name).signature", raw.verifyOnce)
            }
            let cachedVerifier = StapleEngine(policy: .firefox)
            let staple = Rotation(f.staples[.direct]!)
            cases.add("\(kt).cache_hit") {
                (try? cachedVerifier.evaluate(
                    chainDER: [leafCopies.take(), issuerCopies.take()],
                    staple: staple.take(),
                    at: time
                ))?.reusedFromCache ?? false
            }
            // Fill the cache before the first timed call (the check run is not a hit).
            _ = try? cachedVerifier.evaluate(chainDER: f.chain, staple: f.staples[.direct]!, at: time)
        }
    }
}
