// libFuzzer entry point: the public OCSP parse API on arbitrary bytes (docs/FUZZING.md).
// Any Swift trap (index out of range, overflow, force-unwrap) or ASan report is a finding;
// a thrown VerificationError is the expected answer to bad input.
@testable import StapleVerifier

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let response = try? OCSPResponse(derEncoded: bytes) else { return 0 }
    // A parsed response is a successful one with its BasicOCSPResponse (OCSPResponse.swift).
    guard response.status == .successful, let basic = response.basic, bytes.count <= OCSPResponse.maximumSize else {
        fatalError(
            "OCSPResponse parsed with status \(response.status), basic \(response.basic == nil ? "absent" : "present"), \(bytes.count) bytes"
        )
    }
    _ = (basic.signatureAlgorithmOID, basic.responderID.kind, basic.certificates.count)
    guard basic.certificates.count <= BasicOCSPResponse.maximumCertificates else {
        fatalError("more than 8 certificates kept")
    }
    guard let data = try? basic.responseData() else { return 0 }
    guard !data.responses.isEmpty, data.responses.count <= SingleResponse.maximumCount else {
        fatalError("ResponseData parsed with \(data.responses.count) SingleResponses")
    }
    for single in data.responses {
        _ = (single.certID.hash, single.certID.hashAlgorithmOID, single.certID.serialNumber.count)
        if let details = try? single.details() {
            _ = (details.certStatus, details.thisUpdate, details.nextUpdate, details.extensions.count)
        }
    }
    return 0
}
