/// Walks the elements of one constructed DER value in order, in place (no tree, no copies), naming
/// the field it expects so that every error says what was wrong and where (fail
/// closed). Leftover elements are an error (``end()``), as pkixder `End` and webpki `read_all`
/// insist.
///
/// The buffers it walks have been checked whole by ``DERStructure`` first, so a malformed TLV is
/// refused before any field is interpreted; the reader still checks every length it reads and
/// fails closed on its own.
struct DERReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int
    /// The structure being read, e.g. "ResponseData".
    let path: String
    /// The code a structural problem maps to (malformed response inside a staple, bad DER elsewhere).
    let code: VerificationError.Code

    /// Reads the elements in `contents` (the content octets of a constructed value, or a run of
    /// elements kept for later).
    init(contents: ArraySlice<UInt8>, path: String, code: VerificationError.Code = .ocspMalformedResponse) {
        self.bytes = contents
        self.position = contents.startIndex
        self.path = path
        self.code = code
    }

    /// Reads the children of `element`, which must carry `identifier` and be constructed.
    init(
        _ element: DERElement,
        expecting identifier: UInt8 = DERIdentifier.sequence,
        path: String,
        code: VerificationError.Code = .ocspMalformedResponse
    ) throws(VerificationError) {
        guard element.identifier == identifier else {
            throw VerificationError(
                code,
                "\(path): expected \(DERIdentifier.describe(identifier)), found \(element.identifierDescription)"
            )
        }
        guard element.isConstructed else {
            throw VerificationError(code, "\(path): expected a constructed value")
        }
        self.init(contents: element.content, path: path, code: code)
    }

    var isAtEnd: Bool { position >= bytes.endIndex }

    /// The elements not read yet, as bytes (kept to be read after the signature is checked).
    var remaining: ArraySlice<UInt8> { bytes[position...] }

    /// The identifier (``DERIdentifier``) of the next element, without consuming it.
    func peekIdentifier() -> UInt8? {
        isAtEnd ? nil : bytes[position] & ~DERIdentifier.constructedBit
    }

    /// The next element. `field` names it in errors and is only built on failure (the same below).
    mutating func next(_ field: @autoclosure () -> String) throws(VerificationError) -> DERElement {
        guard !isAtEnd else {
            throw VerificationError(code, "\(path).\(field()) is missing")
        }
        let start = position
        let end = bytes.endIndex
        let first = bytes[start]
        var i = start + 1
        if first & 0x1F == 0x1F {
            while i < end && bytes[i] & 0x80 != 0 { i += 1 }
            i += 1
        }
        guard i < end else { throw malformed(field(), "truncated identifier or length") }
        let lengthOctet = bytes[i]
        i += 1
        var length = Int(lengthOctet)
        if lengthOctet >= 0x80 {
            let count = Int(lengthOctet & 0x7F)
            guard count >= 1, count <= 8, end - i >= count else {
                throw malformed(field(), "unsupported or truncated length")
            }
            length = 0
            for _ in 0..<count {
                guard length <= (Int.max >> 8) else { throw malformed(field(), "length too large") }
                length = length << 8 | Int(bytes[i])
                i += 1
            }
        }
        guard end - i >= length else {
            throw malformed(field(), "truncated: \(length) content bytes announced, \(end - i) remain")
        }
        position = i + length
        return DERElement(firstOctet: first, encoded: bytes[start..<position], contentStart: i)
    }

    mutating func next(_ field: @autoclosure () -> String, _ identifier: UInt8) throws(VerificationError) -> DERElement
    {
        let element = try next(field())
        guard element.identifier == identifier else {
            throw VerificationError(
                code,
                "\(path).\(field()): expected \(DERIdentifier.describe(identifier)), found \(element.identifierDescription)"
            )
        }
        // mozpkix compares the whole first octet, the form included (pkixder `ExpectTagAndGetValue`):
        // a universal type in the other form is refused where it is read, not when it is descended into.
        if let constructed = DERIdentifier.derForm(of: identifier), element.isConstructed != constructed {
            throw VerificationError(
                code,
                "\(path).\(field()): \(DERIdentifier.describe(identifier)) in the \(constructed ? "primitive" : "constructed") form"
            )
        }
        return element
    }

    /// The next element if it carries `identifier`; nil (nothing consumed) otherwise. Its form is
    /// checked as ``next(_:_:)`` checks it.
    mutating func optional(_ identifier: UInt8) throws(VerificationError) -> DERElement? {
        guard peekIdentifier() == identifier else { return nil }
        return try next("optional element", identifier)
    }

    func end() throws(VerificationError) {
        guard isAtEnd else {
            var copy = self
            let extra = (try? copy.next("trailing"))?.identifierDescription ?? "bytes"
            throw VerificationError(code, "\(path): unexpected trailing element \(extra)")
        }
    }

    func error(_ field: String, _ what: String) -> VerificationError {
        VerificationError(code, "\(path).\(field): \(what)")
    }

    private func malformed(_ field: String, _ what: String) -> VerificationError {
        VerificationError(code, "\(path).\(field) is not valid DER: \(what)")
    }
}
