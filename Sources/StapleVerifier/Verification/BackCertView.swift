/// A certificate as far as mozilla::pkix's `BackCert::Init` (pkixcert.cpp) reads it: the
/// Certificate's three parts (the signature BIT STRING without unused bits), the version, serial
/// number and extensions, and every other TBSCertificate field as a TLV of the right tag whose
/// content is not looked at. What fails here fails `BackCert::Init`; what only fails a deeper
/// reading (a validity time, the key, the algorithm's content) is met later, by the rules that use
/// it (firefox-policy §3.5).
struct BackCertView {
    let tbs: ArraySlice<UInt8>
    let signatureAlgorithm: DERElement
    let signature: ArraySlice<UInt8>
    let serial: ArraySlice<UInt8>
    let issuerDER: ArraySlice<UInt8>
    let validity: DERElement
    let subjectDER: ArraySlice<UInt8>
    let subjectPublicKeyInfo: DERElement
    let extensions: [OCSPExtension]

    init(der: ArraySlice<UInt8>) throws(VerificationError) {
        let root = try DERStructure.root(der, what: "Certificate", code: .badDER)
        var c = try DERReader(root, path: "Certificate", code: .badDER)
        let tbsNode = try c.next("tbsCertificate", DERIdentifier.sequence)
        self.signatureAlgorithm = try c.next("signatureAlgorithm", DERIdentifier.sequence)
        guard let sig = try c.next("signatureValue", DERIdentifier.bitString).primitiveContent, sig.first == 0 else {
            throw VerificationError(.badDER, "Certificate.signatureValue: BIT STRING with unused bits")
        }
        self.signature = sig.dropFirst()
        try c.end()
        self.tbs = tbsNode.encoded

        var t = try DERReader(tbsNode, path: "TBSCertificate", code: .badDER)
        _ = try t.optional(DERIdentifier.context(0))
        guard let serial = try t.next("serialNumber", DERIdentifier.integer).primitiveContent else {
            throw t.error("serialNumber", "not primitive")
        }
        self.serial = serial
        _ = try t.next("signature", DERIdentifier.sequence)
        self.issuerDER = try t.next("issuer", DERIdentifier.sequence).encoded
        self.validity = try t.next("validity", DERIdentifier.sequence)
        self.subjectDER = try t.next("subject", DERIdentifier.sequence).encoded
        self.subjectPublicKeyInfo = try t.next("subjectPublicKeyInfo", DERIdentifier.sequence)
        _ = try t.optional(DERIdentifier.context(1))
        _ = try t.optional(DERIdentifier.context(2))
        var extensions: [OCSPExtension] = []
        if let e = try t.optional(DERIdentifier.context(3)) {
            var w = try DERReader(
                e,
                expecting: DERIdentifier.context(3),
                path: "TBSCertificate.extensions",
                code: .badDER
            )
            extensions = try OCSPExtension.list(
                try w.next("Extensions", DERIdentifier.sequence),
                path: "TBSCertificate.extensions",
                code: .badDER
            )
            try w.end()
        }
        try t.end()
        self.extensions = extensions
    }
}
