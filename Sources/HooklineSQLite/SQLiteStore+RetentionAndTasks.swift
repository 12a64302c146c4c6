import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    private static let finishedBefore = """
        created_at < ? AND payload_purged_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND d.state IN (0, 1))
        """

    /// Empties the payloads of up to `limit` finished messages created before `cutoff`.
    package func purgePayloads(createdBefore cutoff: Date, limit: Int, now: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE message SET payload_size = length(payload), payload = X'', payload_purged_at = ?
                    WHERE id IN (SELECT id FROM message WHERE \(Self.finishedBefore) LIMIT ?)
                    """,
                arguments: [now.millisecondsSince1970, cutoff.millisecondsSince1970, limit])
            return db.changesCount
        }
    }

    /// Empties the response bodies of up to `limit` attempts made before `cutoff`.
    package func purgeAttemptResponses(before cutoff: Date, limit: Int) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE attempt SET response = '' WHERE rowid IN (
                        SELECT rowid FROM attempt WHERE created_at < ? AND response != '' LIMIT ?)
                    """,
                arguments: [cutoff.millisecondsSince1970, limit])
            return db.changesCount
        }
    }

    /// Deletes up to `limit` finished messages created before `cutoff` with their deliveries and attempts, oldest first,
    /// then gives up to `vacuumStep` free pages back to the file system.
    ///
    /// Candidates are found on the primary key (message ids sort by creation time, `Identifier.floor`), never on a scan;
    /// `created_at` is checked too, so a message is deleted only when it really is older than `cutoff`. A message with a
    /// pending, sending or retrying delivery is kept. Both steps commit without an fsync of their own: a delete lost to
    /// a power cut is repeated by the next sweep.
    package func purgeMessages(before cutoff: Date, limit: Int) async throws -> Int {
        let deleted = try await writeRelaxed { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM message WHERE id < ? AND created_at < ?
                    AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND d.state IN (0, 1))
                    ORDER BY id LIMIT ?
                    """,
                arguments: [Identifier.floor(.message, at: cutoff), cutoff.millisecondsSince1970, limit])
            guard !ids.isEmpty else { return 0 }
            let list = databaseQuestionMarks(count: ids.count)
            for table in ["attempt", "delivery", "message"] {
                let column = table == "message" ? "id" : "message_id"
                try db.execute(sql: "DELETE FROM \(table) WHERE \(column) IN (\(list))", arguments: StatementArguments(ids))
            }
            return ids.count
        }
        if deleted > 0 { try await reclaimFreePages() }
        return deleted
    }

    /// Deletes up to `limit` finished inbound requests received before `cutoff`, oldest first (a range of the primary key:
    /// request ids sort by receipt time), with the dedup keys that still point at them and expired by `cutoff`.
    package func purgeInboundRequests(before cutoff: Date, limit: Int) async throws -> Int {
        let deleted = try await writeRelaxed { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT id, source_id, dedup_key FROM inbound_request WHERE id < ? AND received_at < ? AND status != 0 ORDER BY id LIMIT ?",
                arguments: [Identifier.floor(.inboundRequest, at: cutoff), cutoff.millisecondsSince1970, limit])
            guard !rows.isEmpty else { return 0 }
            let forgetKey = try db.cachedStatement(
                sql: "DELETE FROM inbound_dedup WHERE source_id = ? AND dedup_key = ? AND request_id = ? AND expires_at <= ?")
            for row in rows {
                guard let key: String = row["dedup_key"] else { continue }
                try forgetKey.execute(arguments: [row["source_id"], key, row["id"], cutoff.millisecondsSince1970])
            }
            let ids: [String] = rows.map { $0["id"] }
            try db.execute(
                sql: "DELETE FROM inbound_request WHERE id IN (\(databaseQuestionMarks(count: ids.count)))", arguments: StatementArguments(ids))
            return ids.count
        }
        if deleted > 0 { try await reclaimFreePages() }
        return deleted
    }

    /// What deleting the history before `cutoff` would remove (counted on the primary keys' expired ranges).
    package func historyCandidates(before cutoff: Date) async throws -> RetentionSummary {
        try await pool.read { db in
            var summary = RetentionSummary(payloads: 0, payloadBytes: 0, responses: 0)
            summary.messages =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM message WHERE id < ? AND created_at < ?
                        AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND d.state IN (0, 1))
                        """,
                    arguments: [Identifier.floor(.message, at: cutoff), cutoff.millisecondsSince1970]) ?? 0
            summary.inboundRequests =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM inbound_request WHERE id < ? AND received_at < ? AND status != 0",
                    arguments: [Identifier.floor(.inboundRequest, at: cutoff), cutoff.millisecondsSince1970]) ?? 0
            return summary
        }
    }

    /// Free pages one purge batch gives back at most (4 MiB of 4 KiB pages): a batch of messages frees a few hundred, so
    /// the free list drains while each step stays short.
    static let vacuumStep = 1024

    /// Moves up to `vacuumStep` free pages to the end of the file and truncates them (`auto_vacuum = INCREMENTAL`;
    /// on a file without it, a no-op: freed pages stay on the free list and are reused).
    private func reclaimFreePages() async throws {
        try await writeRelaxed { db in try db.execute(sql: "PRAGMA incremental_vacuum(\(Self.vacuumStep))") }
    }

    /// Pages on the free list: space the file holds but no row uses.
    package func freePageCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0 }
    }

    /// How many messages the file holds, and how many of those were created before each of `cutoffs` (benchmarks; counts every row).
    package func messageCensus(cutoffs: [Date]) async throws -> (total: Int, before: [Int]) {
        try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? 0
            let before = try cutoffs.map { cutoff in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE created_at < ?", arguments: [cutoff.millisecondsSince1970]) ?? 0
            }
            return (total, before)
        }
    }

    /// Turns on `auto_vacuum = INCREMENTAL` for a file that holds no table yet (a new database), so purges can give
    /// space back. A file with tables keeps its mode: switching needs a `VACUUM` that rewrites the whole file (see
    /// `operations.md`, *Giving space back*).
    static func enableIncrementalVacuum(_ pool: DatabasePool) throws {
        try pool.writeWithoutTransaction { db in
            guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") != 2,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") == 0
            else { return }
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            try db.execute(sql: "VACUUM")
        }
    }

    /// What purging at `cutoff` would remove.
    package func retentionCandidates(cutoff: Date) async throws -> RetentionSummary {
        try await pool.read { db in
            let cutoff = cutoff.millisecondsSince1970
            let payloads = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(length(payload)), 0) AS bytes FROM message WHERE \(Self.finishedBefore)",
                arguments: [cutoff])
            let responses =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE created_at < ? AND response != ''", arguments: [cutoff]) ?? 0
            return RetentionSummary(payloads: payloads?["n"] ?? 0, payloadBytes: payloads?["bytes"] ?? 0, responses: responses)
        }
    }
}

extension SQLiteStore {
    /// Inserts a background task.
    package func insertTask(_ task: BackgroundTask) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO background_task (id, kind, status, app_id, endpoint_id, since, until, cursor, processed, created_at,
                    updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: task.columns)
        }
    }

    /// Replaces a background task.
    package func updateTask(_ task: BackgroundTask) async throws {
        try await pool.write { db in
            var arguments = task.columns
            arguments += [task.id]
            try db.execute(
                sql: """
                    UPDATE background_task SET id = ?, kind = ?, status = ?, app_id = ?, endpoint_id = ?, since = ?, until = ?,
                    cursor = ?, processed = ?, created_at = ?, updated_at = ? WHERE id = ?
                    """,
                arguments: arguments)
        }
    }

    /// The background task with this id.
    package func task(id: String) async throws -> BackgroundTask? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM background_task WHERE id = ?", arguments: [id]).map(BackgroundTask.init(row:))
        }
    }

    /// Every running task, oldest first.
    package func runningTasks() async throws -> [BackgroundTask] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM background_task WHERE status = 'running' ORDER BY created_at, id")
                .map(BackgroundTask.init(row:))
        }
    }
}

extension BackgroundTask {
    /// The column values, in table order.
    var columns: StatementArguments {
        [
            id, kind.rawValue, status.rawValue, appId, endpointId, since.millisecondsSince1970, until?.millisecondsSince1970,
            cursor, processed, createdAt.millisecondsSince1970, updatedAt.millisecondsSince1970,
        ]
    }

    /// Reads a task from its row.
    init(row: Row) {
        self.init(
            id: row["id"], kind: Kind(rawValue: row["kind"]), status: Status(rawValue: row["status"]), appId: row["app_id"],
            endpointId: row["endpoint_id"], since: Date(millisecondsSince1970: row["since"]),
            until: (row["until"] as Int64?).map(Date.init(millisecondsSince1970:)), cursor: row["cursor"], processed: row["processed"],
            createdAt: Date(millisecondsSince1970: row["created_at"]), updatedAt: Date(millisecondsSince1970: row["updated_at"]))
    }
}

extension SQLiteStore {
    /// The value last saved under `name`, if any.
    package func checkpoint(named name: String) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM checkpoint WHERE name = ?", arguments: [name])
        }
    }

    /// Saves `value` under `name`, replacing what was there.
    package func saveCheckpoint(named name: String, value: Int64, now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO checkpoint (name, value, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """,
                arguments: [name, value, now.millisecondsSince1970])
        }
    }
}

extension SQLiteStore: HistorySeeding {
    /// Writes a batch of finished history in one transaction, with the same columns the live path writes.
    ///
    /// The transaction commits without fsync (`synchronous=OFF`: a seed is rebuilt, not recovered, after a power cut),
    /// and the writer keeps 256 MiB of pages in memory while it runs.
    package func seedHistory(_ batch: [SeededMessage]) async throws {
        guard !batch.isEmpty else { return }
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000") }
            try db.inTransaction(.immediate) {
                try Self.writeSeed(db, batch)
                return .commit
            }
        }
    }

    private static func writeSeed(_ db: Database, _ batch: [SeededMessage]) throws {
        let writer = try SQLiteSeedWriter(db)
        defer { writer.finalize() }
        var events: [EventDraft] = []
        for item in batch {
            try writer.write(item)
            events += item.events
        }
        events.sort { $0.createdAt < $1.createdAt }
        try insertEvents(db, events)
    }
}
