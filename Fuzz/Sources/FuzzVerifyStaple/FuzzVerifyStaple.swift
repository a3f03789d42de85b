// libFuzzer entry point: the whole verification of the bytes as the staple for a fixed must-staple
// chain (TestVectors/pki/ecdsa/chain-ee-must-staple.pem), Firefox policy, 2026-06-01T12:00:00Z, the
// fallback fetch refused. The invariant below is enforced with fatalError (docs/FUZZING.md).
import Foundation
import MozpkixOracleClient
@testable import StapleVerifier
import SwiftASN1

/// TestVectors/, found from this file's path (or $FUZZ_TESTVECTORS).
let testVectors =
    ProcessInfo.processInfo.environment["FUZZ_TESTVECTORS"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../TestVectors")
    .standardized.path
let chainDER: [[UInt8]] = {
    let path = testVectors + "/pki/ecdsa/chain-ee-must-staple.pem"
    guard let pem = try? String(contentsOfFile: path, encoding: .utf8),
        let docs = try? PEMDocument.parseMultiple(pemString: pem), docs.count >= 2
    else {
        fatalError("cannot read the chain \(path) (set FUZZ_TESTVECTORS)")
    }
    return docs.map(\.derBytes)
}()
let fixedDate = Date(timeIntervalSince1970: 1_780_315_200)  // 2026-06-01T12:00:00Z
/// mozilla::pkix (the oracle of `make differential`), asked about every staple the engine accepts.
let oracle = MozpkixOracleClient(
    path: MozpkixOracleClient.locate(repository: testVectors + "/..")
)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let staple = Array(UnsafeBufferPointer(start: data, count: size))
    let verdict: Verdict
    do {
        switch try StapleEngine(policy: .firefox).evaluate(chainDER: chainDER, staple: staple, at: fixedDate) {
        case .decided(let v): verdict = v
        case .needsFetch(let p): verdict = p.complete(with: .failed(.refused))
        }
    } catch {
        fatalError("the fixed chain was refused because of the staple: \(error)")  // staples never throw
    }
    guard verdict.isAccepted == (verdict.error == nil), verdict.staple.present, verdict.mustStaple.applied else {
        fatalError("inconsistent verdict: \(verdict.explanation)")
    }
    guard verdict.isAccepted else { return 0 }

    // Accepted: the engine must say the staple verified Good and fresh…
    guard verdict.staple.result == .success, verdict.staple.status == .good, verdict.staple.certStatus == .good,
        let validThrough = verdict.staple.validThrough, validThrough >= fixedDate
    else {
        fatalError(
            "must-staple leaf accepted without a fresh Good staple: \(verdict.explanation) [result \(verdict.staple.result?.name ?? "nil"), status \(verdict.staple.status)]"
        )
    }
    // …and the bytes must be, read again through the parse API, a well-formed successful response
    // with a Good SingleResponse for the leaf's serial.
    guard let response = try? OCSPResponse(derEncoded: staple), response.status == .successful,
        let data = try? response.basic?.responseData(),
        data.responses.contains(where: {
            (try? $0.details())?.certStatus == .good && leafSerial.elementsEqual($0.certID.serialNumber)
        })
    else {
        fatalError("accepted a staple that is not a well-formed Good response for the leaf: \(verdict.explanation)")
    }
    // …and mozilla::pkix must accept it too, fresh, at the same time and under the same limits.
    let policy = RevocationPolicy.firefox
    let mozpkix = oracle.verifyOCSP(
        issuer: chainDER[1],
        subject: chainDER[0],
        time: Int64(fixedDate.timeIntervalSince1970),
        maxLifetimeDays: policy.maxLifetimeDays,
        minRSABits: policy.minRSABits,
        sha1Certificates: policy.sha1,
        response: staple
    )
    guard mozpkix.error == "SUCCESS", !mozpkix.expired else {
        fatalError("the engine accepted a staple that mozilla::pkix refuses: \(mozpkix) [\(verdict.explanation)]")
    }
    return 0
}

/// The leaf's serial number content octets, read from the DER (tbsCertificate's first INTEGER).
let leafSerial: [UInt8] = {
    guard let cert = try? DER.parse(chainDER[0]), case .constructed(let top) = cert.content,
        let tbs = top.first(where: { _ in true }), case .constructed(let fields) = tbs.content,
        let serial = fields.first(where: { $0.identifier == .integer }), case .primitive(let bytes) = serial.content
    else {
        fatalError("cannot read the leaf's serial number")
    }
    return Array(bytes)
}()
