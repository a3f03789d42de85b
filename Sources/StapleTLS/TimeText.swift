import Foundation

/// Dates and durations as the reports print them.
enum TimeText {
    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// "2 s", "0.3 s".
    static func seconds(_ duration: Duration) -> String {
        let value = (milliseconds(duration) / 1000).rounded(toPlaces: 3)
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        // 1 ms = 10^15 attoseconds.
        return (Double(seconds) * 1000 + Double(attoseconds) / 1e15).rounded(toPlaces: 3)
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
