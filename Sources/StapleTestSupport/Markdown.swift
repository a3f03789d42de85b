import Foundation

/// A Markdown document, read just enough for its headings and pipe tables.
package struct Markdown {
    package let path: String
    package let text: String

    package init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    package struct Table {
        package let heading: String
        package let header: [String]
        package let rows: [[String]]
    }

    /// The cells of a table line, trimmed, without the backticks of code spans.
    package static func cells(_ line: Substring) -> [String] {
        var parts = line.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "")
        }
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// A number as the documents write it: a Unicode minus (−), an ASCII one, digits.
    package static func number(_ cell: String) -> Int? {
        Int(cell.replacingOccurrences(of: "\u{2212}", with: "-"))
    }

    package static func headingText(_ line: Substring) -> String? {
        guard line.hasPrefix("#") else { return nil }
        return line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
    }

    /// Every pipe table, with the heading it stands under.
    package func tables() -> [Table] {
        var tables: [Table] = []
        var heading = ""
        var current: [[String]] = []
        func finish() {
            // A table is a header line, a |---| line, then rows.
            if current.count >= 2, current[1].allSatisfy({ $0.allSatisfy { "-:".contains($0) } && !$0.isEmpty }) {
                let rows = current.dropFirst(2).filter { !$0.isEmpty }
                tables.append(Table(heading: heading, header: current[0], rows: Array(rows)))
            }
            current = []
        }
        var inCode = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCode.toggle() }
            if !inCode, line.hasPrefix("|") {
                current.append(Self.cells(line))
                continue
            }
            finish()
            if !inCode, let h = Self.headingText(line) { heading = h }
        }
        finish()
        return tables
    }

    /// The rows of the tables under the heading whose text begins with `heading`.
    package func tableRows(under heading: String) -> [[String]] {
        tables().filter { $0.heading.hasPrefix(heading) }.flatMap(\.rows)
    }

    /// The text from the heading that begins with `heading` to the next heading.
    package func section(under heading: String) -> String {
        var lines: [Substring] = []
        var inside = false
        var inCode = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCode.toggle() }
            if !inCode, let h = Self.headingText(line) {
                inside = h.hasPrefix(heading)
                continue
            }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }
}
