import Foundation
import GRDB
import HooklineCore

/// A filtered SELECT over one table, paged by keyset on one column in either direction.
struct SQLiteListQuery: Sendable {
    /// One WHERE condition with the arguments of its `?` placeholders.
    struct Condition: Sendable {
        /// The SQL text.
        let text: String
        /// The placeholders' arguments, in order.
        let values: [DatabaseValue]
    }

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
    /// What the SELECT reads from: `table`, or (a list by channel or tag) each table of the value's rows, joined to `table`.
    private(set) var sources: [String]
    /// The keyset column as the SELECT names it (qualified when `sources` join).
    private(set) var keyset: String
    /// The columns as the SELECT names them (qualified when `sources` join).
    private(set) var selected: String
    /// Disjoint conditions of which a listed row matches one (a list by several event types): with more than one, each
    /// is read alone, cut to a page, and the pages are merged, so each reads one range of an index in the list's order.
    private(set) var alternatives: [Condition] = []

    /// A query over `table` selecting `columns`, listed by `column`, newest (greatest) first unless `descending` is false.
    init(from table: String, columns: String = "*", orderedBy column: String = "id", descending: Bool = true) {
        self.table = table
        self.columns = columns
        self.column = column
        self.descending = descending
        sources = [table]
        keyset = column
        selected = columns
    }

    /// Adds a condition; its `?` placeholders take `arguments`, in order.
    mutating func filter(_ condition: String, _ arguments: [(any DatabaseValueConvertible)?] = []) {
        conditions.append(condition)
        values += arguments.map { $0?.databaseValue ?? .null }
    }

    /// Adds the shared filters: times on `timeColumn`; type, channel and tag on the message `messageColumn` names.
    ///
    /// On `message` (an application's list, `application` given), each event type is one range of `message_app_type`
    /// (app, type, id), and a channel (or a tag) drives the list from its rows in `message_channel` (`message_tag`): a
    /// type, channel or tag few messages have costs a page, not a walk of the application's history. Elsewhere (attempts, which carry
    /// their application) each listed row looks its message up, so the list's own walk stops after a page (an
    /// `IN (SELECT …)` list would first read every message of the type, in every application).
    mutating func filter(_ filter: ListFilter, messageColumn: String, timeColumn: String = "created_at", application: String? = nil) {
        if let before = filter.before { self.filter("\(timeColumn) < ?", [before.millisecondsSince1970]) }
        if let after = filter.after { self.filter("\(timeColumn) > ?", [after.millisecondsSince1970]) }
        var message = SQLiteListQuery(from: "message")
        var seen = Set<String>()
        let types = (filter.eventTypes ?? []).filter { seen.insert($0).inserted }
        if table == "message" {
            alternatives = types.map { Condition(text: "event_type = ?", values: [$0.databaseValue]) }
        } else if !types.isEmpty {
            message.filter("m.event_type IN (\(Array(repeating: "?", count: types.count).joined(separator: ",")))", types)
        }
        // A list by channel (or else by tag) is driven by that value's rows; any other list value is checked per message.
        let labels: [(SQLiteMessageLabel, String)] = [filter.channel.map { (.channel, $0) }, filter.tag.map { (.tag, $0) }].compactMap { $0 }
        for (index, (label, value)) in labels.enumerated() {
            if index == 0, table == "message", let application {
                // `CROSS JOIN` keeps SQLite walking the value's rows in order, looking each message up; the recent rows not
                // yet merged are a second source (scanned: at most about a second of them).
                let alias = label.alias
                sources = [label.table, label.recent].map { "\($0) \(alias) CROSS JOIN message ON message.id = \(alias).message_id" }
                keyset = "\(alias).message_id"
                if columns != "*" { selected = columns.split(separator: ", ").map { "message.\($0)" }.joined(separator: ", ") }
                self.filter("\(alias).app_id = ? AND \(alias).\(label.rawValue) = ?", [application, value])
            } else {
                message.filter("EXISTS (SELECT 1 FROM json_each(m.\(label.column)) WHERE value = ?)", [value])
            }
        }
        guard !message.conditions.isEmpty else { return }
        if table == "message" {
            conditions += message.conditions.map { $0.replacingOccurrences(of: "m.", with: "message.") }
        } else {
            // With types, each lookup probes `message_app_type` (application, type, id), which alone answers a type-only
            // filter; SQLite would otherwise pick the primary key and read every walked row's message.
            let source = types.isEmpty ? "message m" : "message m INDEXED BY message_app_type"
            conditions.append(
                "EXISTS (SELECT 1 FROM \(source) WHERE m.app_id = \(table).app_id AND m.id = \(table).\(messageColumn) AND "
                    + "\(message.conditions.joined(separator: " AND ")))")
        }
        values += message.values
    }

    /// Reads the slice `page` asks for.
    func page<Item>(_ page: PageRequest, in db: Database, id: (Item) -> String, decode: (Row) throws -> Item) throws -> Page<Item> {
        var conditions = self.conditions
        var values = self.values
        let ascending = descending == page.isBackward
        if let cursor = page.cursor {
            conditions.append("\(keyset) \(ascending ? ">" : "<") ?")
            values.append(cursor.databaseValue)
        }
        let direction = ascending ? "ASC" : "DESC"
        let limit = (page.limit + 1).databaseValue
        // One read per source and alternative, each cut to a page; several are merged and cut again.
        let reads: [(source: String, extra: Condition?)] = sources.flatMap { source in
            alternatives.isEmpty ? [(source, nil)] : alternatives.map { (source, $0) }
        }
        var arguments: [DatabaseValue] = []
        let selects = reads.map { read in
            let all = conditions + (read.extra.map { [$0.text] } ?? [])
            arguments += values + (read.extra?.values ?? []) + [limit]
            return "SELECT \(selected) FROM \(read.source)" + (all.isEmpty ? "" : " WHERE " + all.joined(separator: " AND "))
                + " ORDER BY \(keyset) \(direction) LIMIT ?"
        }
        var sql = selects[0]
        if selects.count > 1 {
            sql = selects.map { "SELECT * FROM (\($0))" }.joined(separator: " UNION ALL ") + " ORDER BY \(column) \(direction) LIMIT ?"
            arguments.append(limit)
        }
        let items = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(decode)
        return Page(fetched: items, limit: page.limit, backward: page.isBackward, id: id)
    }
}
