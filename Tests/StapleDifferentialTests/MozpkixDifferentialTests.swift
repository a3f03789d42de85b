import Foundation
import StapleForge
import StapleVectors
import Testing
@testable import StapleVerifier

/// The engine against mozilla::pkix itself (``MozpkixOracle``): NSS's `VerifyEncodedOCSPResponse`,
/// `CheckTLSFeatures` and `CheckTLSFeaturesAreSatisfied`, built from Debian's `nss` source package
/// by `scripts/build-mozpkix-oracle.sh`, with a trust domain modelled on Firefox's for OCSP.
///
/// Compared exactly: the error (through ``codes``, the one table between mozpkix's Result names and
/// our codes), `expired`, and — for a Good, Revoked, Unknown or OLD_RESPONSE answer — thisUpdate
/// and validThrough. Every disagreement must be one of ``documentedDifferences``; every documented
/// difference must still occur. Entries marked `engineBug` are bugs in the engine, reported and
/// kept here until they are fixed, when the test says they no longer occur and they are removed.
///
/// Samples:
/// - every staple of the corpus with its case's chain and the case's response-level knobs
///   (maxLifetimeDays, sha1, minRSABits; mozpkix's slop is a constant, so ours stays at one day), at
///   the case's time and at the edges of its validity: each SingleResponse's thisUpdate − slop − 1
///   s, − slop, + slop, its validThrough and validThrough + 1 s, and each embedded certificate's
///   notBefore and notAfter ± 1 s;
/// - the truncations and bit flips of ``StapleMutations``, at T0;
/// - responses forged with StapleForge (``forgedResponses(_:leaf:t0:)``), at T0;
/// - the TLS Feature rules on every certificate of the corpus (alone, with and without a staple,
///   and every ordered pair of one key tree) and on forged TLS Feature values.
///
/// Disabled, not passing, when `MOZPKIX_ORACLE` is not set: `make test` does not build the oracle
/// (`make differential` does, and sets it). When it is set, a missing binary fails the test.
@Suite(.enabled(if: MozpkixOracle.path != nil, "MOZPKIX_ORACLE is not set"))
struct MozpkixDifferentialTests {
    static let slop: Int64 = 86_400

    /// mozpkix's Result names (Result.h) → our codes. A Result missing here cannot agree with any
    /// answer of ours. The oracle also reports the NSS name and number of each Result, and the test
    /// holds every row to them.
    static let codes: [String: VerificationError.Code] = [
        "ERROR_BAD_DER": .badDER,
        "ERROR_INVALID_DER_TIME": .invalidTime,
        "ERROR_REVOKED_CERTIFICATE": .revokedCertificate,
        "ERROR_EXTENSION_VALUE_INVALID": .extensionValueInvalid,
        "ERROR_UNKNOWN_CRITICAL_EXTENSION": .unknownCriticalExtension,
        "ERROR_CERT_BAD_ACCESS_LOCATION": .certBadAccessLocation,
        "ERROR_OCSP_MALFORMED_REQUEST": .ocspMalformedRequest,
        "ERROR_OCSP_SERVER_ERROR": .ocspServerError,
        "ERROR_OCSP_TRY_SERVER_LATER": .ocspTryServerLater,
        "ERROR_OCSP_REQUEST_NEEDS_SIG": .ocspRequestNeedsSig,
        "ERROR_OCSP_UNAUTHORIZED_REQUEST": .ocspUnauthorizedRequest,
        "ERROR_OCSP_UNKNOWN_RESPONSE_STATUS": .ocspUnknownResponseStatus,
        "ERROR_OCSP_UNKNOWN_CERT": .ocspUnknownCert,
        "ERROR_OCSP_MALFORMED_RESPONSE": .ocspMalformedResponse,
        "ERROR_OCSP_FUTURE_RESPONSE": .ocspFutureResponse,
        "ERROR_OCSP_OLD_RESPONSE": .ocspOldResponse,
        "ERROR_OCSP_INVALID_SIGNING_CERT": .ocspInvalidSigningCert,
        "ERROR_OCSP_RESPONDER_CERT_INVALID": .ocspResponderCertInvalid,
        "ERROR_OCSP_BAD_SIGNATURE": .ocspBadSignature,
        "ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED": .certSignatureAlgorithmDisabled,
        "ERROR_OCSP_RESPONSE_FOR_CERT_MISSING": .ocspResponseForCertMissing,
        "ERROR_REQUIRED_TLS_FEATURE_MISSING": .requiredTLSFeatureMissing,
        "ERROR_INVALID_INTEGER_ENCODING": .invalidIntegerEncoding,
        "ERROR_EXPIRED_CERTIFICATE": .expiredCertificate,
        "ERROR_EXPIRED_ISSUER_CERTIFICATE": .expiredIssuerCertificate,
        "ERROR_NOT_YET_VALID_CERTIFICATE": .notYetValidCertificate,
        "ERROR_NOT_YET_VALID_ISSUER_CERTIFICATE": .notYetValidIssuerCertificate,
        "ERROR_INVALID_KEY": .invalidKey,
    ]

    /// What a side answered, in our terms: the error's name (`SUCCESS` for none; a Result with no
    /// row in ``codes`` keeps its mozpkix name), and for OCSP the outputs.
    struct Verdict: Equatable, Sendable, CustomStringConvertible {
        var error: String
        var expired = false
        var thisUpdate: Int64?
        var validThrough: Int64?

        /// Answers that carry a status, and so thisUpdate and validThrough (firefox-policy §3.11).
        static let withTimes: Set<String> = [
            "SUCCESS", VerificationError.Code.revokedCertificate.name, VerificationError.Code.ocspUnknownCert.name,
            VerificationError.Code.ocspOldResponse.name,
        ]

        var description: String {
            var s = error
            if expired { s += " (expired)" }
            if let thisUpdate, let validThrough {
                s += " thisUpdate \(Timestamp(thisUpdate)) validThrough \(Timestamp(validThrough))"
            }
            return s
        }
    }

    enum Kind: String, Sendable {
        case ocsp = "VerifyEncodedOCSPResponse"
        case tlsLink = "CheckTLSFeatures"
        case tlsCert = "CheckTLSFeaturesAreSatisfied"
    }

    /// One compared sample, with what the documented differences look at.
    struct Observation: Sendable {
        let kind: Kind
        let label: String
        let ours: Verdict
        let mozpkix: Verdict
        /// Our error's reason, and the verifier's notes.
        let oursReason: String
        let notes: [String]
    }

    /// One disagreement that is understood: where it occurs, both answers, and why.
    struct Difference: Sendable {
        let name: String
        let kinds: Set<Kind>
        /// Our answers (code names, `SUCCESS`) that this difference covers.
        let ours: Set<String>
        /// mozpkix's answers (our names) that this difference covers.
        let mozpkix: Set<String>
        /// True for a bug in the engine, reported and listed here until it is fixed (the test then
        /// says it no longer occurs); false for a difference on purpose.
        var engineBug = false
        let why: String
        let section: String
        /// Beyond the two answers: the condition that makes it this difference.
        let applies: @Sendable (Observation) -> Bool

        func matches(_ o: Observation) -> Bool {
            kinds.contains(o.kind) && ours.contains(o.ours.error) && mozpkix.contains(o.mozpkix.error) && applies(o)
        }
    }

    typealias C = VerificationError.Code

    /// Every mozpkix answer, Success included, but malformed: where the engine refuses a fault
    /// mozpkix never meets, mozpkix may answer anything that comes after it in its own order.
    static let anyAnswerButMalformed = Set(C.all.map(\.name) + ["SUCCESS"]).subtracting([C.ocspMalformedResponse.name])

    /// Every disagreement between the engine and mozpkix 3.87.1 on these samples. Each entry names
    /// the mozpkix answers it covers and a condition on our side, so that nothing else slips in.
    static let documentedDifferences: [Difference] = [
        Difference(
            name: "DER before meaning",
            kinds: [.ocsp],
            ours: [C.ocspMalformedResponse.name],
            // Any answer: mozpkix's reader is as strict as DER where it reads, so when it answers
            // anything but malformed, the fault lies where it has not read (yet).
            mozpkix: anyAnswerButMalformed,
            why:
                "the engine checks every TLV of the staple (swift-asn1's DER rules) before it reads a field, so a DER fault anywhere — inside the signed data, in a certificate, in a SingleResponse for another certificate, bytes after the end — is malformed first; mozpkix reads in order, decides on the signature, a time or a status before it meets the fault, or never reads those bytes (and may then accept the staple)",
            section: "firefox-policy §3, §3.4 (DocC: Differences from Firefox)",
            applies: { $0.oursReason.contains("is not valid DER") }
        ),
        Difference(
            name: "OID content decoded",
            kinds: [.ocsp],
            ours: [C.ocspMalformedResponse.name],
            // Any answer: for mozpkix such an OID is an unknown one, which it may skip or ignore.
            mozpkix: anyAnswerButMalformed,
            why:
                "an OBJECT IDENTIFIER whose content octets are no valid encoding (empty, a subidentifier with a leading 0x80, the last octet with bit 8 set) or hold a subidentifier of more than 9 digits: the engine refuses it wherever it reads one; mozpkix compares OIDs byte for byte and never decodes them, so for it this is an unknown OID — a CertID hash it skips, an extension it ignores, a disabled signature algorithm — and it may accept the staple",
            section: "firefox-policy §3, §3.7, §3.10",
            applies: { $0.oursReason.contains(": OID content ") }
        ),
        Difference(
            name: "an extension judged before its end",
            kinds: [.ocsp],
            ours: [C.ocspMalformedResponse.name],
            mozpkix: [C.extensionValueInvalid.name, C.unknownCriticalExtension.name],
            why:
                "an Extension SEQUENCE with an element after extnValue: the engine reads the whole Extensions list before it judges one, mozpkix's OptionalExtensions judges each extension (empty, repeated, critical and not understood) before it checks that the extension ends. Both fail closed",
            section: "firefox-policy §3.4, §3.5",
            applies: { $0.oursReason.contains("extensions[") && $0.oursReason.contains("unexpected trailing element") }
        ),
        Difference(
            name: "chain certificate swift-certificates refuses",
            kinds: [.tlsLink, .tlsCert],
            ours: [C.badDER.name],
            mozpkix: ["SUCCESS", C.requiredTLSFeatureMissing.name, C.extensionValueInvalid.name],
            why:
                "the engine reads every chain certificate but the last through swift-certificates, which refuses the corpus's responder certificates signed with MD5, SHA-1 or SHA-224 or holding a 1016-bit RSA key; BackCert decodes them, and path building (not run by these checks) refuses them later by algorithm and key size. Both refuse such a chain, with different errors",
            section: "firefox-policy §3.5, §3.6",
            applies: {
                $0.oursReason.hasPrefix("not a certificate swift-certificates can read")
                    && !$0.oursReason.contains("duplicateOID")
            }
        ),
        Difference(
            name: "NSS 3.87.1 reads no further than the TLS Feature SEQUENCE",
            kinds: [.tlsCert],
            ours: [C.badDER.name],
            mozpkix: ["SUCCESS"],
            why:
                "bytes after the SEQUENCE OF INTEGER: current mozpkix ends TLSFeaturesSatisfiedInternal with der::End (BAD_DER), as the engine does; the copy in NSS 3.87.1 returns NestedOf's result and ignores them",
            section: "firefox-policy §1.3",
            applies: { $0.oursReason.contains("trailing data after the outermost value") }
        ),
    ]

    // MARK: The samples

    struct OCSPSample: Hashable {
        let staple: String
        let chain: String
        let time: Int64
        let maxLifetimeDays: Int
        let sha1: Bool
        let minRSABits: Int

        func at(_ t: Int64) -> OCSPSample {
            OCSPSample(
                staple: staple,
                chain: chain,
                time: t,
                maxLifetimeDays: maxLifetimeDays,
                sha1: sha1,
                minRSABits: minRSABits
            )
        }

        var policy: RevocationPolicy {
            var p = RevocationPolicy.firefox
            p.maxLifetimeDays = maxLifetimeDays
            p.sha1 = sha1
            p.minRSABits = minRSABits
            return p
        }
    }

    /// The manifest's staples with their chain, time and mozpkix-expressible knobs.
    static func corpusSamples() throws -> [OCSPSample] {
        let directory = OpenSSLDifferentialTests.directory
        let manifest = try VectorManifest(contentsOf: directory.appendingPathComponent("manifest.json"))
        var seen = Set<OCSPSample>()
        var result: [OCSPSample] = []
        for c in manifest.cases {
            guard let staple = c.staple else { continue }
            var policy = RevocationPolicy.preset(RevocationPolicy.Preset(rawValue: c.preset) ?? .firefox)
            try policy.apply(c.settings)
            let time = try #require(ISO8601DateFormatter().date(from: c.time)).epochSeconds
            let s = OCSPSample(
                staple: staple,
                chain: c.chain,
                time: time,
                maxLifetimeDays: policy.maxLifetimeDays,
                sha1: policy.sha1,
                minRSABits: policy.minRSABits
            )
            if seen.insert(s).inserted { result.append(s) }
        }
        return result
    }

    /// The instants where a verdict on `bytes` can change: each SingleResponse's thisUpdate − slop
    /// (− 1 s) and + slop, its validThrough (+ 1 s), and each embedded certificate's validity ± 1 s.
    static func edges(of bytes: [UInt8], maxLifetimeDays: Int) -> Set<Int64> {
        var times = Set<Int64>()
        guard let response = try? OCSPResponse(derEncoded: bytes), let basic = response.basic else { return times }
        for der in basic.certificates {
            if let c = try? ParsedCertificate(der: Array(der), requireX509: false) {
                times.formUnion([c.notBefore - 1, c.notBefore, c.notAfter, c.notAfter + 1])
            }
        }
        guard let data = try? basic.responseData() else { return times }
        for single in data.responses {
            guard let d = try? single.details() else { continue }
            let t = d.thisUpdateSeconds
            let notAfter = d.nextUpdateSeconds.map { min($0, t + Int64(maxLifetimeDays) * 86_400) } ?? t + 86_400
            times.formUnion([t - slop - 1, t - slop, t + slop, notAfter + slop, notAfter + slop + 1])
        }
        return times
    }

    /// Certificates of the corpus, per key tree: (label, DER), each once.
    static func corpusCertificates(_ tree: String) throws -> [(label: String, der: [UInt8])] {
        let root = OpenSSLDifferentialTests.directory.appendingPathComponent("pki/\(tree)")
        let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "pem" }
            .sorted { $0.path < $1.path }
        var seen = Set<[UInt8]>()
        var result: [(label: String, der: [UInt8])] = []
        for file in files {
            for (i, der) in try PEMCertificates.read(file).enumerated() where seen.insert(der).inserted {
                result.append(("pki/\(tree)/\(file.lastPathComponent)#\(i)", der))
            }
        }
        return result
    }

    /// TLS Feature extension lists to forge certificates with: the firefox-policy §8.12 table, DER
    /// faults, criticality, a duplicate, and seeded random values.
    static func tlsFeatureExtensions() -> [(label: String, extensions: [[UInt8]])] {
        typealias W = DERWriter
        var values: [(String, [UInt8])] = [
            ("empty", []),
            ("SEQ{}", W.sequence()),
            ("SEQ{5}", W.sequence(W.integer(5))),
            ("SEQ{6}", W.sequence(W.integer(6))),
            ("SEQ{5,6}", W.sequence(W.integer(5), W.integer(6))),
            ("SEQ{5,5}", W.sequence(W.integer(5), W.integer(5))),
            ("SEQ{17}", W.sequence(W.integer(17))),
            ("SEQ{5,17}", W.sequence(W.integer(5), W.integer(17))),
            ("SEQ{INTEGER 05 05}", W.sequence(W.integer([0x05, 0x05]))),
            ("SEQ{INTEGER 00 05}", W.sequence(W.integer([0x00, 0x05]))),
            ("SEQ{INTEGER zero bytes}", W.sequence(W.integer([UInt8]()))),
            ("SEQ{INTEGER -1}", W.sequence(W.integer([0xFF]))),
            ("OCTET STRING{5}", W.octetString([5])),
            ("SET{5}", [0x31, 0x03, 0x02, 0x01, 0x05]),
            ("SEQ{5} + 00", W.sequence(W.integer(5)) + [0x00]),
            ("SEQ{BOOLEAN}", W.sequence(W.boolean(true))),
            ("SEQ{SEQ{5}}", W.sequence(W.sequence(W.integer(5)))),
            ("SEQ{constructed INTEGER}", [0x30, 0x05, 0x22, 0x03, 0x02, 0x01, 0x05]),
            ("SEQ long-form length", [0x30, 0x81, 0x03, 0x02, 0x01, 0x05]),
            ("SEQ indefinite length", [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00]),
            ("SEQ truncated", [0x30, 0x03, 0x02, 0x01]),
            ("SEQ{5} with INTEGER 05 in long-form length", [0x30, 0x04, 0x02, 0x81, 0x01, 0x05]),
            ("SEQ{6, BOOLEAN}", W.sequence(W.integer(6), W.boolean(true))),
            ("SEQ{5, BOOLEAN}", W.sequence(W.integer(5), W.boolean(true))),
            ("SEQ{BOOLEAN, 6}", W.sequence(W.boolean(true), W.integer(6))),
        ]
        var generator = SplitMix64(seed: 0x544C_5346_4541)  // fixed
        func random(_ n: UInt64) -> Int { Int(generator.next() % n) }
        for i in 0..<120 {
            var elements: [UInt8] = []
            for _ in 0..<random(4) {
                switch random(6) {
                case 0: elements += W.integer(5)
                case 1: elements += W.integer(random(300))
                case 2: elements += W.integer((0..<random(3)).map { _ in UInt8(random(256)) })
                case 3: elements += [0x02, 0x01, UInt8(random(256))]
                case 4: elements += [UInt8(random(256)), 0x01, 0x05]
                default: elements += W.integer(5)
                }
            }
            var value = W.sequence(elements)
            switch random(8) {
            case 0: value += [UInt8(random(256))]
            case 1: value[0] = UInt8(random(256))
            case 2: value = Array(value.prefix(random(UInt64(value.count + 1))))
            case 3: value = (0..<random(6)).map { _ in UInt8(random(256)) }
            default: break
            }
            values.append(("random #\(i)", value))
        }
        var result = values.map { ("TLS Feature \($0.0)", [ForgeExtension.tlsFeature(rawValue: $0.1)]) }
        result.append(("TLS Feature SEQ{5} critical", [ForgeExtension.tlsFeature([5], critical: true)]))
        result.append(
            ("TLS Feature SEQ{5} twice", [ForgeExtension.tlsFeature([5]), ForgeExtension.tlsFeature([5])])
        )
        result.append(("no TLS Feature", []))
        return result
    }

    /// Responses StapleForge makes for `leaf` of `pki`: signature algorithms and encodings the
    /// corpus does not have. Each is Good as far as its content goes.
    static func forgedResponses(_ pki: ForgePKI, leaf: [UInt8], t0: Int64) -> [(String, [UInt8])] {
        typealias W = DERWriter
        let good = pki.response(for: leaf, thisUpdate: t0 - 86_400, nextUpdate: t0 + 6 * 86_400)
        func wrap(_ basic: [UInt8]) -> [UInt8] {
            let responseBytes = W.sequence(W.oid([1, 3, 6, 1, 5, 5, 7, 48, 1, 1]), W.octetString(W.tlv(0x30, basic)))
            return W.sequence(W.enumerated(0), W.explicit(0, responseBytes))
        }
        func signed(_ f: ResponseForge) -> (tbs: [UInt8], algorithm: [UInt8], signature: [UInt8]) {
            let tbs = f.tbsResponseData
            return (tbs, f.signatureAlgorithm.algorithmIdentifier, f.signer.sign(tbs, algorithm: f.signatureAlgorithm))
        }
        var result: [(String, [UInt8])] = [("Good", good.der())]
        for algorithm in pki.keyType == .ecdsa
            ? [ForgeSignatureAlgorithm.ecdsaSHA1, .ecdsaSHA384] : [.rsaPKCS1SHA1, .rsaPSSSHA256]
        {
            var f = good
            f.signatureAlgorithm = algorithm
            result.append(("signed with \(algorithm)", f.der()))
        }
        // responseStatus: encodings der::Enumerated refuses (firefox-policy §3.1).
        result.append(("responseStatus ENUMERATED 80", [0x30, 0x03, 0x0A, 0x01, 0x80]))
        result.append(("responseStatus ENUMERATED empty", [0x30, 0x02, 0x0A, 0x00]))
        result.append(("responseStatus ENUMERATED 00 03", [0x30, 0x04, 0x0A, 0x02, 0x00, 0x03]))
        func content(_ tlv: [UInt8]) -> [UInt8] { Array(tlv.dropFirst(tlv[1] < 0x80 ? 2 : 2 + Int(tlv[1] & 0x7F))) }
        result.append(
            (
                "successful as ENUMERATED 00 00",
                W.tlv(0x30, [0x0A, 0x02, 0x00, 0x00] + content(good.der()).dropFirst(3))
            )
        )
        // The signature field (firefox-policy §3.3).
        let (tbs, algorithm, signature) = signed(good)
        result.append(("signature as an OCTET STRING", wrap(tbs + algorithm + W.octetString([0] + signature))))
        result.append(("no signature", wrap(tbs + algorithm)))
        result.append(
            ("signature BIT STRING with 1 unused bit", wrap(tbs + algorithm + W.bitString(signature, unusedBits: 1)))
        )
        // The responderID and the version before it (firefox-policy §3.4, §3.5).
        var keyHash: [UInt8] = []
        if case .byKey(let hash) = good.responder { keyHash = W.explicit(2, W.octetString(hash)) }
        let variants: [(String, [UInt8])] = [
            ("byName holding the issuer's name as a SET", W.explicit(1, W.tlv(0x31, content(pki.intermediateName)))),
            ("byName holding an INTEGER", W.explicit(1, W.integer(5))),
            ("version [0] INTEGER 00 00", W.explicit(0, W.integer([0x00, 0x00])) + keyHash),
            ("version [0] INTEGER empty", W.explicit(0, W.integer([UInt8]())) + keyHash),
            ("version [0] INTEGER 80", W.explicit(0, W.integer([0x80])) + keyHash),
            ("version [0] OCTET STRING", W.explicit(0, W.octetString([0x00])) + keyHash),
        ]
        for (label, bytes) in variants {
            var f = good
            f.responder = .raw(bytes)
            result.append((label, f.der()))
        }
        // OIDs whose content is no valid encoding: mozpkix compares them and never decodes them (firefox-policy §3).
        let sha1 = W.oid([1, 3, 14, 3, 2, 26])
        let broken = W.tlv(0x06, Array(content(sha1).dropLast()) + [0x9A])
        var other = good.responses[0]
        guard let at = other.certID.indices.first(where: { other.certID[$0...].starts(with: sha1) }) else {
            preconditionFailure("the forged CertID has no SHA-1 algorithm")
        }
        other.certID.replaceSubrange(at..<at + sha1.count, with: broken)
        var hashOID = good
        hashOID.responses = [other, good.responses[0]]
        result.append(("a SingleResponse for another CertID hash OID ending inside a subidentifier", hashOID.der()))
        var extensionOID = good
        extensionOID.responses[0].extensions = [W.sequence(W.tlv(0x06, [0x2B, 0x86]) + W.octetString(W.null))]
        result.append(("a single extension whose OID ends inside a subidentifier", extensionOID.der()))
        // Delegated responders whose certificates BackCert::Init reads strictly (firefox-policy §3.5).
        let key: ForgeKey = pki.keyType == .ecdsa ? .p256() : .rsa(bits: 2048)
        let responder = pki.responder(key: key)
        let unknownCritical = ForgeExtension.raw(oid: [1, 3, 6, 1, 4, 1, 99_999, 1], critical: true, value: W.null)
        let noCheck = ForgeExtension.raw(oid: [1, 3, 6, 1, 5, 5, 7, 48, 1, 5], critical: true, value: W.null)
        let responders: [(String, [UInt8])] = [
            ("delegated responder", responder),
            (
                "delegated responder with an unknown critical extension",
                reissued(responder, adding: unknownCritical, pki)
            ),
            ("delegated responder with a critical id-pkix-ocsp-nocheck", reissued(responder, adding: noCheck, pki)),
            ("delegated responder with version 5", reissued(responder, version: 4, pki)),
            (
                "delegated responder with its extendedKeyUsage twice",
                reissued(responder, adding: ForgeExtension.extendedKeyUsage([ForgeExtension.ocspSigning]), pki)
            ),
            (
                "delegated responder with an empty keyUsage",
                reissued(responder, adding: ForgeExtension.raw(oid: [2, 5, 29, 15], value: []), pki)
            ),
        ]
        for (label, certificate) in responders {
            var f = good
            f.responder = try! ResponseForge.byKey(certificate)
            f.signer = key
            f.certificates = [certificate]
            result.append((label, f.der()))
        }
        return result
    }

    /// `certificate` (issued by `pki`'s intermediate) with one more extension or another version
    /// number, signed again by the intermediate.
    static func reissued(
        _ certificate: [UInt8],
        adding ext: [UInt8]? = nil,
        version: UInt8? = nil,
        _ pki: ForgePKI
    )
        -> [UInt8]
    {
        typealias W = DERWriter
        func split(_ der: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
            var parts: [ArraySlice<UInt8>] = []
            var i = der.startIndex
            while i < der.endIndex {
                let first = der[i + 1]
                let (header, length) =
                    first < 0x80
                    ? (2, Int(first))
                    : (
                        2 + Int(first & 0x7F),
                        der[(i + 2)..<(i + 2 + Int(first & 0x7F))].reduce(0) { $0 << 8 | Int($1) }
                    )
                parts.append(der[i..<(i + header + length)])
                i += header + length
            }
            return parts
        }
        func content(_ tlv: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            tlv.dropFirst(tlv[tlv.startIndex + 1] < 0x80 ? 2 : 2 + Int(tlv[tlv.startIndex + 1] & 0x7F))
        }
        let outer = split(content(certificate[...]))  // tbsCertificate, signatureAlgorithm, signature
        var fields = split(content(outer[0]))  // [0] version, serial, …, [3] extensions
        if let version { fields[0] = W.explicit(0, W.integer([version]))[...] }
        if let ext {
            let list = split(content(content(fields[fields.count - 1])))
            fields[fields.count - 1] = W.explicit(3, W.sequence(of: list.map(Array.init) + [ext]))[...]
        }
        let tbs = W.sequence(of: fields.map(Array.init))
        let algorithm = pki.intermediateKey.defaultAlgorithm
        return W.sequence(tbs, Array(outer[1]), W.bitString(pki.intermediateKey.sign(tbs, algorithm: algorithm)))
    }

    // MARK: Our side

    static func verdict(_ outcome: OCSPResponseVerifier.Outcome) -> Verdict {
        let error = outcome.error?.code.name ?? "SUCCESS"
        var v = Verdict(error: error, expired: outcome.expired)
        if Verdict.withTimes.contains(error) {
            v.thisUpdate = outcome.thisUpdate
            v.validThrough = outcome.validThrough
        }
        return v
    }

    static func verdict(_ answer: MozpkixOracle.Answer) -> Verdict {
        let error = answer.result == "Success" ? "SUCCESS" : codes[answer.result]?.name ?? "mozpkix \(answer.result)"
        var v = Verdict(error: error, expired: answer.expired)
        if Verdict.withTimes.contains(error) {
            v.thisUpdate = answer.thisUpdate
            v.validThrough = answer.validThrough
        }
        return v
    }

    /// Our chain rules for one link (`StapleEngine.checkChainRules`, firefox-policy §1.1–§1.2).
    static func oursLink(issuer: [UInt8], subject: [UInt8]) -> (String, String) {
        do {
            let s = try ParsedCertificate(der: subject)
            let i = try ParsedCertificate(der: issuer)
            try TLSFeatureRules.checkDecodable(s, position: "subject")
            try TLSFeatureRules.checkDecodable(i, position: "issuer")
            try TLSFeatureRules.checkInheritance(subject: s, issuer: i, link: "subject ← issuer")
            return ("SUCCESS", "")
        } catch {
            return (error.code.name, error.reason)
        }
    }

    /// Our end-entity rule (`StapleEngine.mustStapleCheck`, firefox-policy §1.1, §1.3).
    static func oursCert(_ der: [UInt8], stapled: Bool) -> (String, String) {
        do {
            let c = try ParsedCertificate(der: der)
            try TLSFeatureRules.checkDecodable(c, position: "certificate")
            if let features = c.tlsFeatures {
                try TLSFeatureRules.checkSatisfied(features, staplePresent: stapled)
            }
            return ("SUCCESS", "")
        } catch {
            return (error.code.name, error.reason)
        }
    }

    // MARK: The comparison

    struct Tally {
        var samples = 0
        var agree = 0
        var documented: [String: Int] = [:]
        var undocumented: [String] = []
        var mappingErrors: Set<String> = []
        var mozpkixResults: [String: Int] = [:]

        /// `MOZPKIX_VERBOSE=1` prints every sample with both answers.
        let verbose = ProcessInfo.processInfo.environment["MOZPKIX_VERBOSE"] != nil

        mutating func record(_ o: Observation, answer: MozpkixOracle.Answer? = nil) {
            samples += 1
            if verbose { print("mozpkix sample: \(o.kind.rawValue) \(o.label): ours \(o.ours); mozpkix \(o.mozpkix)") }
            if let answer {
                mozpkixResults[answer.result, default: 0] += 1
                if let code = MozpkixDifferentialTests.codes[answer.result],
                    code.name != answer.nssName || code.number != answer.nssCode
                {
                    mappingErrors.insert(
                        "\(answer.result): ours \(code), NSS \(answer.nssName ?? "-") (\(answer.nssCode))"
                    )
                }
            }
            if o.ours == o.mozpkix {
                agree += 1
            } else if let d = MozpkixDifferentialTests.documentedDifferences.first(where: { $0.matches(o) }) {
                documented[d.name, default: 0] += 1
            } else {
                undocumented.append(
                    "\(o.kind.rawValue) \(o.label): ours \(o.ours) [\(o.oursReason)]; mozpkix \(o.mozpkix)"
                )
            }
        }
    }

    @Test("the engine and mozilla::pkix agree on every sample, or the difference is documented")
    func againstMozpkix() throws {
        let oracle = try MozpkixOracle(path: try #require(MozpkixOracle.path))
        var tally = Tally()
        var bytesCache: [String: [UInt8]] = [:]
        var chains: [String: OpenSSLDifferentialTests.Chain] = [:]

        func judge(
            _ bytes: [UInt8],
            chain: OpenSSLDifferentialTests.Chain,
            sample s: OCSPSample,
            label: String
        )
            throws -> MozpkixOracle.Answer
        {
            let outcome = OCSPResponseVerifier(
                endEntity: chain.leaf,
                issuer: chain.issuer,
                time: s.time,
                policy: s.policy
            )
            .verify(bytes)
            let answer = try oracle.verifyOCSP(
                issuer: chain.der[1],
                subject: chain.der[0],
                time: s.time,
                maxLifetimeDays: s.maxLifetimeDays,
                minRSABits: s.minRSABits,
                sha1Certificates: s.sha1,
                response: bytes
            )
            tally.record(
                Observation(
                    kind: .ocsp,
                    label: label,
                    ours: Self.verdict(outcome),
                    mozpkix: Self.verdict(answer),
                    oursReason: outcome.error?.reason ?? "",
                    notes: outcome.notes
                ),
                answer: answer
            )
            return answer
        }

        // The corpus, at each case's time and at the edges.
        var done = Set<OCSPSample>()
        for base in try Self.corpusSamples() {
            let bytes = try bytesCache[base.staple] ?? OpenSSLDifferentialTests.read(base.staple)
            bytesCache[base.staple] = bytes
            let chain = try chains[base.chain] ?? OpenSSLDifferentialTests.Chain(base.chain)
            chains[base.chain] = chain
            var times = [base.time]
            var pending = Self.edges(of: bytes, maxLifetimeDays: base.maxLifetimeDays)
            var i = 0
            while i < times.count {
                let s = base.at(times[i])
                i += 1
                guard done.insert(s).inserted else { continue }
                let label = "\(s.staple) [\(s.chain)] at \(Timestamp(s.time))"
                let answer = try judge(bytes, chain: chain, sample: s, label: label)
                if let t = answer.thisUpdate { pending.formUnion([t - Self.slop - 1, t - Self.slop, t + Self.slop]) }
                if let v = answer.validThrough { pending.formUnion([v, v + 1]) }
                for t in pending.sorted() where !times.contains(t) { times.append(t) }
                pending.removeAll()
            }
        }
        let corpusCount = tally.samples

        // The mutations, at T0.
        let t0 = try #require(ISO8601DateFormatter().date(from: "2026-06-01T12:00:00Z")).epochSeconds
        for (seed, _, mutants) in try StapleMutations.all(read: OpenSSLDifferentialTests.read) {
            let chain = try chains[seed.chain] ?? OpenSSLDifferentialTests.Chain(seed.chain)
            let s = OCSPSample(
                staple: seed.staple,
                chain: seed.chain,
                time: t0,
                maxLifetimeDays: 10,
                sha1: false,
                minRSABits: 1024
            )
            for m in mutants {
                _ = try judge(m.bytes, chain: chain, sample: s, label: m.name)
            }
        }
        let mutationCount = tally.samples - corpusCount

        // Forged responses: signature algorithms the corpus lacks, and encodings at the edges of
        // what mozpkix reads.
        for type in ForgePKI.KeyType.allCases {
            let pki = ForgePKI(keyType: type, notBefore: t0 - 86_400 * 30, notAfter: t0 + 86_400 * 30)
            let leaf = pki.leaf()
            let chain = try OpenSSLDifferentialTests.Chain(der: [leaf, pki.intermediate, pki.root])
            let s = OCSPSample(
                staple: "forged",
                chain: "forged",
                time: t0,
                maxLifetimeDays: 10,
                sha1: false,
                minRSABits: 1024
            )
            for (label, bytes) in Self.forgedResponses(pki, leaf: leaf, t0: t0) {
                _ = try judge(bytes, chain: chain, sample: s, label: "\(type.rawValue) forged: \(label)")
            }
        }
        let forgedCount = tally.samples - corpusCount - mutationCount

        // The TLS Feature rules: the corpus certificates, then forged ones.
        func compareCert(_ label: String, _ der: [UInt8]) throws {
            for stapled in [false, true] {
                let (ours, reason) = Self.oursCert(der, stapled: stapled)
                let answer = try oracle.tlsCert(der, stapled: stapled)
                tally.record(
                    Observation(
                        kind: .tlsCert,
                        label: "\(label) \(stapled ? "with" : "without") a staple",
                        ours: Verdict(error: ours),
                        mozpkix: Self.verdict(answer),
                        oursReason: reason,
                        notes: []
                    ),
                    answer: answer
                )
            }
        }
        func compareLink(_ subject: (label: String, der: [UInt8]), _ issuer: (label: String, der: [UInt8])) throws {
            let (ours, reason) = Self.oursLink(issuer: issuer.der, subject: subject.der)
            let answer = try oracle.tlsLink(issuer: issuer.der, subject: subject.der)
            tally.record(
                Observation(
                    kind: .tlsLink,
                    label: "\(subject.label) ← \(issuer.label)",
                    ours: Verdict(error: ours),
                    mozpkix: Self.verdict(answer),
                    oursReason: reason,
                    notes: []
                ),
                answer: answer
            )
        }
        for tree in ["ecdsa", "rsa"] {
            let certificates = try Self.corpusCertificates(tree)
            for c in certificates { try compareCert(c.label, c.der) }
            for subject in certificates {
                for issuer in certificates { try compareLink(subject, issuer) }
            }
        }
        for type in ForgePKI.KeyType.allCases {
            let pki = ForgePKI(keyType: type, notBefore: t0 - 86_400 * 30, notAfter: t0 + 86_400 * 30)
            let forged = Self.tlsFeatureExtensions().enumerated().map { (i, e) in
                (
                    label: "\(type.rawValue) leaf with \(e.label)",
                    der: pki.leaf(serial: [0x20, UInt8(i & 0xFF), UInt8(i >> 8)], extraExtensions: e.extensions)
                )
            }
            for (i, c) in forged.enumerated() {
                try compareCert(c.label, c.der)
                for j in [i, (i + 1) % forged.count, forged.count - 1] {
                    try compareLink(c, forged[j])
                    try compareLink(forged[j], c)
                }
            }
        }
        let tlsCount = tally.samples - corpusCount - mutationCount - forgedCount

        #expect(tally.mappingErrors.isEmpty, "Result ↔ code rows that NSS contradicts: \(tally.mappingErrors.sorted())")
        #expect(
            tally.undocumented.isEmpty,
            "undocumented disagreements (\(tally.undocumented.count)):\n\(tally.undocumented.joined(separator: "\n"))"
        )
        let stale = Self.documentedDifferences.filter { tally.documented[$0.name] == nil }.map(\.name)
        #expect(stale.isEmpty, "documented differences that no longer occur: \(stale)")
        // The oracle is not degenerate: it gives the main answers somewhere.
        for result in ["Success", "ERROR_REVOKED_CERTIFICATE", "ERROR_OCSP_UNKNOWN_CERT", "ERROR_OCSP_OLD_RESPONSE"] {
            #expect(
                tally.mozpkixResults[result, default: 0] >= 4,
                "mozpkix answered \(result) only \(tally.mozpkixResults[result, default: 0]) times"
            )
        }
        print(
            "mozpkix: \(corpusCount) corpus samples, \(mutationCount) mutations, \(forgedCount) forged responses, \(tlsCount) TLS Feature samples; answers: \(tally.mozpkixResults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
        )
        for d in Self.documentedDifferences {
            print(
                "mozpkix: \(d.engineBug ? "engine bug (reported)" : "documented difference") '\(d.name)': \(tally.documented[d.name, default: 0])"
            )
        }
        print(
            "mozpkix: \(tally.samples) samples, \(tally.agree) agree, \(tally.documented.values.reduce(0, +)) documented differences"
        )
    }
}
