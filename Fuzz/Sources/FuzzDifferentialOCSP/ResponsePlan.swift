import StapleForge

/// A signed OCSP response built from the fuzzer's choices (mode A): every field the verification
/// reads after the signature, varied, and the result **signed**, so that the checks past the
/// signature see new bytes. Choice 0 of every field is the ordinary one.
struct ResponsePlan {
    typealias W = DERWriter

    /// The DER OCSPResponse and the verification settings.
    let response: [UInt8]
    let maxLifetimeDays: Int
    let minRSABits: Int
    let sha1: Bool

    static let maxLifetimes = [10, 365, 1, 2]
    /// Offsets from the verification time: the edges of Firefox's windows (firefox-policy §3.9,
    /// §3.10) and some far values.
    static let offsets: [Int64] = [
        0, -1, 1, -86_400, -86_401, -86_399, 86_400, 86_401, 86_399, -10 * 86_400, -10 * 86_400 - 1,
        -10 * 86_400 + 1, 10 * 86_400, 10 * 86_400 + 1, -365 * 86_400, 365 * 86_400, -3600, 3600, -7 * 86_400,
    ]
    /// nextUpdate − thisUpdate.
    static let lifetimes: [Int64] = [
        2 * 86_400, 0, -1, 1, 10 * 86_400, 10 * 86_400 + 1, 10 * 86_400 - 1, 86_400, 11 * 86_400, 365 * 86_400,
    ]
    /// Extension OIDs: SCT list, nonce, CRL references, archive cutoff, extended revoke, unknown.
    static let extensionOIDs: [[UInt]] = [
        [1, 3, 6, 1, 4, 1, 11129, 2, 4, 5], [1, 3, 6, 1, 5, 5, 7, 48, 1, 2], [1, 3, 6, 1, 5, 5, 7, 48, 1, 3],
        [1, 3, 6, 1, 5, 5, 7, 48, 1, 6], [1, 3, 6, 1, 5, 5, 7, 48, 1, 9], [1, 2, 3, 4],
    ]
    /// Time encodings other than GeneralizedTime YYYYMMDDHHMMSSZ (firefox-policy §3.8).
    static let rawTimes: [[UInt8]] = [
        Array("\u{18}\u{11}20260601110000.5Z".utf8), Array("\u{17}\u{0D}260601110000Z".utf8),
        Array("\u{18}\u{0E}20260601110000".utf8), Array("\u{18}\u{0F}2026060111000aZ".utf8),
        Array("\u{18}\u{0F}20260631110000Z".utf8), Array("\u{18}\u{0F}20260601240000Z".utf8),
        Array("\u{18}\u{13}20260601110000+0100".utf8),
    ]

    init(_ c: inout Choices, pki: FuzzPKI) {
        let t0 = FuzzPKI.t0
        func time(_ base: Int64) -> Int64 {
            let pick = c.byte()
            if pick == 0 { return base }
            if pick == 255 { return t0 + c.int32() }
            return t0 + Self.offsets[Int(pick) % Self.offsets.count]
        }
        maxLifetimeDays = Self.maxLifetimes[c.below(Self.maxLifetimes.count)]
        minRSABits = c.rarely(8) ? 2048 : 1024
        sha1 = c.rarely(4)

        if c.rarely(32) {  // a non-successful responseStatus (firefox-policy §3.1), perhaps 7 or more
            response = ResponseForge.unsuccessful(UInt8(c.below(9)))
            return
        }
        // The SingleResponses: how many, then each.
        let count = c.rarely(8) ? c.below(6) : 1 + c.below(2)
        var singles: [ResponseForge.Single] = []
        for _ in 0..<count {
            let thisUpdate = time(t0 - 3600)
            var single = ResponseForge.Single(
                certID: Self.certID(&c, pki: pki),
                status: .good,
                thisUpdate: thisUpdate,
                nextUpdate: thisUpdate + 2 * 86_400
            )
            switch c.below(5) {
            case 1: single.status = .revoked(at: time(t0 - 7200))
            case 2: single.status = .unknown
            case 3: single.status = .raw(c.raw(upTo: 6))
            case 4:
                // A well-formed tag with content, or a revoked without its time.
                single.status = .raw(
                    [[0x80, 0x01, 0x00], [0xA1, 0x00], [0x82, 0x01, 0x00], [0x80, 0x00]][c.below(4)]
                )
            default: break
            }
            let next = c.byte()
            if next == 1 {
                single.nextUpdate = nil
            } else if next == 2 {
                single.nextUpdate = time(t0)
            } else if next > 2 {
                single.nextUpdate = thisUpdate + Self.lifetimes[Int(next) % Self.lifetimes.count]
            }
            if c.rarely(16) { single.rawThisUpdate = Self.rawTimes[c.below(Self.rawTimes.count)] }
            if c.rarely(4) { single.extensions = Self.extensions(&c) }
            singles.append(single)
        }

        let (responder, responderBytes) = Self.responder(&c, pki: pki)
        let signers = [pki.intermediateKey, pki.delegateKey, pki.rootKey, pki.unrelatedKey]
        let signer = signers[c.below(signers.count)]
        var forge = ResponseForge(responder: responder, producedAt: time(t0 - 3600), responses: singles, signer: signer)
        if let responderBytes { forge.responder = .raw(responderBytes) }
        switch c.below(8) {
        case 1: forge.explicitVersion = 0  // DEFAULT written out: not DER
        case 2: forge.explicitVersion = 1
        default: break
        }
        if c.rarely(4) { forge.responseExtensions = Self.extensions(&c) }
        var certificates: [[UInt8]] = []
        let certificateCount = c.rarely(16) ? c.below(10) : c.below(3)
        for _ in 0..<certificateCount {
            certificates.append(pki.certificates[c.below(pki.certificates.count)].der)
        }

        let tbs = forge.tbsResponseData
        let (algorithm, signature) = Self.signature(&c, tbs: tbs, key: signer)
        var basic = tbs + algorithm + signature
        if !certificates.isEmpty { basic += W.explicit(0, W.sequence(of: certificates)) }
        var responseType: [UInt] = [1, 3, 6, 1, 5, 5, 7, 48, 1, 1]
        if c.rarely(32) { responseType = [1, 3, 6, 1, 5, 5, 7, 48, 1, 2] }
        let bytes = W.sequence(W.oid(responseType), W.octetString(W.tlv(0x30, basic)))
        var der = W.sequence(W.enumerated(0), W.explicit(0, bytes))
        if c.rarely(16) { der += c.raw(upTo: 4) }  // bytes after the response
        response = der
    }

    /// The CertID: the leaf's with each hash algorithm, another certificate's, or one field wrong
    /// (firefox-policy §3.7).
    static func certID(_ c: inout Choices, pki: FuzzPKI) -> [UInt8] {
        let hashes: [ResponseForge.CertIDHash] = [.sha1, .sha256, .sha384, .sha512]
        let choice = c.below(8)
        let hash = hashes[choice < 4 ? choice : c.below(4)]
        var id = try! ResponseForge.certID(
            leaf: choice == 4 ? pki.otherLeaf : pki.leaf,
            issuer: pki.intermediate,
            hash: hash
        )
        let length: UInt8 = [20, 32, 48, 64][hashes.firstIndex(of: hash)!]
        // The two hashes are the OCTET STRINGs of that length: name hash first, key hash second.
        let starts = id.indices.dropLast().filter { id[$0] == 0x04 && id[$0 + 1] == length }.map { $0 + 2 }
        switch choice {
        case 5: if let s = starts.first { id[s + Int(length) - 1] ^= 0x01 }
        case 6: if starts.count > 1 { id[starts[1]] ^= 0x80 }
        case 7: id[id.count - 1] ^= 0x01  // the serial's last byte
        default: break
        }
        return id
    }

    static func extensions(_ c: inout Choices) -> [[UInt8]] {
        (0..<(1 + c.below(3))).map { _ in
            let oid = extensionOIDs[c.below(extensionOIDs.count)]
            let critical = c.below(3)
            let value: [UInt8] = c.rarely(2) ? W.octetString(c.raw(upTo: 8)) : c.raw(upTo: 10)
            switch critical {
            case 1: return W.sequence(W.oid(oid), W.boolean(true), W.octetString(value))
            case 2: return W.sequence(W.oid(oid), W.boolean(false), W.octetString(value))  // not DER
            default: return W.sequence(W.oid(oid), W.octetString(value))
            }
        }
    }

    /// The responder ID: by key or by name, of the intermediate, the delegate or the root; or bytes.
    static func responder(_ c: inout Choices, pki: FuzzPKI) -> (ResponseForge.Responder, [UInt8]?) {
        switch c.below(8) {
        case 1: return (.byName(pki.intermediateName), nil)
        case 2: return (try! ResponseForge.byKey(pki.certificates[0].der), nil)
        case 3: return (.byName(pki.delegateName), nil)
        case 4: return (try! ResponseForge.byKey(pki.root), nil)
        case 5: return (.byName(pki.rootName), nil)
        case 6: return (.byKey([]), c.raw(upTo: 24))
        case 7: return (.byKey(Array(repeating: 0, count: 20)), nil)
        default: return (try! ResponseForge.byKey(pki.intermediate), nil)
        }
    }

    /// The AlgorithmIdentifier and the BIT STRING: the key's own algorithm, SHA-1 or another hash,
    /// the other family's identifier, a flipped bit, unused bits.
    static func signature(_ c: inout Choices, tbs: [UInt8], key: ForgeKey) -> ([UInt8], [UInt8]) {
        let isEC: Bool
        switch key.backing {
        case .p256: isEC = true
        case .rsa: isEC = false
        }
        var algorithm = key.defaultAlgorithm
        var identifier: [UInt8]?
        switch c.below(8) {
        case 1: algorithm = isEC ? .ecdsaSHA1 : .rsaPKCS1SHA1
        case 2: algorithm = isEC ? .ecdsaSHA384 : .rsaPSSSHA256
        case 3: identifier = (isEC ? ForgeSignatureAlgorithm.rsaPKCS1SHA256 : .ecdsaSHA256).algorithmIdentifier
        case 4: identifier = ForgeSignatureAlgorithm.md5WithRSA.algorithmIdentifier
        default: break
        }
        var signature = key.sign(tbs, algorithm: algorithm)
        if c.rarely(16) { signature[signature.count / 2] ^= 0x01 }
        let unused: UInt8 = c.rarely(32) ? 1 : 0
        return (identifier ?? algorithm.algorithmIdentifier, W.bitString(signature, unusedBits: unused))
    }
}
