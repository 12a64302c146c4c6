import Foundation
import HooklineCore

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
