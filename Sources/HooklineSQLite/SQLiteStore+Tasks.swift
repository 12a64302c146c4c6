import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Inserts a background task.
    public func insertTask(_ task: BackgroundTask) async throws {
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
    public func updateTask(_ task: BackgroundTask) async throws {
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
    public func task(id: String) async throws -> BackgroundTask? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM background_task WHERE id = ?", arguments: [id]).map(BackgroundTask.init(row:))
        }
    }

    /// Every running task, oldest first.
    public func runningTasks() async throws -> [BackgroundTask] {
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
