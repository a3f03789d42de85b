import Crypto
import Foundation
import StapleForge
import SwiftASN1
import Testing
import X509
@testable import StapleVerifier

/// The engine's fast paths must not change an answer: each shortcut against the slow way.
@Suite struct FastPathTests {
    @Test("rfc3339 gives String(format:)'s text, including the fallback years")
    func rfc3339Text() {
        var seconds: [Int64] = [
            0, 1, 59, 86_399, 86_400, 951_782_400, 1_780_315_200, 253_402_300_799, -1, -86_400, 253_402_300_800,
        ]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            seconds.append(Int64(x % 4_000_000_000))
        }
        for s in seconds {
            let days = Int(s >= 0 ? s / 86_400 : (s - 86_399) / 86_400)
            let secs = Int(s - Int64(days) * 86_400)
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let doe = z - era * 146_097
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            let d = doy - (153 * mp + 2) / 5 + 1
            let m = mp < 10 ? mp + 3 : mp - 9
            let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02dZ",
                y,
                m,
                d,
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            )
            #expect(rfc3339(s) == expected, "\(s)")
        }
    }

    @Test("IssuerContext holds what computing afresh gives", arguments: ForgePKI.KeyType.allCases)
    func issuerContext(_ type: ForgePKI.KeyType) throws {
        let pki = Fixture.pki(type)
        let leaf = try ParsedCertificate(der: Fixture.mustStapleLeaf(type))
        let issuer = try ParsedCertificate(der: pki.intermediate)
        let context = IssuerContext(endEntity: leaf, issuer: issuer)
        #expect(context.issuerKeySHA1 == Array(Insecure.SHA1.hash(data: issuer.publicKeyBits)))
        for hash in CertIDHash.allCases {
            #expect(context.certIDHashes(hash).name == digest(hash, leaf.issuerDER))
            #expect(context.certIDHashes(hash).key == digest(hash, issuer.publicKeyBits))
        }
        #expect(
            context.ocspCacheKey
                == OCSPCache.key(issuerNameDER: leaf.issuerDER, issuerSPKIDER: issuer.spkiDER, serial: leaf.serial)
        )
        #expect(try context.ocspLocation.get() == RevocationChecker.ocspLocation(of: leaf))
        // The kept key verifies what the SPKI verifies, and the size rule still applies at use.
        let staple = Fixture.good(pki, Fixture.mustStapleLeaf(type)).der()
        let basic = try OCSPResponse(derEncoded: staple).basic!
        let algorithm = try basic.signatureAlgorithmIdentifier().signatureAlgorithm(field: "t")
        for minBits in [1024, 2048, 4096] {
            let fresh = SignatureCheck.verify(
                spki: issuer.spkiDER,
                algorithm: algorithm,
                signature: basic.signature,
                message: basic.tbsResponseData,
                minRSABits: minBits
            )
            let kept = SignatureCheck.verify(
                key: context.issuerKey,
                minRSABits: minBits,
                algorithm: algorithm,
                signature: basic.signature,
                message: basic.tbsResponseData
            )
            #expect(fresh == kept, "minRSABits \(minBits)")
        }
    }

    @Test("embedded certificates keep their exact bytes; our reading of them agrees with swift-certificates'")
    func embeddedCertificates() throws {
        let pki = Fixture.ecdsa
        let responder = pki.responder(key: Fixture.responderKeyECDSA)
        var forge = Fixture.good(pki, Fixture.plainLeaf(.ecdsa))
        forge.certificates = [pki.intermediate, responder]
        let basic = try OCSPResponse(derEncoded: forge.der()).basic!
        #expect(basic.certificates.map { Array($0) } == [pki.intermediate, responder])
        for (der, isCA) in [(pki.intermediate, true), (responder, false), (Fixture.mustStapleLeaf(.ecdsa), false)] {
            let ours = try ParsedCertificate(der: der, requireX509: true)
            let theirs = try #require(ours.certificate)
            #expect(ours.serial.elementsEqual(theirs.serialNumber.bytes))
            #expect(ours.notBefore == EpochSeconds(theirs.notValidBefore.timeIntervalSince1970))
            #expect(ours.notAfter == EpochSeconds(theirs.notValidAfter.timeIntervalSince1970))
            #expect(ours.extensions.map(\.oid) == theirs.extensions.map(\.oid))
            #expect(ours.extensions.map(\.critical) == theirs.extensions.map(\.critical))
            #expect(ours.extensions.map { Array($0.value) } == theirs.extensions.map { Array($0.value) })
            #expect(ours.isCA == isCA)
            #expect(
                ours.extendedKeyUsage
                    == (der == responder
                        ? [.kpOCSPSigning] : der == pki.intermediate ? nil : [[1, 3, 6, 1, 5, 5, 7, 3, 1]])
            )
        }
    }

    @Test("verdict-cache keys: equal bytes in other buffers match; one byte, a certificate or the policy apart do not")
    func verdictCacheKeys() {
        let staple: [UInt8] = Array(0..<200)
        let leaf: [UInt8] = Array(repeating: 7, count: 300)
        let issuer: [UInt8] = Array(repeating: 9, count: 300)
        let key = VerdictCache.Key(staple: staple, chain: [leaf, issuer], policy: .firefox)
        #expect(
            key
                == VerdictCache.Key(
                    staple: staple.map { $0 },
                    chain: [leaf.map { $0 }, issuer.map { $0 }],
                    policy: .firefox
                )
        )
        for i in [0, 100, 199] {
            var other = staple
            other[i] ^= 1
            #expect(key != VerdictCache.Key(staple: other, chain: [leaf, issuer], policy: .firefox))
        }
        var otherIssuer = issuer
        otherIssuer[0] ^= 1
        #expect(key != VerdictCache.Key(staple: staple, chain: [leaf, otherIssuer], policy: .firefox))
        #expect(key != VerdictCache.Key(staple: staple, chain: [leaf], policy: .firefox))
        #expect(key != VerdictCache.Key(staple: staple, chain: [leaf, issuer], policy: .strict))
        #expect(
            VerdictCache.Key(staple: [], chain: [[]], policy: .firefox)
                == VerdictCache.Key(staple: [], chain: [[]], policy: .firefox)
        )
    }
}
