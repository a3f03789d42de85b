import StapleForge

/// Mode B: the input's tail is a `tbsResponseData`, taken as it is — any bytes, DER or not — and
/// **signed** with the key the head chooses, so that what follows the responder ID (times,
/// CertIDs, extensions, their encodings, bytes after them) is read with a valid signature.
/// The seeds are the corpus's staples, their tbsResponseData pointed at `FuzzPKI` (`CorpusSeeds`).
enum ResignedTBS {
    typealias W = DERWriter

    /// Head: key type, signer, certificates, policy; then the tbsResponseData.
    static let headLength = 4

    static func response(_ input: ArraySlice<UInt8>, pki: FuzzPKI) -> (der: [UInt8], maxLifetimeDays: Int) {
        var c = Choices(input.prefix(headLength))
        _ = c.byte()  // the key type, read by the caller
        let signer = [pki.intermediateKey, pki.delegateKey, pki.rootKey, pki.unrelatedKey][c.below(4)]
        let certificatesChoice = c.byte()
        let maxLifetimeDays = ResponsePlan.maxLifetimes[c.below(ResponsePlan.maxLifetimes.count)]
        let tbs = Array(input.dropFirst(headLength))
        var basic =
            tbs + signer.defaultAlgorithm.algorithmIdentifier
            + W.bitString(signer.sign(tbs, algorithm: signer.defaultAlgorithm))
        if certificatesChoice != 0 {
            let pick = pki.certificates[Int(certificatesChoice - 1) % pki.certificates.count].der
            basic += W.explicit(0, W.sequence(of: [pick]))
        }
        let bytes = W.sequence(W.oid([1, 3, 6, 1, 5, 5, 7, 48, 1, 1]), W.octetString(W.tlv(0x30, basic)))
        return (W.sequence(W.enumerated(0), W.explicit(0, bytes)), maxLifetimeDays)
    }
}
