import Foundation
import GRDB
import HooklineCore

/// A filtered SELECT over one table, paged by keyset on one column in either direction.
struct SQLiteListQuery: Sendable {
    /// The table read.
    let table: String
    /// The columns selected (`*` unless the decoder reads by position).
    let columns: String
    /// The keyset column (unique, the list's order).
    let column: String
    /// Whether the list runs from the greatest value down.
    let descending: Bool
    /// The WHERE conditions, joined with AND.
    private(set) var conditions: [String] = []
    /// The arguments of the conditions' placeholders, in order.
    private(set) var values: [DatabaseValue] = []

    /// A query over `table` selecting `columns`, listed by `column`, newest (greatest) first unless `descending` is false.
    init(from table: String, columns: String = "*", orderedBy column: String = "id", descending: Bool = true) {
        self.table = table
        self.columns = columns
        self.column = column
        self.descending = descending
    }

    /// Adds a condition; its `?` placeholders take `arguments`, in order.
    mutating func filter(_ condition: String, _ arguments: [(any DatabaseValueConvertible)?] = []) {
        conditions.append(condition)
        values += arguments.map { $0?.databaseValue ?? .null }
    }

    /// Adds the shared filters: times on `timeColumn`; type, channel and tag on the message `messageColumn` names.
    mutating func filter(_ filter: ListFilter, messageColumn: String, timeColumn: String = "created_at") {
        if let before = filter.before { self.filter("\(timeColumn) < ?", [before.millisecondsSince1970]) }
        if let after = filter.after { self.filter("\(timeColumn) > ?", [after.millisecondsSince1970]) }
        var message = SQLiteListQuery(from: "message")
        if let types = filter.eventTypes, !types.isEmpty {
            message.filter("message.event_type IN (\(Array(repeating: "?", count: types.count).joined(separator: ",")))", types)
        }
        if let channel = filter.channel {
            message.filter("EXISTS (SELECT 1 FROM json_each(message.channels) WHERE value = ?)", [channel])
        }
        if let tag = filter.tag {
            message.filter("EXISTS (SELECT 1 FROM json_each(message.tags) WHERE value = ?)", [tag])
        }
        guard !message.conditions.isEmpty else { return }
        if table == "message" {
            conditions += message.conditions
        } else {
            conditions.append("\(messageColumn) IN (SELECT id FROM message WHERE \(message.conditions.joined(separator: " AND ")))")
        }
        values += message.values
    }

    /// Reads the slice `page` asks for.
    func page<Item>(_ page: PageRequest, in db: Database, id: (Item) -> String, decode: (Row) throws -> Item) throws -> Page<Item> {
        var conditions = self.conditions
        var values = self.values
        let ascending = descending == page.isBackward
        if let cursor = page.cursor {
            conditions.append("\(column) \(ascending ? ">" : "<") ?")
            values.append(cursor.databaseValue)
        }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(columns) FROM \(table)\(clause) ORDER BY \(column) \(ascending ? "ASC" : "DESC") LIMIT ?"
        values.append((page.limit + 1).databaseValue)
        let items = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map(decode)
        return Page(fetched: items, limit: page.limit, backward: page.isBackward, id: id)
    }
}
