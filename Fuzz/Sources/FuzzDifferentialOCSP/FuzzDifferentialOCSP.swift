// libFuzzer entry point: an OCSP response built from the input — field by field (mode A,
// `ResponsePlan`) or as a raw tbsResponseData (mode B, `ResignedTBS`) — **signed**, then verified by
// the engine's `OCSPResponseVerifier` and by mozilla::pkix's `VerifyEncodedOCSPResponse` (the
// oracle of `make differential`). The same error (Firefox's name), the same `expired` and, where
// a status was read, the same thisUpdate and validThrough; or a documented difference. Anything
// else stops the process (docs/FUZZING.md).
import Foundation
import MozpkixOracleClient
import StapleForge
@testable import StapleVerifier

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../..").standardized.path
let testVectors = ProcessInfo.processInfo.environment["FUZZ_TESTVECTORS"] ?? repository + "/TestVectors"
nonisolated(unsafe) var pkis: [ForgePKI.KeyType: FuzzPKI] = [:]
nonisolated(unsafe) var oracle: MozpkixOracleClient!

@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
)
    -> CInt
{
    pkis = [.ecdsa: FuzzPKI(.ecdsa, testVectors: testVectors), .rsa: FuzzPKI(.rsa, testVectors: testVectors)]
    if let directory = ProcessInfo.processInfo.environment["FUZZ_WRITE_SEEDS"] {
        CorpusSeeds.write(to: directory, testVectors: testVectors, pkis: pkis)
        exit(0)
    }
    oracle = MozpkixOracleClient(path: MozpkixOracleClient.locate(repository: repository))
    return 0
}

/// `FUZZ_LIST_DISAGREEMENTS=1`: print each disagreement and go on (to triage a corpus with
/// `-runs=0`) instead of stopping.
let listOnly = ProcessInfo.processInfo.environment["FUZZ_LIST_DISAGREEMENTS"] != nil
/// `FUZZ_LIST_DISAGREEMENTS=DIR` (an existing directory): also write each such response there
/// (`.der`), with the input that made it (`.input`, a regression input once the cause is fixed).
let listDirectory = ProcessInfo.processInfo.environment["FUZZ_LIST_DISAGREEMENTS"].flatMap { path in
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
}

/// Answers that carry a status, and so thisUpdate and validThrough (firefox-policy §3.11).
let withTimes: Set<String> = [
    "SUCCESS", VerificationError.Code.revokedCertificate.name, VerificationError.Code.ocspUnknownCert.name,
    VerificationError.Code.ocspOldResponse.name,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var head = Choices(input.dropFirst().prefix(1))
    let pki = pkis[head.below(8) == 7 ? .rsa : .ecdsa]!
    let response: [UInt8]
    var policy = RevocationPolicy.firefox
    if input.first.map({ $0 & 1 == 1 }) ?? false {
        let built = ResignedTBS.response(input.dropFirst(), pki: pki)
        response = built.der
        policy.maxLifetimeDays = built.maxLifetimeDays
    } else {
        var choices = Choices(input.dropFirst(2))
        let plan = ResponsePlan(&choices, pki: pki)
        response = plan.response
        policy.maxLifetimeDays = plan.maxLifetimeDays
        policy.minRSABits = plan.minRSABits
        policy.sha1 = plan.sha1
    }
    let ours = OCSPResponseVerifier(
        endEntity: pki.parsedLeaf,
        issuer: pki.parsedIntermediate,
        time: FuzzPKI.t0,
        policy: policy
    )
    .verify(response)
    let theirs = oracle.verifyOCSP(
        issuer: pki.intermediate,
        subject: pki.leaf,
        time: FuzzPKI.t0,
        maxLifetimeDays: policy.maxLifetimeDays,
        minRSABits: policy.minRSABits,
        sha1Certificates: policy.sha1,
        response: response
    )
    let error = ours.error?.code.name ?? "SUCCESS"
    var agree = error == theirs.error && ours.expired == theirs.expired
    if agree, withTimes.contains(error) {
        agree = ours.thisUpdate == theirs.thisUpdate && ours.validThrough == theirs.validThrough
    }
    if !agree, KnownDifferences.covering(ours: ours, mozpkix: theirs.error) == nil {
        if listOnly {
            print("DISAGREE engine \(error) | mozpkix \(theirs.error) | \(ours.error?.reason.prefix(90) ?? "")")
            if let directory = listDirectory {
                let name = "\(directory)/\(error)-\(theirs.error)-\(response.hashValue & 0xFFFF_FFFF)"
                _ = FileManager.default.createFile(atPath: name + ".der", contents: Data(response))
                _ = FileManager.default.createFile(atPath: name + ".input", contents: Data(input))
            }
            return 0
        }
        fatalError(
            """
            the engine and mozpkix disagree on a signed response (\(pki.keyType.rawValue), \(response.count) bytes):
              engine:  \(error)\(ours.expired ? " expired" : "") thisUpdate=\(ours.thisUpdate.map(String.init) ?? "-") validThrough=\(ours.validThrough.map(String.init) ?? "-") — \(ours.error?.reason ?? "")
              mozpkix: \(theirs)
              notes: \(ours.notes.joined(separator: "; "))
              response: \(response.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
            """
        )
    }
    return 0
}
