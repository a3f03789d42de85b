/// Seconds since 1970-01-01T00:00:00Z. The engine keeps time as a whole number of seconds: OCSP
/// times have a one-second resolution (RFC 5280 §4.1.2.5.2) and comparisons stay exact.
typealias EpochSeconds = Int64

/// Reads a GeneralizedTime the way mozpkix `TimeChoice` does (firefox-policy §3.9): exactly
/// `YYYYMMDDHHMMSSZ`, no fractional seconds, no offsets, a real calendar date, year ≥ 1970.
/// A GeneralizedTime of any other content is `SEC_ERROR_INVALID_TIME` — not mapped to "malformed";
/// an element of another type (a UTCTime, say) fails mozpkix's tag check, a DER fault, so it is
/// malformed (firefox-policy §3, §3.9).
func strictGeneralizedTime(_ element: DERElement, field: String) throws(VerificationError) -> EpochSeconds {
    guard element.identifier == DERIdentifier.generalizedTime, let bytes = element.primitiveContent else {
        throw VerificationError(
            .ocspMalformedResponse,
            "\(field): expected GeneralizedTime, found \(element.identifierDescription)"
        )
    }
    return try parseGeneralizedTimeDigits(bytes, field: field)
}

func parseGeneralizedTimeDigits(_ b: [UInt8], field: String) throws(VerificationError) -> EpochSeconds {
    try parseGeneralizedTimeDigits(b[...], field: field)
}

/// Reads the digits in place (no copies: three times are read per staple).
func parseGeneralizedTimeDigits(_ b: ArraySlice<UInt8>, field: String) throws(VerificationError) -> EpochSeconds {
    let s = b.startIndex
    guard b.count == 15, b[s + 14] == UInt8(ascii: "Z") else {
        throw VerificationError(
            .invalidTime,
            "\(field): GeneralizedTime must be YYYYMMDDHHMMSSZ (got \(b.count) bytes: \(String(decoding: b, as: UTF8.self)))"
        )
    }
    for i in 0..<14 {
        guard b[s + i] >= 0x30 && b[s + i] <= 0x39 else {
            throw VerificationError(
                .invalidTime,
                "\(field): non-digit in GeneralizedTime \(String(decoding: b, as: UTF8.self))"
            )
        }
    }
    func num(_ at: Int, _ n: Int) -> Int {
        var v = 0
        for k in at..<at + n { v = v * 10 + Int(b[s + k] - 0x30) }
        return v
    }
    let year = num(0, 4)
    let month = num(4, 2)
    let day = num(6, 2)
    let hour = num(8, 2)
    let minute = num(10, 2)
    let second = num(12, 2)
    guard year >= 1970, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
        hour < 24, minute < 60, second < 60
    else {
        throw VerificationError(.invalidTime, "\(field): not a valid date/time: \(String(decoding: b, as: UTF8.self))")
    }
    return EpochSeconds(daysFromCivil(year: year, month: month, day: day)) * 86_400
        + EpochSeconds(hour * 3600 + minute * 60 + second)
}

private func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

private func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-from-days inverse).
private func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}
