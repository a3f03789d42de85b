import Foundation

/// `2026-06-01T12:00:00Z` from epoch seconds (UTC, whole seconds).
func rfc3339(_ seconds: EpochSeconds) -> String {
    let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    let secs = Int(seconds - EpochSeconds(days) * 86_400)
    // civil-from-days (Howard Hinnant).
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    guard (0...9999).contains(y) else {
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }
    // The same text as the format above, without Foundation's formatter (it sits on every verdict's path).
    var bytes: [UInt8] = Array("0000-00-00T00:00:00Z".utf8)
    func put(_ value: Int, at index: Int, digits: Int) {
        var v = value
        for k in stride(from: index + digits - 1, through: index, by: -1) {
            bytes[k] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
    }
    put(y, at: 0, digits: 4)
    put(m, at: 5, digits: 2)
    put(d, at: 8, digits: 2)
    put(secs / 3600, at: 11, digits: 2)
    put(secs / 60 % 60, at: 14, digits: 2)
    put(secs % 60, at: 17, digits: 2)
    return String(decoding: bytes, as: UTF8.self)
}
