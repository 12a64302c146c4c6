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
    /// The columns every listed row shares one value of (`only(_:equals:)`), ordered on before the keyset column.
    private(set) var leading: [String] = []
    /// Disjoint conditions (placeholders numbered) of which a listed row matches one (a list by several event types):
    /// with more than one, each is read alone, cut to a page, and the pages merged, so each reads one index range in order.
    private(set) var alternatives: [String] = []
    /// Whether `page` reads the days around its cursor first; off where another table's rows drive the plan (a
    /// delivery-state filter reads the application's delivery rows whatever the window, so a window would read them twice).
    var windowed = true

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

    /// Lists only the rows whose `column` equals `value`, read from the index on (`column`, keyset column).
    ///
    /// Written `column = ANY(array)` and ordered by `column` first: after a plain equality PostgreSQL may walk the
    /// primary key backwards and filter, expecting the value spread evenly over time — but when another application's
    /// burst holds a partition's newest rows, that walk passed 102 078 of them for one page (85 ms). An array match is
    /// no constant to PostgreSQL, so only the composite index can give this order without sorting the whole match.
    mutating func only(_ column: String, equals value: String) throws {
        try filter("\(column) = ANY(?)", [value])
        leading.append(column)
    }

    /// Adds the shared filters: times on `timeColumn`; type, channel and tag on the message `messageColumn` names.
    ///
    /// On `message` (an application's list, `only("app_id", …)` first), each event type is one range of
    /// `message_app_type` (app, type, id): a type few messages have costs a page, not a walk of the application's
    /// history; a channel is matched by containment, so the planner can find a rare one's messages in `message_channels`.
    /// Elsewhere each listed row looks its message up.
    mutating func filter(_ filter: ListFilter, messageColumn: String, timeColumn: String = "created_at") throws {
        if let before = filter.before { try self.filter("\(timeColumn) < ?", before.millisecondsSince1970) }
        if let after = filter.after { try self.filter("\(timeColumn) > ?", after.millisecondsSince1970) }
        var seen = Set<String>()
        let types = (filter.eventTypes ?? []).filter { seen.insert($0).inserted }
        var message: [String] = []
        func add(_ condition: String, _ value: any PostgresThrowingDynamicTypeEncodable) throws {
            try binds.append(value)
            message.append(condition.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if table == "message" && leading == ["app_id"] && !types.isEmpty {
            // A plain equality: PostgreSQL before 17 gives no index order under a second array match. Within one type,
            // ordering on the type too is the keyset's order.
            for type in types {
                binds.append(type)
                alternatives.append("event_type = $\(binds.count)")
            }
            leading.append("event_type")
        } else if !types.isEmpty {
            try add("m.event_type = ANY(?)", types)
        }
        // On `message`, containment, which `message_channels` and `message_tags` (GIN) answer (`? = ANY(…)` no index
        // can); elsewhere a check of each listed row's message.
        if let channel = filter.channel { try add(table == "message" ? "m.channels @> ARRAY[?]::text[]" : "? = ANY(m.channels)", channel) }
        if let tag = filter.tag { try add(table == "message" ? "m.tags @> ARRAY[?]::text[]" : "? = ANY(m.tags)", tag) }
        guard !message.isEmpty else { return }
        if table == "message" {
            conditions += message.map { $0.replacingOccurrences(of: "m.", with: "message.") }
            return
        }
        // A scalar subquery (true, or no row), looked up per listed row, so the walk stops after a page: PostgreSQL turns
        // an `EXISTS` (or `IN`) into a semi-join, and for a rare channel or type it planned every message of it (a parallel
        // scan of each partition) against every attempt of the endpoint, 2.4–3 s for a page. With the application named,
        // a type-only lookup can read `message_app_type` alone.
        let clause = message.joined(separator: " AND ")
        conditions.append(
            "(SELECT true FROM message m WHERE m.app_id = \(table).app_id AND m.id = \(table).\(messageColumn) AND \(clause))")
    }

    /// How far from the cursor (or from now, for a first page) the near part of a windowed read reaches.
    static let window: TimeInterval = 86_400

    /// Reads the slice `page` asks for.
    ///
    /// On a table partitioned by day of id (`PostgresPartitionedTable`), the rows of the days within `window` of the
    /// cursor are read first and the rest only when those do not fill the page. Unbounded, PostgreSQL merges one index scan of
    /// every day partition the keyset reaches (and plans each): 4.6 ms for a first page over 90 days of history
    /// against 0.4 ms for one day. The window's bound lets it prune all but a day or two; the page is the same.
    func page<Item>(
        _ page: PageRequest, in session: PostgresSession, id: (Item) -> String, decode: (PostgresRandomAccessRow) throws -> Item
    ) async throws -> Page<Item> {
        var query = self
        let ascending = descending == page.isBackward
        if let cursor = page.cursor { try query.filter("\(column) \(ascending ? ">" : "<") ?", cursor) }
        let wanted = page.limit + 1
        guard let split = query.windowEnd(from: page.cursor, ascending: ascending) else {
            return Page(
                fetched: try await query.rows(limit: wanted, ascending: ascending, in: session, decode: decode), limit: page.limit,
                backward: page.isBackward, id: id)
        }
        var near = query
        try near.filter("\(column) \(ascending ? "<" : ">=") ?", split)
        var items = try await near.rows(limit: wanted, ascending: ascending, in: session, decode: decode)
        if items.count < wanted {
            var far = query
            try far.filter("\(column) \(ascending ? ">=" : "<") ?", split)
            items += try await far.rows(limit: wanted - items.count, ascending: ascending, in: session, decode: decode)
        }
        return Page(fetched: items, limit: page.limit, backward: page.isBackward, id: id)
    }

    /// The first id of the day `window` away from `cursor` in the list's direction (from now for a newest-first first
    /// page; the day after, going up), where the table is partitioned by its id and the cursor is one of its ids; nil
    /// where the read is not windowed.
    func windowEnd(from cursor: String?, ascending: Bool) -> String? {
        guard windowed, column == "id", let partitioned = PostgresPartitionedTable(rawValue: table) else { return nil }
        let origin: Date
        if let cursor {
            guard let stamped = Identifier.time(of: cursor, kind: partitioned.idKind) else { return nil }
            origin = stamped
        } else {
            // Oldest first from the start: the near end would be the oldest day, as costly to find as the rest.
            guard !ascending else { return nil }
            origin = Date()
        }
        // On a day's edge: each partition in the window then lies wholly on one side of the bound, so the bound changes
        // no estimate of the rows a partition holds for the page (a bound inside a day, on a partition whose statistics
        // predate a burst of rows, made PostgreSQL expect a few rows there and sort all of them instead of walking the index).
        let far = PostgresPartitionDay(containing: origin.addingTimeInterval(ascending ? Self.window : -Self.window))
        return partitioned.bound(ascending ? far.next : far)
    }

    /// At most `limit` rows matching the conditions, in the list's order.
    private func rows<Item>(
        limit: Int, ascending: Bool, in session: PostgresSession, decode: (PostgresRandomAccessRow) throws -> Item
    ) async throws -> [Item] {
        var binds = self.binds
        binds.append(limit)
        let direction = ascending ? "ASC" : "DESC"
        let order = (leading + [column]).map { "\($0) \(direction)" }.joined(separator: ", ")
        func select(_ extra: String?) -> String {
            let all = conditions + (extra.map { [$0] } ?? [])
            let clause = all.isEmpty ? "" : " WHERE " + all.joined(separator: " AND ")
            return "SELECT * FROM \(table)\(clause) ORDER BY \(order) LIMIT $\(binds.count)"
        }
        let sql =
            alternatives.count > 1
            ? alternatives.map { "(\(select($0)))" }.joined(separator: " UNION ALL ") + " ORDER BY \(column) \(direction) LIMIT $\(binds.count)"
            : select(alternatives.first)
        return try await session.rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map(decode)
    }
}
