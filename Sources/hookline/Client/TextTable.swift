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
