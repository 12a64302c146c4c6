import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Appends events in one transaction.
    package func appendEvents(_ drafts: [EventDraft]) async throws {
        guard !drafts.isEmpty else { return }
        try await pool.write { db in try Self.insertEvents(db, drafts) }
    }

    /// Inserts events inside the caller's transaction, so they commit with the change they report.
    ///
    /// Rows go in statements of 16, 4 and 1 rows (ids ascend in the drafts' order): each statement reads and
    /// updates the log's AUTOINCREMENT counter once, and a batch's events take a few statements instead of one each.
    static func insertEvents(_ db: Database, _ drafts: [EventDraft]) throws {
        var start = drafts.startIndex
        while start < drafts.endIndex {
            let rows = eventChunkSizes.first { $0 <= drafts.endIndex - start }!
            let insert = try SQLiteBoundStatement(db, sql: eventInsertSQL[rows]!)
            for (offset, draft) in drafts[start..<start + rows].enumerated() {
                let base = Int32(offset * 9)
                insert.bind(base + 1, draft.kind.rawValue)
                insert.bind(base + 2, draft.appId)
                insert.bind(base + 3, draft.messageId)
                insert.bind(base + 4, draft.endpointId)
                insert.bind(base + 5, draft.eventType)
                insert.bind(base + 6, JSONColumn.encode(draft.channels))
                insert.bind(base + 7, draft.latencyMs)
                insert.bind(base + 8, JSONColumn.encode(draft.details) ?? "{}")
                insert.bind(base + 9, draft.createdAt.millisecondsSince1970)
            }
            try insert.run()
            start += rows
        }
    }

    /// Rows per event insert statement, largest first.
    private static let eventChunkSizes = [16, 4, 1]

    /// The event insert for each chunk size.
    private static let eventInsertSQL: [Int: String] = Dictionary(
        uniqueKeysWithValues: eventChunkSizes.map { rows in
            let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
            return (
                rows,
                "INSERT INTO event (kind, app_id, message_id, endpoint_id, event_type, channels, latency_ms, details, created_at) VALUES \(values)"
            )
        })

    /// Up to `limit` events after `id`, in id order.
    package func events(after id: Int64, limit: Int) async throws -> [StreamEvent] {
        try await pool.read { db in
            // A cached statement, rows decoded by position: every event a stream sends is read here.
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(StreamEvent.columns) FROM event WHERE id > ? ORDER BY id LIMIT ?"), arguments: [id, limit]
            ).map(StreamEvent.init(row:))
        }
    }

    /// The oldest id kept and the largest id ever assigned.
    package func eventLogBounds() async throws -> EventLogBounds {
        try await pool.read { db in
            let first = try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM event")
            let last = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'") ?? 0
            let pruned =
                try Int64.fetchOne(db, sql: "SELECT value FROM checkpoint WHERE name = ?", arguments: [EventLogBounds.prunedThroughCheckpoint]) ?? 0
            return EventLogBounds(firstId: first, lastId: last, prunedThrough: pruned)
        }
    }

    /// Deletes up to `limit` events created before `cutoff`, oldest first within each kind, and raises the log's
    /// `EventLogBounds.prunedThroughCheckpoint` to the largest id deleted in the same transaction.
    ///
    /// The rows are found through `event_kind_time`, one range per kind of `EventKind.all`, so a sweep reads only
    /// expired rows (walking ids from the oldest would read the whole log whenever fewer than `limit` are expired).
    package func deleteEvents(before cutoff: Date, limit: Int) async throws -> Int {
        let kinds = EventKind.all.map(\.rawValue)
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        return try await pool.write { db in
            let deleted = try Int64.fetchAll(
                db, sql: "DELETE FROM event WHERE id IN (SELECT id FROM event WHERE kind IN (\(marks)) AND created_at < ? LIMIT ?) RETURNING id",
                arguments: StatementArguments(kinds) + [cutoff.millisecondsSince1970, limit])
            guard let highest = deleted.max() else { return 0 }
            try db.execute(
                sql: """
                    INSERT INTO checkpoint (name, value, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value), updated_at = excluded.updated_at
                    """,
                arguments: [EventLogBounds.prunedThroughCheckpoint, highest, Date().millisecondsSince1970])
            return deleted.count
        }
    }

    /// The newest event of `kind`.
    package func latestEvent(kind: EventKind) async throws -> StreamEvent? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(StreamEvent.columns) FROM event WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT 1",
                arguments: [kind.rawValue]
            ).map(StreamEvent.init(row:))
        }
    }

    /// Counts by kind, first-attempt and time-to-success latency percentiles since `since`.
    package func eventStatistics(since: Date) async throws -> EventStatistics {
        try await pool.read { db in
            let start = since.millisecondsSince1970
            var counts: [EventKind: Int] = [:]
            for kind in EventKind.all {
                counts[kind] =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM event WHERE kind = ? AND created_at >= ?", arguments: [kind.rawValue, start]) ?? 0
            }
            // One grouped pass over the window's successes gives both latency sets (`EventStatistics(counts:successes:)`).
            let successes = try Row.fetchAll(
                db,
                sql: """
                    SELECT latency_ms, COUNT(*), SUM(json_extract(details, '$.firstAttempt') = 1) FROM event
                    WHERE kind = ? AND created_at >= ? AND latency_ms IS NOT NULL GROUP BY latency_ms
                    """,
                arguments: [EventKind.deliverySucceeded.rawValue, start]
            ).map { row in EventStatistics.LatencyGroup(latencyMs: row[0], count: row[1], firstAttempts: row[2] ?? 0) }
            return EventStatistics(counts: counts, successes: successes)
        }
    }

    /// Up to `limit` events of the status window after `id` (from its first event when `nil`), in id order.
    package func tallyEntries(after id: Int64?, since: Date, limit: Int) async throws -> [EventTally.Entry] {
        try await pool.read { db in
            let start = since.millisecondsSince1970
            var from = (id ?? 0) + 1
            if id == nil {
                // The window's first event of each kind is one seek of `event_kind_time`; the earliest of them starts the read.
                var first: Int64?
                for kind in EventKind.all {
                    let found = try Int64.fetchOne(
                        db.cachedStatement(sql: "SELECT id FROM event WHERE kind = ? AND created_at >= ? ORDER BY created_at, id LIMIT 1"),
                        arguments: [kind.rawValue, start])
                    if let found { first = min(first ?? found, found) }
                }
                guard let first else { return [] }
                from = first
            }
            // By position on one reused row (a cursor): no row copies, no column-name lookups.
            let cursor = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT id, kind, created_at, latency_ms,
                        CASE WHEN kind = ? THEN json_extract(details, '$.firstAttempt') = 1 END FROM event
                        WHERE id >= ? AND created_at >= ? ORDER BY id LIMIT ?
                        """),
                arguments: [EventKind.deliverySucceeded.rawValue, from, start, limit])
            var entries: [EventTally.Entry] = []
            while let row = try cursor.next() {
                entries.append(
                    EventTally.Entry(
                        id: row[0], kind: EventKind(rawValue: row[1]), createdAtMs: row[2], latencyMs: row[3], firstAttempt: row[4] ?? false))
            }
            return entries
        }
    }

    /// Up to `limit` disabled endpoints.
    package func disabledEndpoints(limit: Int) async throws -> [Endpoint] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM endpoint WHERE disabled = 1 ORDER BY id LIMIT ?", arguments: [limit])
                .map { try Endpoint(row: $0) }
        }
    }
}

extension StreamEvent {
    /// The columns `init(row:)` decodes, in its order: select exactly these (`SELECT \(StreamEvent.columns) FROM event`).
    static let columns = "id, kind, app_id, message_id, endpoint_id, event_type, channels, latency_ms, details, created_at"

    /// Decodes a row selected with `StreamEvent.columns` by position (no column-name lookups).
    init(row: Row) {
        let draft = EventDraft(
            kind: EventKind(rawValue: row[1]), appId: row[2], messageId: row[3], endpointId: row[4], eventType: row[5],
            channels: JSONColumn.decode([String].self, row[6]), latencyMs: row[7],
            details: JSONColumn.decode(JSONValue.self, row[8]) ?? .object([:]), createdAt: Date(millisecondsSince1970: row[9]))
        self.init(id: row[0], draft: draft)
    }
}

extension SQLiteStore {
    /// Takes or renews `lease` when it is free, lapsed or already held by its holder.
    package func acquireLease(_ lease: ClusterLease) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO cluster_lease (name, holder, until) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                    WHERE cluster_lease.holder = excluded.holder OR cluster_lease.until <= ?
                    """,
                arguments: [lease.name, lease.holder, lease.until.millisecondsSince1970, lease.now.millisecondsSince1970])
            return db.changesCount > 0
        }
    }

    /// The leases whose name starts with `prefix` and that have not lapsed at `now`, by name.
    package func activeLeases(prefix: String, now: Date) async throws -> [ClusterLease] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, holder, until FROM cluster_lease WHERE substr(name, 1, ?) = ? AND until > ? ORDER BY name",
                arguments: [prefix.count, prefix, now.millisecondsSince1970]
            ).map { row in
                ClusterLease(name: row["name"], holder: row["holder"], now: now, until: Date(millisecondsSince1970: row["until"]))
            }
        }
    }
}
