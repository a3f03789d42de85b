import Foundation
import StapleTLS
import StapleTestSupport
import StapleVectors
import StapleVerifier
import Testing

/// docs/CONTRACT.md and the DocC articles that list the stable names, held to the code (the code
/// is the truth). Where a document lists a set exhaustively, both directions: nothing the code has
/// is missing from the document, and nothing the document lists is missing from the code or
/// differs from it.
@Suite struct ContractTests {
    /// Tests/stapleCLITests/ContractTests.swift → the package root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func read(_ path: String) throws -> Markdown {
        Markdown(path: path, text: try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8))
    }

    static let contract = "docs/CONTRACT.md"
    static let errorsArticle = "Sources/StapleVerifier/StapleVerifier.docc/Errors.md"
    static let tlsErrorsArticle = "Sources/StapleTLS/StapleTLS.docc/TLSErrors.md"
    static let policyArticle = "Sources/StapleVerifier/StapleVerifier.docc/PoliciesAndPresets.md"
    static let firefoxPolicy = "docs/firefox-policy.md"

    // MARK: Error codes

    /// A name listed twice keeps its first number; ``codesAreUnique()`` fails on it.
    static var codeNumbers: [String: Int] {
        Dictionary(VerificationError.Code.all.map { ($0.name, $0.number) }, uniquingKeysWith: { first, _ in first })
    }

    @Test("no error name or number is in the code twice")
    func codesAreUnique() {
        let codes = VerificationError.Code.all
        #expect(Set(codes.map(\.name)).count == codes.count, "a name twice in VerificationError.Code.all")
        #expect(Set(codes.map(\.number)).count == codes.count, "a number twice in VerificationError.Code.all")
        let tls = TLSError.Code.all
        #expect(Set(tls.map(\.name)).count == tls.count, "a name twice in TLSError.Code.all")
    }

    /// The rows of the tables under `headings`, as name (the first cell) → the cell of `column`; a
    /// name listed twice is an issue.
    static func namedRows(_ document: Markdown, under headings: [String], column: Int) -> [String: String] {
        var rows: [String: String] = [:]
        for heading in headings {
            let table = document.tableRows(under: heading)
            #expect(!table.isEmpty, "\(document.path): no table under '\(heading)'")
            for row in table {
                #expect(rows[row[0]] == nil, "\(document.path): \(row[0]) is listed twice")
                rows[row[0]] = row.count > column ? row[column] : ""
            }
        }
        return rows
    }

    /// Both directions: the same names, and each with the code's number.
    static func expectSameCodes(_ listed: [String: String], in path: String) {
        let code = codeNumbers
        for (name, number) in code.sorted(by: { $0.key < $1.key }) {
            guard let cell = listed[name] else {
                Issue.record("\(path) does not list \(name) (\(number))")
                continue
            }
            #expect(Markdown.number(cell) == number, "\(path): \(name) is \(number) in the code, not \(cell)")
        }
        for name in listed.keys.sorted() where code[name] == nil {
            Issue.record("\(path) lists \(name), which VerificationError.Code.all does not have")
        }
    }

    @Test("CONTRACT.md lists every VerificationError code with its number, and no other")
    func contractErrorCodes() throws {
        let doc = try Self.read(Self.contract)
        let listed = Self.namedRows(doc, under: ["Error names"], column: 1)
        Self.expectSameCodes(listed, in: Self.contract)
    }

    @Test("the Errors article lists every VerificationError code with its number, and no other")
    func articleErrorCodes() throws {
        let doc = try Self.read(Self.errorsArticle)
        let listed = Self.namedRows(doc, under: ["Firefox's names", "Ours"], column: 1)
        Self.expectSameCodes(listed, in: Self.errorsArticle)
    }

    /// firefox-policy §4 is about Firefox, so it lists codes the engine never returns; but a code both
    /// have must have one number.
    @Test("where firefox-policy §4 lists a code the engine has, the numbers agree")
    func firefoxPolicyNumbers() throws {
        let doc = try Self.read(Self.firefoxPolicy)
        let rows = doc.tableRows(under: "4. Error codes on these paths")
        let code = Self.codeNumbers
        let shared = rows.filter { code[$0[0]] != nil }
        #expect(shared.count >= 20, "firefox-policy §4: \(shared.count) rows of codes the engine has")
        for row in shared {
            #expect(Markdown.number(row[1]) == code[row[0]], "\(Self.firefoxPolicy) §4: \(row[0])")
        }
    }

    // MARK: TLS error codes

    /// `certificate (1)` → ("certificate", 1); `certificate` → ("certificate", nil).
    static func category(_ cell: String) -> (name: String, exit: Int32?) {
        let parts = cell.split(separator: " ", maxSplits: 1).map(String.init)
        let exit = parts.count > 1 ? Int32(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "()"))) : nil
        return (parts.first ?? "", exit)
    }

    static func expectSameTLSCodes(_ document: Markdown, under heading: String, withExit: Bool) {
        let listed = namedRows(document, under: [heading], column: 1)
        for code in TLSError.Code.all {
            guard let cell = listed[code.name] else {
                Issue.record("\(document.path) does not list \(code.name) (\(code.category.rawValue))")
                continue
            }
            let (name, exit) = category(cell)
            #expect(name == code.category.rawValue, "\(document.path): \(code.name) is \(code.category.rawValue)")
            if withExit {
                #expect(
                    exit == code.category.exitCode,
                    "\(document.path): \(code.name) exits \(code.category.exitCode)"
                )
            }
        }
        let names = Set(TLSError.Code.all.map(\.name))
        for name in listed.keys.sorted() where !names.contains(name) {
            Issue.record("\(document.path) lists \(name), which TLSError.Code.all does not have")
        }
    }

    @Test("CONTRACT.md lists every TLSError code with its category and exit code, and no other")
    func contractTLSCodes() throws {
        let doc = try Self.read(Self.contract)
        Self.expectSameTLSCodes(doc, under: "TLS connection errors", withExit: false)
        // The sentence that maps the categories to exit codes.
        let section = doc.section(under: "TLS connection errors")
        let mappings = section.matches(of: /`(\w+)` → (\d)/).map { (String($0.output.1), Int32($0.output.2)) }
        #expect(mappings.count == 3, "\(Self.contract): the category → exit code sentence")
        for (name, exit) in mappings {
            let category = try #require(TLSError.Category(rawValue: name), "\(Self.contract): category \(name)")
            #expect(exit == category.exitCode, "\(Self.contract): \(name) exits \(category.exitCode)")
        }
    }

    @Test("the TLSErrors article lists every TLSError code with its category and exit code, and no other")
    func articleTLSCodes() throws {
        Self.expectSameTLSCodes(try Self.read(Self.tlsErrorsArticle), under: "The codes", withExit: true)
    }

    // MARK: Policy keys

    /// A preset's value of each key, as the tables write it: the policy's own JSON (the keys are its
    /// field names) with strings unquoted.
    static func values(of policy: RevocationPolicy) throws -> [String: String] {
        let data = try JSONEncoder().encode(policy)
        return try JSONDecoder().decode([String: VectorCase.Scalar].self, from: data).mapValues(\.text)
    }

    /// Every table whose first column is `key`: its keys are `settableKeys`, in their order, and
    /// each column named after a preset holds that preset's values.
    static func expectPolicyTables(_ document: Markdown, count: Int) throws {
        let tables = document.tables().filter { $0.header.first == "key" }
        #expect(tables.count == count, "\(document.path): \(tables.count) tables of policy keys")
        for table in tables {
            let keys = table.rows.map { $0[0] }
            #expect(keys == RevocationPolicy.settableKeys, "\(document.path): the keys of '\(table.heading)'")
            for (column, name) in table.header.enumerated() {
                guard let preset = RevocationPolicy.Preset(rawValue: name), preset != .custom else { continue }
                let values = try values(of: .preset(preset))
                for row in table.rows where row.count > column {
                    #expect(
                        row[column] == values[row[0]],
                        "\(document.path) '\(table.heading)': \(row[0]) under \(name) is \(values[row[0]] ?? "absent")"
                    )
                }
            }
        }
    }

    @Test("CONTRACT.md lists every policy key, in order, with each preset's value")
    func contractPolicyKeys() throws {
        try Self.expectPolicyTables(try Self.read(Self.contract), count: 1)
    }

    @Test("the policy article lists every policy key, in order, with each preset's value")
    func articlePolicyKeys() throws {
        try Self.expectPolicyTables(try Self.read(Self.policyArticle), count: 2)
    }

    // MARK: JSON schema names

    static var schemaPattern: Regex<Substring> { /swift-must-staple\/[a-z]+\/[0-9]+/ }

    /// Every schema name written in a Swift file under Sources/.
    static func schemasInSources() throws -> Set<String> {
        let sources = root.appendingPathComponent("Sources")
        var found: Set<String> = []
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            found.formUnion(text.matches(of: schemaPattern).map { String($0.output) })
        }
        return found
    }

    @Test("CONTRACT.md names every JSON schema the code writes, and no other")
    func schemaNames() throws {
        let inSources = try Self.schemasInSources()
        // The constants the library writes, in case the scan above misses a file.
        let constants = [
            Verdict.schemaVersion, ConnectionReport.currentSchema, ViolationReport.schemaVersion, VectorManifest.schema,
        ]
        for constant in constants {
            #expect(inSources.contains(constant), "the scan of Sources/ missed \(constant)")
        }
        let text = try Self.read(Self.contract).text
        let documented = Set(text.matches(of: Self.schemaPattern).map { String($0.output) })
        for name in inSources.subtracting(documented).sorted() {
            Issue.record("\(Self.contract) does not name the schema \(name)")
        }
        for name in documented.subtracting(inSources).sorted() {
            Issue.record("\(Self.contract) names the schema \(name), which no code under Sources/ writes")
        }
    }

    @Test("CONTRACT.md lists the CSV columns in the order the header has them")
    func csvColumns() async throws {
        let listed = try Self.read(Self.contract).tableRows(under: "CSV columns").map { $0[0] }
        let r = try await StapleCLI.run(["check", "--format", "csv", "--quiet", "127.0.0.1:1"])
        let header = r.stdout.split(separator: "\n").first.map { $0.split(separator: ",").map(String.init) } ?? []
        #expect(!listed.isEmpty)
        #expect(header == listed)
    }
}
