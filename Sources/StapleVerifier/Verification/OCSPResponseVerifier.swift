import Crypto
import SwiftASN1

/// The equivalent of mozilla::pkix `VerifyEncodedOCSPResponse` (firefox-policy §3).
///
/// Order of work (RFC 6960 §3.2 lists what a client must check; the order is mozpkix's, which keeps
/// unverified bytes away from any decision — mozpkix verifies the signature before it reads the rest):
///  1. Envelope: size bound, responseStatus (non-successful → its error at once), responseBytes,
///     responseType = id-pkix-ocsp-basic.                                             firefox-policy §3.1–§3.2
///  2. BasicOCSPResponse: signed bytes, algorithm, signature BIT STRING, ≤ 8 certificates.  firefox-policy §3.3
///  3. ResponseData up to responderID: version, responderID.                               firefox-policy §3.4
///  4. Signer and signature: the issuer itself, or a delegated responder directly issued by it.
///     Nothing below is read before this succeeds.                                  firefox-policy §3.5–§3.6
///  5. producedAt (syntax only) and the SingleResponses: CertID match, certStatus, times,
///     single extensions; revoked > good > unknown.                                 firefox-policy §3.7–§3.10
///  6. Critical response extensions; no matching SingleResponse → RESPONSE_FOR_CERT_MISSING.
///  7. Final mapping: Good (not expired) → success; expired Good → OLD_RESPONSE; Revoked,
///     Unknown → their errors even when expired.                                          firefox-policy §3.11
struct OCSPResponseVerifier {
    let endEntity: ParsedCertificate
    let issuer: ParsedCertificate
    let time: EpochSeconds
    let maxLifetimeSeconds: EpochSeconds
    let slopSeconds: EpochSeconds
    let allowSHA1SignerCertificates: Bool
    let minRSABits: Int

    /// The issuer's key, its byKey hash and the CertID hashes, shared across verifications.
    let context: IssuerContext

    init(endEntity: ParsedCertificate, issuer: ParsedCertificate, time: EpochSeconds, policy: RevocationPolicy) {
        self.init(context: IssuerContext(endEntity: endEntity, issuer: issuer), time: time, policy: policy)
    }

    init(context: IssuerContext, time: EpochSeconds, policy: RevocationPolicy) {
        self.context = context
        self.endEntity = context.endEntity
        self.issuer = context.issuer
        self.time = time
        self.maxLifetimeSeconds = EpochSeconds(policy.maxLifetimeDays) * 86_400
        self.slopSeconds = EpochSeconds(policy.slopSeconds)
        self.allowSHA1SignerCertificates = policy.sha1
        self.minRSABits = policy.minRSABits
    }

    /// What verifying one response produced, as mozpkix's outputs: the result, `expired`, and the
    /// times of the (last) matching SingleResponse.
    struct Outcome: Sendable {
        var error: VerificationError?
        var expired = false
        var certStatus: CertStatus?
        var thisUpdate: EpochSeconds?
        var nextUpdate: EpochSeconds?
        var validThrough: EpochSeconds?
        var producedAt: EpochSeconds?
        var responseStatus: OCSPResponseStatus?
        var signer: SignerKind?
        /// The delegated signer's validity, which bounds how long this outcome holds.
        var signerValidity: ClosedRange<EpochSeconds>?
        var notes: [String] = []
    }

    func verify(_ bytes: [UInt8]) -> Outcome {
        var outcome = Outcome()
        do {
            try verify(bytes, into: &outcome)
        } catch {
            outcome.error = error
        }
        return outcome
    }

    private func verify(_ bytes: [UInt8], into outcome: inout Outcome) throws(VerificationError) {
        // Steps 1–3.
        let response: OCSPResponse
        do {
            response = try OCSPResponse(derEncoded: bytes)
        } catch {
            if bytes.count <= OCSPResponse.maximumSize, let status = try? OCSPResponse.peekStatus(bytes[...]) {
                outcome.responseStatus = status
            }
            throw error
        }
        outcome.responseStatus = response.status
        guard let basic = response.basic else {
            throw VerificationError(.ocspMalformedResponse, "successful response without a BasicOCSPResponse")
        }
        // Step 4.
        (outcome.signer, outcome.signerValidity) = try verifySignature(basic, notes: &outcome.notes)
        // Step 5.
        let data = try basic.responseData()
        outcome.producedAt = data.producedAtSeconds
        var status: CertStatus?
        // mozpkix sets its `expired` output only once the whole response has been read and a
        // match found (VerifyEncodedOCSPResponse): an error in a later field — an unknown critical
        // single extension, say — leaves the response *not* expired, so it cannot be tolerated as
        // an expired staple (firefox-policy §2.3, §3.10).
        var expired = false
        // The SCT list single extension, remembered across the matching SingleResponses (mozpkix
        // keeps one per response: a second is a duplicate) and read only for a fresh Good answer.
        var sctList: [UInt8]?
        for single in data.responses {
            guard try matches(single.certID) else { continue }
            var validThrough: EpochSeconds = 0
            let d = try single.details(
                afterThisUpdate: { thisUpdate throws(VerificationError) in
                    // firefox-policy §3.9: a response from the future (beyond the slop) is fatal.
                    if thisUpdate > time + slopSeconds {
                        throw VerificationError(
                            .ocspFutureResponse,
                            "thisUpdate \(Timestamp(thisUpdate)) is more than \(slopSeconds) s after the verification time \(Timestamp(time))"
                        )
                    }
                },
                afterNextUpdate: { thisUpdate, nextUpdate throws(VerificationError) in
                    let notAfter: EpochSeconds
                    if let next = nextUpdate {
                        guard next >= thisUpdate else {
                            throw VerificationError(
                                .ocspMalformedResponse,
                                "nextUpdate \(Timestamp(next)) is before thisUpdate \(Timestamp(thisUpdate))"
                            )
                        }
                        // The responder's window, capped at the maximum lifetime (10 days for end-entities).
                        notAfter = min(next, thisUpdate + maxLifetimeSeconds)
                    } else {
                        // No nextUpdate: the response must be recent — one day (firefox-policy §3.9, as NSS).
                        notAfter = thisUpdate + 86_400
                    }
                    validThrough = notAfter + slopSeconds
                }
            )
            if time > validThrough { expired = true }
            try checkSingleExtensions(d, sctList: &sctList)
            // firefox-policy §3.8: revoked beats good, good beats unknown; times come from the last match.
            switch (status, d.certStatus) {
            case (.revoked?, _): break
            case (_, .revoked), (nil, _), (.unknown?, .good): status = d.certStatus
            default: break
            }
            outcome.thisUpdate = d.thisUpdateSeconds
            outcome.nextUpdate = d.nextUpdateSeconds
            outcome.validThrough = validThrough
        }
        // Step 6.
        for (i, ext) in data.extensions.enumerated() where ext.critical {
            throw VerificationError(
                .unknownCriticalExtension,
                "ResponseData.responseExtensions[\(i)]: critical extension \(ext.oid) is not understood"
            )
        }
        guard let status else {
            throw VerificationError(
                .ocspResponseForCertMissing,
                "none of the \(data.responses.count) SingleResponse(s) is for this certificate (serial \(Hex.encode(endEntity.serial)))"
            )
        }
        outcome.certStatus = status
        outcome.expired = expired
        // Step 7.
        switch status {
        case .good:
            if outcome.expired {
                throw VerificationError(
                    .ocspOldResponse,
                    "the Good response expired: valid through \(Timestamp(outcome.validThrough!)) (slop included), verification time \(Timestamp(time))"
                )
            }
            // firefox-policy §3.10: on a fresh Good answer the SCT list must be an OCTET STRING.
            if let sctList {
                guard let value = try? DERStructure.root(sctList[...], what: "SCT list", code: .ocspMalformedResponse),
                    value.identifier == DERIdentifier.octetString, !value.isConstructed
                else {
                    throw VerificationError(
                        .ocspMalformedResponse,
                        "singleExtensions: the SCT list is not wrapped in an OCTET STRING"
                    )
                }
            }
        case .revoked:
            throw VerificationError(.revokedCertificate, "the responder says the certificate is revoked")
        case .unknown:
            throw VerificationError(.ocspUnknownCert, "the responder does not know the certificate")
        }
    }

    // MARK: Step 4 — who may sign (firefox-policy §3.5)

    public enum SignerKind: Sendable, Equatable {
        case issuer
        case delegated(subject: String)
    }

    private func verifySignature(
        _ basic: BasicOCSPResponse,
        notes: inout [String]
    ) throws(VerificationError) -> (SignerKind, ClosedRange<EpochSeconds>?) {
        if responderMatches(basic.responderID, subjectDER: issuer.subjectDER, keySHA1: { context.issuerKeySHA1 }) {
            try checkResponseSignature(basic, signerKey: context.issuerKey, signer: "the issuer")
            return (.issuer, nil)
        }
        for (i, bytes) in basic.certificates.enumerated() {
            // Every candidate must pass BackCert::Init, or the verification ends with its error (a
            // DER fault is malformed); one that fails only a deeper reading (a validity time, the
            // key) cannot be the signer and is passed over, as mozpkix's signer checks pass over
            // it (firefox-policy §3.5). A readable certificate has passed BackCertView already, so
            // the view is read apart only for one that is not.
            let signer: DelegatedSigner
            do { signer = try context.signer(embedded: bytes) } catch {
                let view: BackCertView
                do { view = try BackCertView(der: bytes) } catch {
                    throw VerificationError(.ocspMalformedResponse, "certs[\(i)]: not a certificate: \(error.reason)")
                }
                if let error = BackCertRules.check(view, position: "certs[\(i)]") { throw error }
                notes.append("certs[\(i)]: not a readable certificate (\(error.reason)); skipped")
                continue
            }
            if let error = BackCertRules.check(signer.certificate, position: "certs[\(i)]") { throw error }
            let candidate = signer.certificate
            guard responderMatches(basic.responderID, subjectDER: candidate.subjectDER, keySHA1: { signer.keySHA1 })
            else {
                continue
            }
            if let why = signerCertificateProblem(signer) {
                notes.append("certs[\(i)] (\(signer.subjectSummary)) matches the responderID but cannot sign: \(why)")
                continue
            }
            try checkResponseSignature(
                basic,
                signerKey: signer.key,
                signer: "the delegated responder \(signer.subjectSummary)"
            )
            return (.delegated(subject: signer.subjectSummary), candidate.notBefore...candidate.notAfter)
        }
        throw VerificationError(
            .ocspInvalidSigningCert,
            "the response is signed neither by the issuer nor by an authorized responder certificate it includes"
                + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")")
        )
    }

    private func responderMatches(_ id: ResponderID, subjectDER: ArraySlice<UInt8>, keySHA1: () -> [UInt8]) -> Bool {
        switch id {
        case .byName(let name): return name.elementsEqual(subjectDER)
        case .byKey(let hash): return hash.elementsEqual(keySHA1())
        }
    }

    /// `signer` names the signer in the error message; it is only built for one.
    private func checkResponseSignature(
        _ basic: BasicOCSPResponse,
        signerKey: Result<SignatureCheck.Key, SignatureCheck.KeyError>,
        signer: @autoclosure () -> String
    ) throws(VerificationError) {
        let algorithm = try basic.signatureAlgorithmIdentifier().signatureAlgorithm(
            field: "BasicOCSPResponse.signatureAlgorithm"
        )
        // An algorithm of the other key family is NSS's SEC_ERROR_INVALID_KEY, which mozpkix's
        // VerifyOCSPSignedData passes on as it is (firefox-policy §3.6).
        if case .success(let key) = signerKey, !SignatureCheck.fits(key, algorithm),
            SignatureCheck.reachesTheKey(algorithm, signature: basic.signature)
        {
            throw VerificationError(
                .invalidKey,
                "the response signature algorithm (\(algorithm.rawValue)) does not fit the key of \(signer())"
            )
        }
        guard
            SignatureCheck.verify(
                key: signerKey,
                minRSABits: minRSABits,
                algorithm: algorithm,
                signature: basic.signature,
                message: basic.tbsResponseData
            )
        else {
            throw VerificationError(
                .ocspBadSignature,
                "the response signature (\(algorithm.rawValue)) does not verify with the key of \(signer())"
            )
        }
    }

    /// mozpkix `CheckOCSPResponseSignerCert` (firefox-policy §3.5): an end-entity with EKU id-kp-OCSPSigning, not a
    /// CA, valid now without slop, an acceptable key, issued (name and signature) directly by the
    /// issuer of the certificate being checked. Returns why it cannot sign, or nil.
    private func signerCertificateProblem(_ signer: DelegatedSigner) -> String? {
        let c = signer.certificate
        if signer.isCA { return "basicConstraints cA=TRUE (a CA certificate cannot be an OCSP signer)" }
        guard let eku = signer.extendedKeyUsage else {
            return "no extendedKeyUsage extension (id-kp-OCSPSigning is required; absence is not 'any')"
        }
        guard eku.contains(.kpOCSPSigning) else { return "extendedKeyUsage lacks id-kp-OCSPSigning" }
        guard c.notBefore <= time else { return "not valid before \(Timestamp(c.notBefore))" }
        guard time <= c.notAfter else { return "expired at \(Timestamp(c.notAfter))" }
        if case .failure(let e) = signer.key.flatMap({ $0.meeting(minRSABits: minRSABits) }) { return e.reason }
        guard c.issuerDER.elementsEqual(issuer.subjectDER) else {
            return "not issued by the certificate's issuer (issuer names differ)"
        }
        guard let algorithm = try? c.signatureAlgorithm.signatureAlgorithm(field: "signer") else {
            return "its signature algorithm \(c.signatureAlgorithm.oid) is not accepted"
        }
        if algorithm.usesSHA1 && !allowSHA1SignerCertificates {
            return "signed with SHA-1, which Firefox refuses for certificates (policy sha1=false)"
        }
        // The issuer's key must meet the size rule, and verify the signature (the latter is a
        // function of the two certificates alone, kept with the signer).
        guard case .success = context.issuerKey.flatMap({ $0.meeting(minRSABits: minRSABits) }),
            signer.signedByIssuer(algorithm)
        else {
            return "its signature does not verify with the issuer's key"
        }
        return nil
    }

    // MARK: Step 5 — CertID matching (firefox-policy §3.7)

    private func matches(_ id: CertID) throws(VerificationError) -> Bool {
        // DigestAlgorithmIdentifier checks the parameters before it looks the algorithm up.
        guard id.hashAlgorithm.parametersAreNullOrAbsent else {
            throw VerificationError(
                .ocspMalformedResponse,
                "CertID.hashAlgorithm \(id.hashAlgorithm.algorithm): parameters must be NULL or absent"
            )
        }
        guard let hash = id.hash else {
            return false  // an unsupported hash: mozpkix skips this SingleResponse
        }
        try checkIntegerEncoding(id.serialNumber, field: "CertID.serialNumber")
        guard id.serialNumber.elementsEqual(endEntity.serial) else { return false }
        let expected = context.certIDHashes(hash)
        guard id.issuerNameHash.count == hash.length else {
            throw VerificationError(
                .ocspMalformedResponse,
                "CertID.issuerNameHash is \(id.issuerNameHash.count) bytes; \(hash.rawValue) gives \(hash.length)"
            )
        }
        guard id.issuerNameHash.elementsEqual(expected.name) else { return false }
        guard id.issuerKeyHash.count == hash.length else {
            throw VerificationError(
                .ocspMalformedResponse,
                "CertID.issuerKeyHash is \(id.issuerKeyHash.count) bytes; \(hash.rawValue) gives \(hash.length)"
            )
        }
        return id.issuerKeyHash.elementsEqual(expected.key)
    }

    /// firefox-policy §3.10 (mozpkix `RememberSingleExtension`): the SCT list extension is understood,
    /// critical or not — empty, or a second one in the response, is EXTENSION_VALUE_INVALID; its value
    /// is kept in `sctList` and read later, only for a fresh Good answer. Any other critical extension
    /// is fatal.
    private func checkSingleExtensions(_ d: SingleResponse.Details, sctList: inout [UInt8]?) throws(VerificationError) {
        for ext in d.extensions {
            if ext.extnID == .ocspSCTList {
                guard sctList == nil, !ext.value.isEmpty else {
                    throw VerificationError(
                        .extensionValueInvalid,
                        "singleExtensions: the SCT list extension is \(sctList != nil ? "duplicated" : "empty")"
                    )
                }
                sctList = Array(ext.value)
            } else if ext.critical {
                throw VerificationError(
                    .unknownCriticalExtension,
                    "singleExtensions: critical extension \(ext.oid) is not understood"
                )
            }
        }
    }
}

typealias SignerKind = OCSPResponseVerifier.SignerKind

func digest(_ hash: CertIDHash, _ bytes: ArraySlice<UInt8>) -> [UInt8] {
    switch hash {
    case .sha1: return Array(Insecure.SHA1.hash(data: bytes))
    case .sha256: return Array(SHA256.hash(data: bytes))
    case .sha384: return Array(SHA384.hash(data: bytes))
    case .sha512: return Array(SHA512.hash(data: bytes))
    }
}

/// An RFC 3339 rendering of epoch seconds, for messages.
struct Timestamp: CustomStringConvertible {
    let seconds: EpochSeconds
    init(_ seconds: EpochSeconds) { self.seconds = seconds }
    var description: String { rfc3339(seconds) }
}
