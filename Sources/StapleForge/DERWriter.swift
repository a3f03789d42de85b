import Foundation

/// A minimal DER writer for forging: it writes exactly what it is told, including encodings a
/// strict parser must refuse (explicit defaults, odd tags, trailing bytes) — that is its purpose.
public enum DERWriter {
    public static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    public static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var bytes: [UInt8] = []
        var v = n
        while v > 0 {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    public static func sequence(_ parts: [UInt8]...) -> [UInt8] { tlv(0x30, parts.flatMap { $0 }) }
    public static func sequence(of parts: [[UInt8]]) -> [UInt8] { tlv(0x30, parts.flatMap { $0 }) }
    public static func octetString(_ b: [UInt8]) -> [UInt8] { tlv(0x04, b) }
    public static func integer(_ content: [UInt8]) -> [UInt8] { tlv(0x02, content) }
    public static func integer(_ n: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var v = n
        repeat {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        } while v > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return integer(bytes)
    }
    public static func enumerated(_ n: UInt8) -> [UInt8] { tlv(0x0A, [n]) }
    public static func bitString(_ b: [UInt8], unusedBits: UInt8 = 0) -> [UInt8] { tlv(0x03, [unusedBits] + b) }
    public static let null: [UInt8] = [0x05, 0x00]
    public static func boolean(_ v: Bool) -> [UInt8] { tlv(0x01, [v ? 0xFF : 0x00]) }
    /// `[n]` constructed, context-specific (EXPLICIT tagging).
    public static func explicit(_ n: UInt8, _ content: [UInt8]) -> [UInt8] { tlv(0xA0 | n, content) }
    /// `[n]` primitive, context-specific (IMPLICIT tagging of a primitive).
    public static func implicitPrimitive(_ n: UInt8, _ content: [UInt8]) -> [UInt8] { tlv(0x80 | n, content) }

    public static func oid(_ arcs: [UInt]) -> [UInt8] {
        var body: [UInt8] = [UInt8(arcs[0] * 40 + arcs[1])]
        for arc in arcs.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7F)]
            var v = arc >> 7
            while v > 0 {
                chunk.insert(UInt8(v & 0x7F) | 0x80, at: 0)
                v >>= 7
            }
            body += chunk
        }
        return tlv(0x06, body)
    }

    /// `YYYYMMDDHHMMSSZ` of seconds since 1970.
    public static func generalizedTime(_ seconds: Int64) -> [UInt8] {
        tlv(0x18, Array(generalizedTimeString(seconds).utf8))
    }

    /// Formatted by Foundation, independently of the engine's own date arithmetic. One formatter
    /// for the process (it is Sendable): making one per call (ICU's set-up) cost more than the
    /// signature of the response it went into.
    public static func generalizedTimeString(_ seconds: Int64) -> String {
        formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    private static let formatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMddHHmmss'Z'"
        return f
    }()
}
