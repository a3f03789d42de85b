import X509

/// A chain read once and reused across verifications: every certificate parsed (by swift-certificates
/// and by our own DER walk), neighbours linked by name and signature. What a verification still does
/// with it depends on the time, the staple and the policy; what only depends on the bytes is done here.
///
/// ```swift
/// let chain = try PreparedChain(der: [leaf, intermediate])   // once per chain
/// let evaluation = try verifier.evaluate(prepared: chain, staple: staple, at: now)   // per handshake
/// ```
///
/// ``StapleEngine/evaluate(chainDER:staple:at:)`` prepares the chain on every call; a TLS client
/// that meets the same server chain again and again can keep the prepared chain instead (keyed by
/// the DER it received) and skip the parsing and the link signatures. Verdicts are the same either
/// way: preparing throws exactly the errors `evaluate(chainDER:…)` throws, in the same order.
package struct PreparedChain: Sendable {
    let certificates: [ParsedCertificate]
    /// End-entity and issuer: what staple verifications reuse (nil for a lone certificate).
    let issuerContext: IssuerContext?
    /// The DER of each certificate, leaf first, as given.
    package let der: [[UInt8]]

    /// Parses and links `der` (leaf first). Throws `unreadableCertificate` (naming the position),
    /// `emptyChain`, or `chainDoesNotLink` (naming the link).
    package init(der: [[UInt8]]) throws(StapleVerifierError) {
        try StapleEngine.checkLength(der.count)
        var parsed: [ParsedCertificate] = []
        parsed.reserveCapacity(der.count)
        for (i, certificate) in der.enumerated() {
            // The last certificate's own signature is never verified (a trust anchor's, as in
            // mozpkix): it may use an algorithm swift-certificates does not read, such as the
            // md5WithRSA of old private roots. Every other one is verified by its issuer.
            let verified = i < der.count - 1
            do { parsed.append(try ParsedCertificate(der: certificate, requireX509: verified)) } catch {
                throw StapleVerifierError(.unreadableCertificate, "certificate \(i + 1) of the chain: \(error.reason)")
            }
        }
        try self.init(parsed: parsed, der: der)
    }

    /// As ``init(der:)`` from swift-certificates values (re-encoded to DER).
    package init(_ chain: [Certificate]) throws(StapleVerifierError) {
        try StapleEngine.checkLength(chain.count)
        var parsed: [ParsedCertificate] = []
        parsed.reserveCapacity(chain.count)
        for (i, certificate) in chain.enumerated() {
            do { parsed.append(try ParsedCertificate(certificate)) } catch {
                throw StapleVerifierError(.unreadableCertificate, "certificate \(i + 1) of the chain: \(error.reason)")
            }
        }
        try self.init(parsed: parsed, der: parsed.map(\.der))
    }

    private init(parsed: [ParsedCertificate], der: [[UInt8]]) throws(StapleVerifierError) {
        guard !parsed.isEmpty else { throw StapleVerifierError(.emptyChain, "the chain is empty") }
        try StapleEngine.checkLinks(parsed)
        self.certificates = parsed
        self.der = der
        self.issuerContext = parsed.count >= 2 ? IssuerContext(endEntity: parsed[0], issuer: parsed[1]) : nil
    }

    /// The same parsed and linked chain with nothing kept from staples verified so far (issuer key
    /// object, CertID hashes, delegated signers…): what the first staple of a chain costs. For
    /// benchmarks.
    package func forgettingStaples() -> PreparedChain {
        PreparedChain(certificates: certificates, der: der)
    }

    private init(certificates: [ParsedCertificate], der: [[UInt8]]) {
        self.certificates = certificates
        self.der = der
        self.issuerContext =
            certificates.count >= 2 ? IssuerContext(endEntity: certificates[0], issuer: certificates[1]) : nil
    }

    /// How many certificates the chain holds.
    package var count: Int { certificates.count }
}
