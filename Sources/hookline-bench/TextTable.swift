/// A plain-text table in sections. Each section's heading names its value columns; the first column is
/// left-aligned, the others right-aligned, and every column is as wide as its widest cell in the whole
/// table, so figures line up across sections.
struct TextTable {
    private enum Row {
        case heading(title: String, columns: [String])
        case figures(label: String, values: [String])
    }

    private var rows: [Row] = []

    /// An empty table.
    init() {}

    /// Starts a section headed `title`, whose value columns are named `columns`.
    mutating func section(_ title: String, columns: [String] = []) {
        rows.append(.heading(title: title, columns: columns))
    }

    /// Adds one figure row to the current section.
    mutating func row(_ label: String, _ values: String...) {
        row(label, values)
    }

    /// Adds one figure row to the current section.
    mutating func row(_ label: String, _ values: [String]) {
        rows.append(.figures(label: "  " + label, values: values))
    }

    /// The table as lines of text.
    func render() -> String {
        var widths: [Int] = []
        func widen(_ cells: [String]) {
            for (index, cell) in cells.enumerated() {
                if index == widths.count { widths.append(0) }
                widths[index] = max(widths[index], cell.count)
            }
        }
        for row in rows {
            switch row {
            case let .heading(title, columns): widen([title] + columns)
            case let .figures(label, values): widen([label] + values)
            }
        }

        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                text += index == 0 ? cell + padding : "   " + padding + cell
            }
            return text.replacing(/\s+$/, with: "")
        }

        var lines: [String] = []
        for row in rows {
            switch row {
            case let .heading(title, columns):
                if !lines.isEmpty { lines.append("") }
                lines.append(line([title] + columns))
            case let .figures(label, values):
                lines.append(line([label] + values))
            }
        }
        return lines.joined(separator: "\n")
    }
}
