/// A duration on the command line (`--warn-before`): `36h`, `5d`, `90m`, `30s`, `2w` or plain seconds.
enum DurationArgument {
    /// The seconds `text` stands for; nil for anything else, a negative number or an overflow.
    static func seconds(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let n = Int64(text), n >= 0 { return n }
        guard let unit = text.last, let factor = units[unit], let n = Int64(text.dropLast()), n >= 0 else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }
}
