import SwiftASN1

/// Walks the children of one constructed DER node in order, naming the field it expects so that
/// every error says what was wrong and where (DESIGN.md "Fail closed"). Leftover children are an
/// error (`end()`), as pkixder `End` and webpki `read_all` insist.
struct DERCursor {
    private var iterator: ASN1NodeCollection.Iterator
    /// The structure being read, e.g. "ResponseData".
    let path: String
    /// The code a structural problem maps to (malformed response inside a staple, bad DER elsewhere).
    let code: VerificationError.Code

    init(_ node: ASN1Node, expecting identifier: ASN1Identifier = .sequence, path: String,
         code: VerificationError.Code = .ocspMalformedResponse) throws(VerificationError) {
        guard node.identifier == identifier else {
            throw VerificationError(code, "\(path): expected \(identifier), found \(node.identifier)")
        }
        guard case .constructed(let children) = node.content else {
            throw VerificationError(code, "\(path): expected a constructed value")
        }
        self.iterator = children.makeIterator()
        self.path = path
        self.code = code
    }

    /// The identifier of the next child, without consuming it.
    func peekIdentifier() -> ASN1Identifier? {
        var copy = iterator
        return copy.next()?.identifier
    }

    var isAtEnd: Bool { peekIdentifier() == nil }

    mutating func next(_ field: String) throws(VerificationError) -> ASN1Node {
        guard let node = iterator.next() else {
            throw VerificationError(code, "\(path).\(field) is missing")
        }
        return node
    }

    /// The next child if it carries `identifier`; nil (nothing consumed) otherwise.
    mutating func optional(_ identifier: ASN1Identifier) -> ASN1Node? {
        guard peekIdentifier() == identifier else { return nil }
        return iterator.next()
    }

    mutating func next(_ field: String, _ identifier: ASN1Identifier) throws(VerificationError) -> ASN1Node {
        let node = try next(field)
        guard node.identifier == identifier else {
            throw VerificationError(code, "\(path).\(field): expected \(identifier), found \(node.identifier)")
        }
        return node
    }

    func end() throws(VerificationError) {
        if let extra = peekIdentifier() {
            throw VerificationError(code, "\(path): unexpected trailing element \(extra)")
        }
    }

    func error(_ field: String, _ what: String) -> VerificationError {
        VerificationError(code, "\(path).\(field): \(what)")
    }
}

extension ASN1Node {
    /// The content octets of a primitive node; nil for constructed ones.
    var primitiveBytes: ArraySlice<UInt8>? {
        if case .primitive(let bytes) = content { return bytes }
        return nil
    }
}

/// The context-specific tags used in OCSP (RFC 6960 uses EXPLICIT tagging throughout §4.2.1).
extension ASN1Identifier {
    static func contextConstructed(_ n: UInt) -> ASN1Identifier { ASN1Identifier(tagWithNumber: n, tagClass: .contextSpecific) }
}

/// Parses a whole top-level DER value: exactly one TLV, no trailing bytes (swift-asn1 checks that),
/// nesting bounded by swift-asn1's depth limit of 50.
func parseDER(_ bytes: ArraySlice<UInt8>, what: String, code: VerificationError.Code) throws(VerificationError) -> ASN1Node {
    do {
        return try DER.parse(bytes)
    } catch {
        throw VerificationError(code, "\(what) is not valid DER: \(error)")
    }
}
