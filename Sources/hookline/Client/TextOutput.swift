import Foundation
import HooklineCore

/// Rows of text printed in aligned columns.
struct TextTable {
    /// The column titles.
    var columns: [String]
    /// The cells, one array per row.
    var rows: [[String]]

    /// The table as lines, each column padded to its widest cell.
    var rendered: String {
        let all = [columns] + rows
        let widths = columns.indices.map { index in all.map { $0.indices.contains(index) ? $0[index].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// A two-column table of an object's fields, in the order of `keys` (others after, sorted).
    static func fields(_ value: JSONValue, keys: [String]) -> TextTable {
        guard case .object(let members) = value else { return TextTable(columns: ["VALUE"], rows: [[value.cellText]]) }
        let ordered = keys.filter { members[$0] != nil } + members.keys.filter { !keys.contains($0) }.sorted()
        return TextTable(columns: ["FIELD", "VALUE"], rows: ordered.map { [$0, members[$0]?.cellText ?? ""] })
    }

    /// A table of a list reply's `data`, one row per item, with the given (title, key) columns.
    static func list(_ value: JSONValue, _ columns: [(String, String)]) -> TextTable {
        guard case .array(let items)? = value["data"] else { return TextTable(columns: columns.map(\.0), rows: []) }
        var table = TextTable(columns: columns.map(\.0), rows: items.map { item in columns.map { item[$0.1]?.cellText ?? "" } })
        if value["done"] == .bool(false), let next = value["iterator"]?.cellText {
            table.rows.append([])
            table.rows.append(["(more: --iterator \(next))"])
        }
        return table
    }
}

/// Where the CLI writes: results on standard output, progress on standard error.
enum Console {
    /// Prints a line of output.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Prints a progress line on standard error.
    static func progress(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

extension JSONValue {
    /// The value as one table cell: strings bare, lists comma-joined, objects as compact JSON.
    var cellText: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): value
        case .array(let values): values.map(\.cellText).joined(separator: ",")
        case .object: (try? canonicalData()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }

    /// The value as indented JSON with sorted keys.
    var prettyText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The string at `key`, for ids in replies.
    func string(_ key: String) -> String? {
        if case .string(let value)? = self[key] { return value }
        return nil
    }
}
