import Foundation
import Testing

/// Every `serve` setting is documented once, in `docs/configuration.md`.
@Suite(.timeLimit(.minutes(3))) struct ConfigurationDocsTests {
    static let document: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)) ?? ""
    }()

    @Test func everyServeFlagAndVariableHasARow() async throws {
        let help = try await HooklineProcess.run(["serve", "--help"])
        #expect(help.status == 0)
        // Each option's help paragraph starts with "  --flag" and names its variable, e.g. "(HOOKLINE_PORT, default 8400)".
        var variables: [String: String] = [:]
        var current: String?
        for line in help.output.split(separator: "\n") {
            if let flag = line.firstMatch(of: /^\s{2}(--[a-z][a-z0-9-]+)/)?.output.1 { current = String(flag) }
            if let current, variables[current] == nil, let name = line.firstMatch(of: /HOOKLINE_[A-Z_]+/)?.output {
                variables[current] = String(name)
            }
        }
        let flags = Set(help.output.matches(of: /^\s{2}(--[a-z][a-z0-9-]+)/.anchorsMatchLineEndings()).map { String($0.output.1) })
            .subtracting(["--help", "--version"])
        #expect(flags.count >= 20, "the help text lists the flags: \(flags.sorted())")
        // The serve table: from its header to the first line that is not a table row.
        let lines = Self.document.split(separator: "\n", omittingEmptySubsequences: false)
        let header = try #require(lines.firstIndex { $0.hasPrefix("| flag | variable |") })
        let rows = lines[header...].prefix { $0.hasPrefix("|") }.filter { $0.hasPrefix("| `--") }
        for flag in flags.sorted() {
            let row = rows.first { $0.hasPrefix("| `\(flag)`") }
            #expect(row != nil, "docs/configuration.md has no row for \(flag)")
            let variable = try #require(variables[flag], "the help of \(flag) names its HOOKLINE_ variable")
            #expect(row?.contains("`\(variable)`") == true, "the row of \(flag) names \(variable)")
        }
        let documented = Set(rows.compactMap { $0.firstMatch(of: /^\| `(--[a-z0-9-]+)`/).map { String($0.output.1) } })
        #expect(documented.subtracting(flags).isEmpty, "documented but not a flag: \(documented.subtracting(flags).sorted())")
    }
}
