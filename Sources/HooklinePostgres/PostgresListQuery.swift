import Foundation
import HooklineCore
import PostgresNIO

/// A filtered SELECT over one table, paged by keyset on one column in either direction.
struct PostgresListQuery {
    /// The table read.
    let table: String
    /// The keyset column (unique, the list's order).
    let column: String
    /// Whether the list runs from the greatest value down.
    let descending: Bool
    /// The WHERE conditions, joined with AND; placeholders already numbered.
    private(set) var conditions: [String] = []
    /// The values of the placeholders, in order.
    private(set) var binds = PostgresBindings()

    /// A query over `table` listed by `column`, newest (greatest) first unless `descending` is false.
    init(from table: String, orderedBy column: String = "id", descending: Bool = true) {
        self.table = table
        self.column = column
        self.descending = descending
    }

    /// Adds a condition; each `?` in it becomes a placeholder for the next of `values` (`nil` binds NULL).
    mutating func filter(_ condition: String, _ values: (any PostgresThrowingDynamicTypeEncodable)?...) throws {
        var text = ""
        var remaining = values[...]
        for character in condition {
            guard character == "?", let value = remaining.popFirst() else {
                text.append(character)
                continue
            }
            if let value { try binds.append(value) } else { binds.appendNull() }
            text += "$\(binds.count)"
        }
        conditions.append(text)
    }

    /// Adds the shared filters: times on `timeColumn`; type, channel and tag on the message `messageColumn` names.
    mutating func filter(_ filter: ListFilter, messageColumn: String, timeColumn: String = "created_at") throws {
        if let before = filter.before { try self.filter("\(timeColumn) < ?", before.millisecondsSince1970) }
        if let after = filter.after { try self.filter("\(timeColumn) > ?", after.millisecondsSince1970) }
        var message: [String] = []
        func add(_ condition: String, _ value: any PostgresThrowingDynamicTypeEncodable) throws {
            try binds.append(value)
            message.append(condition.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if let types = filter.eventTypes, !types.isEmpty { try add("m.event_type = ANY(?)", types) }
        if let channel = filter.channel { try add("? = ANY(m.channels)", channel) }
        if let tag = filter.tag { try add("? = ANY(m.tags)", tag) }
        guard !message.isEmpty else { return }
        if table == "message" {
            conditions += message.map { $0.replacingOccurrences(of: "m.", with: "message.") }
            return
        }
        let clause = message.joined(separator: " AND ")
        conditions.append("\(messageColumn) IN (SELECT m.id FROM message m WHERE \(clause))")
    }

    /// Reads the slice `page` asks for.
    func page<Item>(
        _ page: PageRequest, in session: PostgresSession, id: (Item) -> String, decode: (PostgresRandomAccessRow) throws -> Item
    ) async throws -> Page<Item> {
        var query = self
        let ascending = descending == page.isBackward
        if let cursor = page.cursor { try query.filter("\(column) \(ascending ? ">" : "<") ?", cursor) }
        query.binds.append(page.limit + 1)
        let clause = query.conditions.isEmpty ? "" : " WHERE " + query.conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM \(table)\(clause) ORDER BY \(column) \(ascending ? "ASC" : "DESC") LIMIT $\(query.binds.count)"
        let items = try await session.rows(PostgresQuery(unsafeSQL: sql, binds: query.binds)).map(decode)
        return Page(fetched: items, limit: page.limit, backward: page.isBackward, id: id)
    }
}
