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
