import StapleForge
import Testing
@testable import StapleVerifier

/// mozilla::pkix `VerifyEncodedOCSPResponse` (firefox-policy §3) and its gtest table firefox-policy §8.11.
@Suite struct ResponseVerificationTests {
    typealias W = DERWriter
    typealias C = VerificationError.Code
    let t0 = Fixture.t0, day = Fixture.day

    func result(
        _ type: ForgePKI.KeyType,
        _ forge: ResponseForge,
        leaf: [UInt8]? = nil,
        at time: Int64 = Fixture.t0,
        policy: RevocationPolicy = .firefox
    ) throws -> String {
        let pki = Fixture.pki(type)
        return try verifyResponse(pki, leaf: leaf ?? Fixture.plainLeaf(type), forge.der(), at: time, policy: policy)
            .error?.code.name ?? "SUCCESS"
    }

    func good(_ type: ForgePKI.KeyType) -> ResponseForge { Fixture.good(Fixture.pki(type), Fixture.plainLeaf(type)) }

    // MARK: firefox-policy §3.1 status mapping (gtest WithoutResponseBytes)

    @Test(
        "firefox-policy §3.1 responseStatus mapping",
        arguments: [
            (UInt8(1), "SEC_ERROR_OCSP_MALFORMED_REQUEST"), (2, "SEC_ERROR_OCSP_SERVER_ERROR"),
            (3, "SEC_ERROR_OCSP_TRY_SERVER_LATER"),
            (4, "SEC_ERROR_OCSP_UNKNOWN_RESPONSE_STATUS"), (5, "SEC_ERROR_OCSP_REQUEST_NEEDS_SIG"),
            (6, "SEC_ERROR_OCSP_UNAUTHORIZED_REQUEST"),
            (7, "SEC_ERROR_OCSP_UNKNOWN_RESPONSE_STATUS"), (0x7F, "SEC_ERROR_OCSP_UNKNOWN_RESPONSE_STATUS"),
        ]
    )
    func statuses(_ status: UInt8, _ expected: String) throws {
        let outcome = try verifyResponse(
            Fixture.ecdsa,
            leaf: Fixture.plainLeaf(.ecdsa),
            ResponseForge.unsuccessful(status)
        )
        #expect(outcome.error?.code.name == expected)
        #expect(outcome.responseStatus?.rawValue == status)
    }

    @Test("a non-successful status is returned before anything after it is read")
    func statusBeforeRest() throws {
        let der = W.sequence(W.enumerated(3), [0xFF, 0xFF])  // garbage after the status
        #expect(
            try verifyResponse(Fixture.ecdsa, leaf: Fixture.plainLeaf(.ecdsa), der).error?.code == .ocspTryServerLater
        )
    }

    @Test("successful without responseBytes is malformed (gtest WithoutResponseBytes status 0)")
    func successfulWithoutBytes() throws {
        #expect(
            try verifyResponse(Fixture.ecdsa, leaf: Fixture.plainLeaf(.ecdsa), ResponseForge.unsuccessful(0)).error?
                .code == .ocspMalformedResponse
        )
    }

    /// mozpkix der::Enumerated: a well-framed ENUMERATED that is not one byte 0…127 is
    /// INVALID_INTEGER_ENCODING, passed on unmapped; anything else is bad DER, a malformed response
    /// (firefox-policy §3.1, §4).
    @Test(
        "status ENUMERATED must be one byte, non-negative",
        arguments: [
            Named("two content bytes", (W.sequence(W.tlv(0x0A, [0x00, 0x03])), C.invalidIntegerEncoding)),
            Named("negative", (W.sequence(W.tlv(0x0A, [0x80])), C.invalidIntegerEncoding)),
            Named("no content byte", (W.sequence(W.tlv(0x0A, [])), C.invalidIntegerEncoding)),
            Named("INTEGER, not ENUMERATED", (W.sequence(W.integer(3)), C.ocspMalformedResponse)),
            Named("length past the SEQUENCE", ([0x30, 0x03, 0x0A, 0x02, 0x03], C.ocspMalformedResponse)),
        ]
    )
    func badEnumerated(_ row: Named<([UInt8], VerificationError.Code)>) throws {
        #expect(
            try verifyResponse(Fixture.ecdsa, leaf: Fixture.plainLeaf(.ecdsa), row.value.0).error?.code == row.value.1
        )
    }

    // MARK: firefox-policy §3.2–§3.4 structure

    @Test(arguments: ForgePKI.KeyType.allCases)
    func structure(_ type: ForgePKI.KeyType) throws {
        var f = good(type)
        #expect(try result(type, f) == "SUCCESS")
        f.responseType = [1, 3, 6, 1, 5, 5, 7, 48, 1, 2]
        #expect(try result(type, f) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "wrong responseType")
        f = good(type)
        f.explicitVersion = 0
        #expect(try result(type, f) == "SUCCESS", "explicit v1 is tolerated")
        f.explicitVersion = 1
        #expect(try result(type, f) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "v2")
        f = good(type)
        f.trailing = [0x00]
        #expect(try result(type, f) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "trailing byte")
        f = good(type)
        f.responses = []
        #expect(try result(type, f) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "empty responses")
        f = good(type)
        f.responder = .byKey([UInt8](repeating: 1, count: 19))
        #expect(try result(type, f) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "19-byte key hash")
        f = good(type)
        f.responder = .raw(W.explicit(3, W.octetString([1])))
        #expect(try result(type, f) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "responderID [3]")
    }

    @Test("at most 8 embedded certificates; a 9th is malformed (firefox-policy §3.3)")
    func nineCertificates() throws {
        var f = good(.ecdsa)
        f.certificates = Array(repeating: Fixture.ecdsa.intermediate, count: 8)
        #expect(try result(.ecdsa, f) == "SUCCESS")
        f.certificates.append(Fixture.ecdsa.intermediate)
        #expect(try result(.ecdsa, f) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
    }

    @Test("each embedded certificate must be a constructed SEQUENCE, even when the issuer signs (firefox-policy §3.3)")
    func certificateForm() throws {
        var f = good(.ecdsa)
        var primitive = Fixture.ecdsa.intermediate
        primitive[0] = 0x10  // SEQUENCE's number without the constructed bit
        f.certificates = [primitive]
        #expect(try result(.ecdsa, f) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
        f.certificates = [Fixture.ecdsa.intermediate]
        #expect(try result(.ecdsa, f) == "SUCCESS")
    }

    @Test("empty and oversized staples are malformed (firefox-policy §2.3)")
    func sizes() throws {
        #expect(
            try verifyResponse(Fixture.ecdsa, leaf: Fixture.plainLeaf(.ecdsa), []).error?.code == .ocspMalformedResponse
        )
        var f = good(.ecdsa)
        f.responseExtensions = [ForgeExtension.raw(oid: [1, 2, 3, 4], value: [UInt8](repeating: 0, count: 70_000))]
        let der = f.der()
        #expect(der.count > OCSPResponse.maximumSize)
        #expect(
            try verifyResponse(Fixture.ecdsa, leaf: Fixture.plainLeaf(.ecdsa), der).error?.code
                == .ocspMalformedResponse
        )
    }

    // MARK: firefox-policy §3.5 signers (gtest good_byKey, good_byName, delegated …)

    @Test("issuer-signed, byKey and byName", arguments: ForgePKI.KeyType.allCases)
    func issuerSigned(_ type: ForgePKI.KeyType) throws {
        let pki = Fixture.pki(type)
        var f = good(type)
        #expect(try result(type, f) == "SUCCESS")
        f.responder = try ResponseForge.byName(pki.intermediate)
        #expect(try result(type, f) == "SUCCESS")
        f.certificates = [pki.intermediate]
        #expect(try result(type, f) == "SUCCESS", "issuer embedded, as openssl ocsp does")
        f.corruptSignature = true
        #expect(
            try result(type, f) == "SEC_ERROR_OCSP_BAD_SIGNATURE",
            "the issuer matched: no fallback to embedded certs"
        )
    }

    @Test(
        "signed by an unrelated CA: invalid signing cert (firefox-policy §8.1 good-other-ca)",
        arguments: ForgePKI.KeyType.allCases
    )
    func otherCA(_ type: ForgePKI.KeyType) throws {
        let other = Fixture.other(type)
        var f = good(type)
        f.responder = try ResponseForge.byKey(other.intermediate)
        f.signer = other.intermediateKey
        #expect(try result(type, f) == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT")
        f.certificates = [other.intermediate]
        #expect(try result(type, f) == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT", "a CA certificate of another hierarchy")
    }

    func delegated(
        _ type: ForgePKI.KeyType,
        cert: [UInt8],
        key: ForgeKey? = nil,
        byName: Bool = false,
        extra: [[UInt8]] = [],
        signerLast: Bool = false
    ) throws -> ResponseForge {
        var f = good(type)
        f.signer = key ?? Fixture.responderKey(type)
        f.responder = byName ? try ResponseForge.byName(cert) : try ResponseForge.byKey(cert)
        f.certificates = signerLast ? extra + [cert] : [cert] + extra
        return f
    }

    @Test(
        "an embedded certificate BackCert::Init refuses ends the verification; one only deeper readings refuse is passed over (firefox-policy §3.5)",
        arguments: ForgePKI.KeyType.allCases
    )
    func embeddedCertificatesInOrder(_ type: ForgePKI.KeyType) throws {
        let pki = Fixture.pki(type)
        let ok = pki.responder(key: Fixture.responderKey(type))
        // An empty SEQUENCE before the signer: mozpkix stops at it (BAD_DER → malformed).
        #expect(
            try result(type, delegated(type, cert: ok, extra: [[0x30, 0x00]], signerLast: true))
                == "SEC_ERROR_OCSP_MALFORMED_RESPONSE"
        )
        // A serial number not minimally encoded: IntegralBytes' own error, not mapped.
        let paddedSerial = pki.responder(key: Fixture.responderKey(type), serial: [0x00, 0x21])
        #expect(
            try result(type, delegated(type, cert: ok, extra: [paddedSerial], signerLast: true))
                == "MOZILLA_PKIX_ERROR_INVALID_INTEGER_ENCODING"
        )
        // A validity time that is not a time: BackCert::Init does not read it, so the certificate
        // is passed over and the signer after it is found.
        var badTime = pki.root
        let at = try #require(
            badTime.indices.first { i in
                i + 2 < badTime.count && [0x17, 0x18].contains(badTime[i]) && [0x0D, 0x0F].contains(badTime[i + 1])
            }
        )
        badTime[at + 2] = UInt8(ascii: "X")
        #expect(try result(type, delegated(type, cert: ok, extra: [badTime], signerLast: true)) == "SUCCESS")
        #expect(try result(type, delegated(type, cert: badTime)) == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT")
    }

    @Test(
        "delegated responders (gtest Delegated, firefox-policy §8.1 delegated-*)",
        arguments: ForgePKI.KeyType.allCases
    )
    func delegatedResponders(_ type: ForgePKI.KeyType) throws {
        let pki = Fixture.pki(type)
        let key = Fixture.responderKey(type)
        let ok = pki.responder(key: key)
        #expect(try result(type, delegated(type, cert: ok)) == "SUCCESS", "good_byKey")
        #expect(try result(type, delegated(type, cert: ok, byName: true)) == "SUCCESS", "good_byName")
        #expect(
            try result(type, delegated(type, cert: ok, extra: [pki.root, pki.intermediate], signerLast: true))
                == "SUCCESS",
            "delegated-included-last"
        )
        var missing = try delegated(type, cert: ok)
        missing.certificates = []
        #expect(try result(type, missing) == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT", "missing signer")
        missing.certificates = [pki.root, pki.intermediate]
        #expect(try result(type, missing) == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT", "delegated-missing-multiple")
        let cases: [(String, [UInt8])] = [
            ("no EKU", pki.responder(key: key, eku: nil, serial: [0x21])),
            ("EKU serverAuth", pki.responder(key: key, eku: [ForgeExtension.serverAuth], serial: [0x22])),
            ("cA=TRUE", pki.responder(key: key, ca: true, serial: [0x23])),
            ("expired", pki.responder(key: key, notBefore: t0 - 30 * day, notAfter: t0 - 1, serial: [0x24])),
            ("not yet valid", pki.responder(key: key, notBefore: t0 + 1, notAfter: t0 + 30 * day, serial: [0x25])),
            (
                "issued by another CA",
                pki.responder(
                    key: key,
                    serial: [0x26],
                    issuer: (Fixture.other(type).intermediateName, Fixture.other(type).intermediateKey)
                )
            ),
            (
                "issued by the root (not the issuer)",
                pki.responder(key: key, serial: [0x27], issuer: (pki.rootName, pki.rootKey))
            ),
            (
                "SHA-1 signed",
                pki.responder(key: key, serial: [0x28], signatureAlgorithm: type == .ecdsa ? .ecdsaSHA1 : .rsaPKCS1SHA1)
            ),
        ]
        for (name, cert) in cases {
            #expect(try result(type, delegated(type, cert: cert)) == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT", "\(name)")
        }
        // Validity of the signer has no slop: valid exactly at its notAfter.
        let edge = pki.responder(key: key, notBefore: t0 - day, notAfter: t0, serial: [0x29])
        #expect(try result(type, delegated(type, cert: edge)) == "SUCCESS")
        // sha1=true accepts a SHA-1-signed signer certificate.
        #expect(try result(type, delegated(type, cert: cases[7].1), policy: .firefox.with("sha1=true")) == "SUCCESS")
        // Tampered signer certificate (its signature broken).
        var tampered = ok
        tampered[tampered.count - 3] ^= 0x01
        #expect(try result(type, delegated(type, cert: tampered)) == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT")
        // The right signer, but the response signed with another key: bad signature, no further candidates.
        #expect(try result(type, delegated(type, cert: ok, key: pki.leafKey)) == "SEC_ERROR_OCSP_BAD_SIGNATURE")
    }

    @Test(
        "a signer issued by a sub-CA of the issuer is refused even with the sub-CA included (gtest good_indirect_subca)"
    )
    func indirectSubCA() throws {
        let pki = Fixture.ecdsa
        let subKey = ForgeKey.p256()
        let subName = CertificateForge.name("Sub CA")
        let subCA = CertificateForge(
            serial: [0x50],
            issuerName: pki.intermediateName,
            subjectName: subName,
            notBefore: Fixture.notBefore,
            notAfter: Fixture.notAfter,
            subjectKey: subKey,
            extensions: [ForgeExtension.basicConstraints(ca: true)],
            signatureAlgorithm: .ecdsaSHA256
        ).signed(by: pki.intermediateKey)
        let signer = pki.responder(key: Fixture.responderKeyECDSA, serial: [0x51], issuer: (subName, subKey))
        #expect(
            try result(.ecdsa, delegated(.ecdsa, cert: signer, extra: [subCA])) == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT"
        )
        #expect(
            try result(.ecdsa, delegated(.ecdsa, cert: signer, extra: [subCA], signerLast: true))
                == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT"
        )
    }

    @Test("an RSA signer key below minRSABits is refused (keysize-ocsp-delegated)")
    func smallRSASigner() throws {
        let small = ForgeKey.rsa(bits: 1024)
        let cert = Fixture.rsa.responder(key: small, serial: [0x2A])
        #expect(
            try result(.rsa, delegated(.rsa, cert: cert, key: small)) == "SUCCESS",
            "Firefox's DV fallback pass accepts 1024 bits"
        )
        #expect(
            try result(.rsa, delegated(.rsa, cert: cert, key: small), policy: .firefox.with("minRSABits=2048"))
                == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT"
        )
    }

    // MARK: firefox-policy §3.6 algorithms

    @Test("md5WithRSA → algorithm disabled; RSA-PSS with the CA/B parameters accepted")
    func algorithms() throws {
        var f = good(.rsa)
        f.signatureAlgorithm = .md5WithRSA
        #expect(try result(.rsa, f) == "SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED")
        f.signatureAlgorithm = .rsaPSSSHA256
        #expect(try result(.rsa, f) == "SUCCESS")
        f.signatureAlgorithm = .rsaPKCS1SHA1
        #expect(try result(.rsa, f) == "SUCCESS", "a SHA-1 response signature is accepted (firefox-policy §3.6)")
        var e = good(.ecdsa)
        e.signatureAlgorithm = .ecdsaSHA384
        #expect(try result(.ecdsa, e) == "SUCCESS")
        e.signatureAlgorithm = .ecdsaSHA1
        #expect(try result(.ecdsa, e) == "SUCCESS")
    }

    @Test("an algorithm of the other key family is SEC_ERROR_INVALID_KEY, as NSS answers (firefox-policy §3.6)")
    func keyFamilyMismatch() throws {
        // The key, the other family's identifier, who made the signature bytes, the answer.
        let ecKey = ForgeKey.p256()
        let cases: [(ForgePKI.KeyType, ForgeSignatureAlgorithm, ForgeKey?, C)] = [
            (.ecdsa, .rsaPKCS1SHA256, nil, .invalidKey), (.ecdsa, .rsaPSSSHA256, nil, .invalidKey),
            // An ECDSA signature reaches the RSA key; RSA bytes are no ECDSA-Sig-Value: bad signature.
            (.rsa, .ecdsaSHA256, ecKey, .invalidKey), (.rsa, .ecdsaSHA1, ecKey, .invalidKey),
            (.rsa, .ecdsaSHA256, nil, .ocspBadSignature),
        ]
        for (type, foreign, signer, expected) in cases {
            let f = good(type)
            let tbs = f.tbsResponseData
            let key = signer ?? f.signer
            let signature = key.sign(tbs, algorithm: key.defaultAlgorithm)
            let basic = W.tlv(0x30, tbs + foreign.algorithmIdentifier + W.bitString(signature))
            let bytes = W.sequence(W.oid([1, 3, 6, 1, 5, 5, 7, 48, 1, 1]), W.octetString(basic))
            let der = W.sequence(W.enumerated(0), W.explicit(0, bytes))
            let outcome = try verifyResponse(Fixture.pki(type), leaf: Fixture.plainLeaf(type), der)
            #expect(
                outcome.error?.code == expected,
                "\(type) key, \(foreign): \(outcome.error?.description ?? "accepted")"
            )
        }
    }

    @Test("signature BIT STRING with unused bits → bad signature (firefox-policy §3.3)")
    func unusedBits() throws {
        let f = good(.ecdsa)
        var der = f.der()
        let sigAlg = ForgeSignatureAlgorithm.ecdsaSHA256.algorithmIdentifier
        // Find the BIT STRING right after the signature algorithm and set its unused-bits byte.
        let at =
            der.indices.first { i in i + sigAlg.count < der.count && Array(der[i..<i + sigAlg.count]) == sigAlg }!
            + sigAlg.count
        #expect(der[at] == 0x03)
        der[at + 2] = 0x01
        #expect(
            try verifyResponse(Fixture.ecdsa, leaf: Fixture.plainLeaf(.ecdsa), der).error?.code == .ocspBadSignature
        )
    }

    @Test("the signatureAlgorithm's content is read only when a key checks the signature (firefox-policy §3.3)")
    func signatureAlgorithmReadAtVerification() throws {
        // An AlgorithmIdentifier whose algorithm is an INTEGER, not an OBJECT IDENTIFIER.
        let broken = W.sequence(W.integer(1))
        func outcome(_ f: ResponseForge, unusedBits: UInt8 = 0) throws -> C? {
            let signature = f.signer.sign(f.tbsResponseData, algorithm: f.signer.defaultAlgorithm)
            let bitString = W.bitString(signature, unusedBits: unusedBits)
            let basic = W.tlv(0x30, f.tbsResponseData + broken + bitString)
            let bytes = W.sequence(W.oid([1, 3, 6, 1, 5, 5, 7, 48, 1, 1]), W.octetString(basic))
            let der = W.sequence(W.enumerated(0), W.explicit(0, bytes))
            return try verifyResponse(Fixture.ecdsa, leaf: Fixture.plainLeaf(.ecdsa), der).error?.code
        }
        let f = good(.ecdsa)
        #expect(try outcome(f) == .ocspMalformedResponse, "read when the issuer's key checks the signature")
        #expect(try outcome(f, unusedBits: 1) == .ocspBadSignature, "the BIT STRING is judged first")
        var unknownSigner = f
        unknownSigner.responder = .byKey(Array(repeating: 0xAB, count: 20))
        #expect(try outcome(unknownSigner) == .ocspInvalidSigningCert, "no key, so never read")
    }

    @Test("a SEQUENCE in the primitive form is malformed where it is read, before the signature (firefox-policy §3.3)")
    func primitiveSequence() throws {
        let f = good(.ecdsa)
        let tbs = f.tbsResponseData
        let algorithm = f.signatureAlgorithm.algorithmIdentifier
        let signature = W.bitString(f.signer.sign(tbs, algorithm: f.signatureAlgorithm))
        func outcome(_ basic: [UInt8]) throws -> VerificationError? {
            let bytes = W.sequence(W.oid([1, 3, 6, 1, 5, 5, 7, 48, 1, 1]), W.octetString(W.tlv(0x30, basic)))
            let der = W.sequence(W.enumerated(0), W.explicit(0, bytes))
            return try verifyResponse(Fixture.ecdsa, leaf: Fixture.plainLeaf(.ecdsa), der).error
        }
        func primitive(_ sequence: [UInt8]) -> [UInt8] { [0x10] + sequence.dropFirst() }
        #expect(try outcome(tbs + algorithm + signature) == nil)
        // With no signature after it, mozpkix would say bad signature if it read past the SEQUENCE.
        let cases: [(String, [UInt8])] = [
            ("tbsResponseData", primitive(tbs) + algorithm + W.octetString([0])),
            ("signatureAlgorithm", tbs + primitive(algorithm) + W.octetString([0])),
            ("signatureAlgorithm", tbs + primitive(algorithm) + signature),
        ]
        for (field, basic) in cases {
            let error = try outcome(basic)
            #expect(error?.code == .ocspMalformedResponse, "\(field): \(error?.description ?? "accepted")")
            #expect(error?.description.contains("\(field): ASN1Identifier(tagNumber: 16") == true)
        }
    }

    // MARK: firefox-policy §3.7 CertID

    @Test("CertID with SHA-1/256/384/512", arguments: ForgePKI.KeyType.allCases)
    func certIDHashes(_ type: ForgePKI.KeyType) throws {
        let pki = Fixture.pki(type)
        let leaf = Fixture.plainLeaf(type)
        for hash in [ResponseForge.CertIDHash.sha1, .sha256, .sha384, .sha512] {
            let f = pki.response(for: leaf, thisUpdate: t0 - 60, nextUpdate: t0 + day, hash: hash)
            #expect(try result(type, f) == "SUCCESS", "\(hash)")
        }
    }

    @Test("CertID matching: serial, name hash, key hash, lengths, unknown hash")
    func certIDMatching() throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.plainLeaf(.ecdsa)
        let fields = try CertificateFields(leaf)
        let issuer = try CertificateFields(pki.intermediate)
        let sha1Alg = W.sequence(W.oid([1, 3, 14, 3, 2, 26]), W.null)
        func id(alg: [UInt8] = sha1Alg, name: [UInt8]? = nil, key: [UInt8]? = nil, serial: [UInt8]? = nil) -> [UInt8] {
            W.sequence(
                alg,
                W.octetString(name ?? ResponseForge.CertIDHash.sha1.digestForTest(fields.issuerName)),
                W.octetString(key ?? ResponseForge.CertIDHash.sha1.digestForTest(issuer.publicKeyBits)),
                W.integer(serial ?? fields.serial)
            )
        }
        func check(_ certID: [UInt8]) throws -> String {
            var f = good(.ecdsa)
            f.responses = [.init(certID: certID, thisUpdate: t0 - 60, nextUpdate: t0 + day)]
            return try result(.ecdsa, f)
        }
        #expect(try check(id()) == "SUCCESS")
        #expect(try check(id(serial: [0x7F])) == "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING")
        #expect(
            try check(id(name: [UInt8](repeating: 0, count: 20))) == "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING"
        )
        #expect(
            try check(id(key: [UInt8](repeating: 0, count: 20))) == "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING"
        )
        #expect(try check(id(name: [UInt8](repeating: 0, count: 19))) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
        #expect(try check(id(key: [UInt8](repeating: 0, count: 21))) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
        #expect(
            try check(id(name: [UInt8](repeating: 0, count: 19), serial: [0x7F]))
                == "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING",
            "lengths checked only once the serial matched"
        )
        #expect(try check(id(serial: [0x00, 0x10, 0x01])) == "MOZILLA_PKIX_ERROR_INVALID_INTEGER_ENCODING")
        #expect(
            try check(id(alg: W.sequence(W.oid([1, 2, 840, 113549, 2, 5]), W.null)))
                == "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING",
            "MD5 CertID skipped"
        )
        #expect(try check(id(alg: W.sequence(W.oid([1, 3, 14, 3, 2, 26])))) == "SUCCESS", "absent parameters")
        #expect(
            try check(id(alg: W.sequence(W.oid([1, 3, 14, 3, 2, 26]), W.integer(1))))
                == "SEC_ERROR_OCSP_MALFORMED_RESPONSE"
        )
        let md5 = W.sequence(W.oid([1, 2, 840, 113549, 2, 5]), W.null)
        #expect(
            try check(id(alg: W.sequence(W.oid([1, 2, 840, 113549, 2, 5]), W.integer(1))))
                == "SEC_ERROR_OCSP_MALFORMED_RESPONSE",
            "parameters are checked before the algorithm is looked up"
        )
        // Past an unsupported algorithm nothing of the CertID is read: not even a serial that is
        // not an INTEGER.
        let unread = W.sequence(md5, W.octetString([1]), W.octetString([2]), W.tlv(0x13, Array("x".utf8)))
        #expect(try check(unread) == "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING", "MD5 CertID, rest unread")
        let read = W.sequence(sha1Alg, W.octetString([1]), W.octetString([2]), W.tlv(0x13, Array("x".utf8)))
        #expect(try check(read) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "SHA-1 CertID, serial not an INTEGER")
    }

    @Test("a response for another certificate (firefox-policy §8.1 good-other)")
    func otherCertificate() throws {
        let pki = Fixture.ecdsa
        let other = pki.leaf(serial: [0x66])
        #expect(
            try result(.ecdsa, pki.response(for: other, thisUpdate: t0 - 60, nextUpdate: t0 + day))
                == "MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING"
        )
    }

    // MARK: firefox-policy §3.8 status precedence

    @Test("revoked beats good beats unknown, whatever the order")
    func precedence() throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.plainLeaf(.ecdsa)
        let id = try ResponseForge.certID(leaf: leaf, issuer: pki.intermediate)
        func with(_ statuses: [ResponseForge.Status]) throws -> String {
            var f = good(.ecdsa)
            f.responses = statuses.map { .init(certID: id, status: $0, thisUpdate: t0 - 60, nextUpdate: t0 + day) }
            return try result(.ecdsa, f)
        }
        #expect(try with([.good, .revoked(at: t0 - day)]) == "SEC_ERROR_REVOKED_CERTIFICATE")
        #expect(try with([.revoked(at: t0 - day), .good]) == "SEC_ERROR_REVOKED_CERTIFICATE")
        #expect(try with([.unknown, .good]) == "SUCCESS")
        #expect(try with([.good, .unknown]) == "SUCCESS")
        #expect(try with([.unknown]) == "SEC_ERROR_OCSP_UNKNOWN_CERT")
        #expect(
            try with([.raw(W.implicitPrimitive(0, [0x00]))]) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE",
            "good with content"
        )
        #expect(try with([.raw(W.implicitPrimitive(3, []))]) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "[3]")
        // firefox-policy §3.8: revoked is [1] constructed; the form is part of the tag (mozpkix peeks 0xA1).
        #expect(
            try with([.raw(W.implicitPrimitive(1, []))]) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE",
            "revoked [1] primitive, empty"
        )
        #expect(
            try with([.raw(W.implicitPrimitive(1, W.generalizedTime(t0 - day)))])
                == "SEC_ERROR_OCSP_MALFORMED_RESPONSE",
            "revoked [1] primitive"
        )
        #expect(try with([.raw(W.explicit(0, []))]) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "good [0] constructed")
        #expect(try with([.raw(W.explicit(2, []))]) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "unknown [2] constructed")
    }

    // MARK: firefox-policy §3.9 times (gtest check_validThrough, good_byKey_without_nextUpdate)

    @Test("time boundaries", arguments: ForgePKI.KeyType.allCases)
    func times(_ type: ForgePKI.KeyType) throws {
        let pki = Fixture.pki(type)
        let leaf = Fixture.plainLeaf(type)
        func at(this: Int64, next: Int64?, time: Int64 = Fixture.t0) throws -> (String, Bool) {
            let o = try verifyResponse(
                pki,
                leaf: leaf,
                pki.response(for: leaf, thisUpdate: this, nextUpdate: next).der(),
                at: time
            )
            return (o.error?.code.name ?? "SUCCESS", o.expired)
        }
        #expect(try at(this: t0 + day, next: t0 + 2 * day).0 == "SUCCESS", "thisUpdate exactly now + slop")
        #expect(try at(this: t0 + day + 1, next: t0 + 2 * day).0 == "SEC_ERROR_OCSP_FUTURE_RESPONSE")
        // validThrough = nextUpdate + slop.
        #expect(try at(this: t0 - 3 * day, next: t0 - day).0 == "SUCCESS", "exactly at validThrough")
        #expect(
            try at(this: t0 - 3 * day, next: t0 - day - 1) == ("SEC_ERROR_OCSP_OLD_RESPONSE", true),
            "one second after"
        )
        // No nextUpdate: thisUpdate + 1 day + slop.
        #expect(try at(this: t0 - day, next: nil).0 == "SUCCESS", "without nextUpdate, thisUpdate = now − 1 d")
        #expect(try at(this: t0 - 2 * day, next: nil).0 == "SUCCESS")
        #expect(try at(this: t0 - 2 * day - 1, next: nil).0 == "SEC_ERROR_OCSP_OLD_RESPONSE")
        // Max lifetime 10 days: the window ends at thisUpdate + 10 d (+ slop) whatever nextUpdate says.
        #expect(try at(this: t0 - 11 * day, next: t0 + 100 * day).0 == "SUCCESS")
        #expect(try at(this: t0 - 11 * day - 1, next: t0 + 100 * day).0 == "SEC_ERROR_OCSP_OLD_RESPONSE")
        #expect(try at(this: t0 - 640 * day, next: t0 + 100 * day).0 == "SEC_ERROR_OCSP_OLD_RESPONSE", "ancient-valid")
        #expect(try at(this: t0, next: t0 - 1).0 == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "nextUpdate < thisUpdate")
        #expect(try at(this: t0, next: t0).0 == "SUCCESS", "nextUpdate == thisUpdate")
    }

    @Test("policy knobs: maxLifetimeDays and slopSeconds")
    func timeKnobs() throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.plainLeaf(.ecdsa)
        let f = pki.response(for: leaf, thisUpdate: t0 - 20 * day, nextUpdate: t0 + 100 * day)
        #expect(try result(.ecdsa, f) == "SEC_ERROR_OCSP_OLD_RESPONSE")
        #expect(try result(.ecdsa, f, policy: .firefox.with("maxLifetimeDays=30")) == "SUCCESS")
        let g = pki.response(for: leaf, thisUpdate: t0 - 3 * day, nextUpdate: t0 - 1)
        #expect(try result(.ecdsa, g) == "SUCCESS")
        #expect(try result(.ecdsa, g, policy: .firefox.with("slopSeconds=0")) == "SEC_ERROR_OCSP_OLD_RESPONSE")
    }

    @Test("revoked and unknown keep their errors when expired (firefox-policy §3.11)")
    func expiredRevoked() throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.plainLeaf(.ecdsa)
        let o = try verifyResponse(
            pki,
            leaf: leaf,
            Fixture.expired(pki, leaf, status: .revoked(at: t0 - 10 * day)).der()
        )
        #expect(o.error?.code == .revokedCertificate)
        #expect(o.expired)
        let u = try verifyResponse(pki, leaf: leaf, Fixture.expired(pki, leaf, status: .unknown).der())
        #expect(u.error?.code == .ocspUnknownCert)
        #expect(u.expired)
    }

    @Test(
        "GeneralizedTime must be YYYYMMDDHHMMSSZ",
        arguments: [
            "20260601120000.5Z", "20260601120000+0000", "202606011200Z", "20260631120000Z", "19690101000000Z",
            "2026060112000aZ",
        ]
    )
    func strictTimes(_ text: String) throws {
        var f = good(.ecdsa)
        f.responses[0].rawThisUpdate = W.tlv(0x18, Array(text.utf8))
        #expect(try result(.ecdsa, f) == "SEC_ERROR_INVALID_TIME")
    }

    @Test("a thisUpdate from the future is met before the nextUpdate is read (firefox-policy §3.9)")
    func futureBeforeNextUpdate() throws {
        let before1970 = Int64(-4 * 365 * day)  // 1966: not a time mozpkix accepts
        var future = good(.ecdsa)
        future.responses[0].thisUpdate = t0 + 2 * day
        future.responses[0].nextUpdate = before1970
        #expect(try result(.ecdsa, future) == "SEC_ERROR_OCSP_FUTURE_RESPONSE")
        var present = good(.ecdsa)
        present.responses[0].nextUpdate = before1970
        #expect(try result(.ecdsa, present) == "SEC_ERROR_INVALID_TIME")
    }

    @Test("a time of another ASN.1 type is malformed, not an invalid time (firefox-policy §3.9)")
    func timeOfAnotherType() throws {
        var this = good(.ecdsa)
        this.responses[0].rawThisUpdate = W.tlv(0x17, Array("260601120000Z".utf8))  // UTCTime
        #expect(try result(.ecdsa, this) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
        var octets = good(.ecdsa)
        octets.responses[0].rawThisUpdate = W.tlv(0x04, Array("20260601120000Z".utf8))  // OCTET STRING
        #expect(try result(.ecdsa, octets) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE")
    }

    // MARK: firefox-policy §3.4, §3.10 extensions

    @Test("extensions: critical unknown → fatal; non-critical and empty SEQUENCE tolerated; SCT list understood")
    func extensions() throws {
        let pki = Fixture.ecdsa
        let leaf = Fixture.plainLeaf(.ecdsa)
        var f = good(.ecdsa)
        f.responseExtensions = [
            ForgeExtension.raw(oid: [1, 3, 6, 1, 5, 5, 7, 48, 1, 2], value: W.octetString([1, 2, 3]))
        ]
        #expect(try result(.ecdsa, f) == "SUCCESS", "nonce, non-critical")
        f.responseExtensions = []
        #expect(try result(.ecdsa, f) == "SUCCESS", "empty Extensions SEQUENCE (bug 997994)")
        f.responseExtensions = [ForgeExtension.raw(oid: [1, 2, 3, 4], critical: true, value: W.null)]
        #expect(try result(.ecdsa, f) == "SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION")
        f.responseExtensions = [W.sequence(W.oid([1, 2, 3, 4]), W.boolean(false), W.octetString(W.null))]
        #expect(try result(.ecdsa, f) == "SUCCESS", "explicitly encoded FALSE is tolerated")
        f.responseExtensions = [W.sequence(W.oid([1, 2, 3, 4]), W.tlv(0x01, [0x01]), W.octetString(W.null))]
        #expect(try result(.ecdsa, f) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE", "BOOLEAN 0x01")
        let id = try ResponseForge.certID(leaf: leaf, issuer: pki.intermediate)
        func single(_ ext: [[UInt8]], status: ResponseForge.Status = .good) throws -> String {
            var g = good(.ecdsa)
            g.responses = [
                .init(certID: id, status: status, thisUpdate: t0 - 60, nextUpdate: t0 + day, extensions: ext)
            ]
            return try result(.ecdsa, g)
        }
        let sct: [UInt] = [1, 3, 6, 1, 4, 1, 11129, 2, 4, 5]
        #expect(
            try single([ForgeExtension.raw(oid: [1, 2, 3, 4], critical: true, value: W.null)])
                == "SEC_ERROR_UNKNOWN_CRITICAL_EXTENSION"
        )
        #expect(try single([ForgeExtension.raw(oid: [1, 2, 3, 4], value: W.null)]) == "SUCCESS")
        #expect(
            try single([ForgeExtension.raw(oid: sct, critical: true, value: W.octetString([0, 0]))]) == "SUCCESS",
            "ct_extension"
        )
        #expect(
            try single([ForgeExtension.raw(oid: sct, value: [])]) == "SEC_ERROR_EXTENSION_VALUE_INVALID",
            "empty SCT list"
        )
        #expect(
            try single([
                ForgeExtension.raw(oid: sct, value: W.octetString([0])),
                ForgeExtension.raw(oid: sct, value: W.octetString([0])),
            ]) == "SEC_ERROR_EXTENSION_VALUE_INVALID",
            "duplicate SCT list"
        )
        #expect(
            try single([ForgeExtension.raw(oid: sct, value: W.null)]) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE",
            "SCT list not an OCTET STRING on Good"
        )
        #expect(
            try single([ForgeExtension.raw(oid: sct, value: [0x24, 0x00])]) == "SEC_ERROR_OCSP_MALFORMED_RESPONSE",
            "SCT list in a constructed OCTET STRING: mozpkix's tag check wants the primitive one"
        )
        // Non-matching SingleResponses are not examined (firefox-policy §3.7).
        var h = good(.ecdsa)
        let otherID = try ResponseForge.certID(leaf: pki.leaf(serial: [0x77]), issuer: pki.intermediate)
        h.responses.insert(
            .init(
                certID: otherID,
                status: .raw(W.implicitPrimitive(3, [])),
                thisUpdate: t0 + 100 * day,
                nextUpdate: nil,
                extensions: [ForgeExtension.raw(oid: [1, 2, 3], critical: true, value: W.null)]
            ),
            at: 0
        )
        #expect(try result(.ecdsa, h) == "SUCCESS")
    }

    @Test("the signature is checked before the rest of ResponseData is read (firefox-policy §3.4)")
    func signatureFirst() throws {
        var f = good(.ecdsa)
        f.responses = []  // malformed after the signature…
        f.corruptSignature = true  // …but the signature fails first
        #expect(try result(.ecdsa, f) == "SEC_ERROR_OCSP_BAD_SIGNATURE")
        f.corruptSignature = false
        f.responder = .byKey([UInt8](repeating: 9, count: 20))
        #expect(try result(.ecdsa, f) == "SEC_ERROR_OCSP_INVALID_SIGNING_CERT")
    }
}

extension ResponseForge.CertIDHash {
    func digestForTest(_ b: [UInt8]) -> [UInt8] {
        let id = try! ResponseForge.certID(
            leaf: Fixture.plainLeaf(.ecdsa),
            issuer: Fixture.ecdsa.intermediate,
            hash: self
        )
        _ = id
        return StapleVerifier_digest(self, b)
    }
}

@testable import StapleVerifier
func StapleVerifier_digest(_ h: ResponseForge.CertIDHash, _ b: [UInt8]) -> [UInt8] {
    switch h {
    case .sha1: return digest(.sha1, b[...])
    case .sha256: return digest(.sha256, b[...])
    case .sha384: return digest(.sha384, b[...])
    case .sha512: return digest(.sha512, b[...])
    }
}
