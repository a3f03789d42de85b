import StapleForge
import StapleTestSupport
import Testing
@testable import StapleVerifier

/// mozpkix's order inside VerifyEncodedOCSPResponse. It reports `expired` only for a response it
/// read to the end: an expired response whose matching SingleResponse carries an extension error
/// fails with that error and is *not* an expired staple, so neither the policy's expired-staple
/// tolerance nor a fetch can save it (firefox-policy §2.3, §3.10). The SCT list extension is only
/// remembered while reading; its value is read for a fresh Good answer alone.
@Suite struct SingleResponseOrderTests {
    let pki = Fixture.ecdsa
    let leaf = Fixture.plainLeaf(.ecdsa)
    let t0 = Fixture.t0, day = Fixture.day

    /// An expired Good response for `leaf` whose SingleResponse carries `extensions`.
    func expiredStaple(_ extensions: [[UInt8]]) throws -> [UInt8] {
        var f = Fixture.expired(pki, leaf)
        let id = try ResponseForge.certID(leaf: leaf, issuer: pki.intermediate)
        f.responses = [
            .init(certID: id, status: .good, thisUpdate: t0 - 5 * day, nextUpdate: t0 - 2 * day, extensions: extensions)
        ]
        return f.der()
    }

    static let unknownCritical = ForgeExtension.raw(oid: [1, 2, 3, 4], critical: true, value: DERWriter.null)
    static let emptySCTList = ForgeExtension.raw(oid: [1, 3, 6, 1, 4, 1, 11129, 2, 4, 5], value: [])

    @Test("the response alone: the extension's error, and not expired")
    func responseAlone() throws {
        let critical = try verifyResponse(pki, leaf: leaf, expiredStaple([Self.unknownCritical]))
        #expect(critical.error?.code == .unknownCriticalExtension)
        #expect(!critical.expired)
        let sct = try verifyResponse(pki, leaf: leaf, expiredStaple([Self.emptySCTList]))
        #expect(sct.error?.code == .extensionValueInvalid)
        #expect(!sct.expired)
        // Without the extension the same response is expired, as before.
        let plain = try verifyResponse(pki, leaf: leaf, expiredStaple([]))
        #expect(plain.error?.code == .ocspOldResponse)
        #expect(plain.expired)
    }

    @Test("as a staple: a hard failure, whether fetching is off or the responder answers Good")
    func asAStaple() async throws {
        let staple = try expiredStaple([Self.unknownCritical])
        let off = try await run(pki, leaf: leaf, staple: staple, policy: .firefox.with("fetch=off"))
        #expect(off.error == "SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION")
        #expect(off.verdict.staple.status == StaplingStatus.invalid)
        let good = Fixture.good(pki, leaf).der()
        let saved = try await run(pki, leaf: leaf, staple: staple, responder: [.response(good)])
        #expect(saved.error == "SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION")
        #expect(saved.requests == 0, "a fatal staple error makes no fetch (firefox-policy §2.3)")
        // The expired staple without the extension is tolerated and saved by the Good fetch.
        let expired = try await run(pki, leaf: leaf, staple: expiredStaple([]), responder: [.response(good)])
        #expect(expired.accepted)
        #expect(expired.verdict.staple.status == StaplingStatus.expired)
    }

    /// An SCT list whose value is not an OCTET STRING.
    static let sctNotOctetString = ForgeExtension.raw(oid: [1, 3, 6, 1, 4, 1, 11129, 2, 4, 5], value: DERWriter.null)

    @Test("the SCT list's value is read only for a fresh Good answer")
    func sctListReadLast() throws {
        let id = try ResponseForge.certID(leaf: leaf, issuer: pki.intermediate)
        func verify(
            _ status: ResponseForge.Status,
            thisUpdate: Int64,
            nextUpdate: Int64
        ) throws -> VerificationError.Code? {
            var f = Fixture.good(pki, leaf)
            f.responses = [
                .init(
                    certID: id,
                    status: status,
                    thisUpdate: thisUpdate,
                    nextUpdate: nextUpdate,
                    extensions: [Self.sctNotOctetString]
                )
            ]
            return try verifyResponse(pki, leaf: leaf, f.der()).error?.code
        }
        #expect(try verify(.good, thisUpdate: t0 - 60, nextUpdate: t0 + day) == .ocspMalformedResponse)
        #expect(try verify(.good, thisUpdate: t0 - 5 * day, nextUpdate: t0 - 2 * day) == .ocspOldResponse)
        #expect(try verify(.revoked(at: t0 - day), thisUpdate: t0 - 60, nextUpdate: t0 + day) == .revokedCertificate)
        #expect(try verify(.unknown, thisUpdate: t0 - 60, nextUpdate: t0 + day) == .ocspUnknownCert)
    }

    @Test("a second SCT list in the response, in another matching SingleResponse, is a duplicate")
    func sctListDuplicatedAcrossResponses() throws {
        let id = try ResponseForge.certID(leaf: leaf, issuer: pki.intermediate)
        let sct = ForgeExtension.raw(oid: [1, 3, 6, 1, 4, 1, 11129, 2, 4, 5], value: DERWriter.octetString([0, 0]))
        var f = Fixture.good(pki, leaf)
        let single = ResponseForge.Single(
            certID: id,
            status: .good,
            thisUpdate: t0 - 60,
            nextUpdate: t0 + day,
            extensions: [sct]
        )
        f.responses = [single]
        #expect(try verifyResponse(pki, leaf: leaf, f.der()).error == nil)
        f.responses = [single, single]
        #expect(try verifyResponse(pki, leaf: leaf, f.der()).error?.code == .extensionValueInvalid)
    }
}
