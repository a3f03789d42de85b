// libFuzzer entry point: the bytes as a TLS Feature extension value (RFC 7633), then as a whole
// leaf certificate under the TestVectors ECDSA intermediate, with no staple (docs/FUZZING.md).
import Foundation
@testable import StapleVerifier
import SwiftASN1
import X509

/// TestVectors/, found from this file's path (or $FUZZ_TESTVECTORS).
let testVectors =
    ProcessInfo.processInfo.environment["FUZZ_TESTVECTORS"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../TestVectors")
    .standardized.path
let issuerDER: [UInt8] = {
    let path = testVectors + "/pki/ecdsa/int.pem"
    guard let pem = try? String(contentsOfFile: path, encoding: .utf8), let doc = try? PEMDocument(pemString: pem)
    else {
        fatalError("cannot read the issuer \(path) (set FUZZ_TESTVECTORS)")
    }
    return doc.derBytes
}()
let fixedDate = Date(timeIntervalSince1970: 1_780_315_200)  // 2026-06-01T12:00:00Z
let tlsFeatureOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 24]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    // 1. The extension value.
    if let f = try? TLSFeatures(Certificate.Extension(oid: tlsFeatureOID, critical: false, value: bytes[...])) {
        guard !f.elements.isEmpty, f.features.count == f.elements.count, f.rawValue == bytes,
            f.requiresStatusRequest == f.elements.contains([0x05])
        else {
            fatalError("inconsistent TLSFeatures: elements \(f.elements), features \(f.features)")
        }
    }

    // 2. The bytes as a leaf certificate, no staple, Firefox policy, the fetch refused.
    let verdicts: [Verdict]
    do {
        switch try StapleEngine().evaluate(chainDER: [bytes, issuerDER], staple: nil, at: fixedDate) {
        case .decided(let v): verdicts = [v]
        case .needsFetch(let p): verdicts = [p.bestCase, p.complete(with: .failed(.refused))]
        }
    } catch {
        return 0  // unreadable or unlinked: the documented StapleVerifierError
    }
    // Invariant: a leaf carrying a TLS Feature extension is never accepted without a staple.
    let leafHasTLSFeature = (try? Certificate(derEncoded: bytes))?.extensions[oid: tlsFeatureOID] != nil
    for v in verdicts where v.isAccepted && (leafHasTLSFeature || v.mustStaple.hasTLSFeature) {
        fatalError("accepted a leaf with a TLS Feature extension and no staple: \(v.explanation)")
    }
    return 0
}
