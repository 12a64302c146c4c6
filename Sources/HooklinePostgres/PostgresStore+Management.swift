import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Keeps a replayable response under its key, replacing an existing record with the same key.
    public func insertIdempotencyRecord(_ record: IdempotencyRecord) async throws {
        try await writing { session in
            try await session.execute(
                """
                INSERT INTO idempotency_key (key, status, content_type, body, created_at, expires_at)
                VALUES (\(record.key), \(record.response.status), \(record.response.contentType), \(record.response.body),
                \(record.createdAt.millisecondsSince1970), \(record.expiresAt.millisecondsSince1970))
                ON CONFLICT (key) DO UPDATE SET status = excluded.status, content_type = excluded.content_type, body = excluded.body,
                created_at = excluded.created_at, expires_at = excluded.expires_at
                """)
        }
    }

    /// The record for `key` that has not expired at `now`.
    public func idempotencyRecord(key: String, now: Date) async throws -> IdempotencyRecord? {
        try await reading { session in
            guard
                let row = try await session.first(
                    "SELECT * FROM idempotency_key WHERE key = \(key) AND expires_at > \(now.millisecondsSince1970)")
            else { return nil }
            return IdempotencyRecord(
                key: try row.get("key"),
                response: IdempotentResponse(status: try row.get("status"), contentType: try row.get("content_type"), body: try row.get("body")),
                createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"))
        }
    }

    /// Deletes the records expired at `now`; returns how many.
    public func deleteIdempotencyRecords(expiredBy now: Date) async throws -> Int {
        try await writing { session in
            try await session.execute("DELETE FROM idempotency_key WHERE expires_at <= \(now.millisecondsSince1970) RETURNING 1")
        }
    }

    /// Inserts a background task and notifies `tasks`.
    public func insertTask(_ task: BackgroundTask) async throws {
        try await writing { session in
            try await session.execute(
                """
                INSERT INTO background_task (id, kind, status, app_id, endpoint_id, since, until, cursor, processed, created_at, updated_at)
                VALUES (\(task.id), \(task.kind.rawValue), \(task.status.rawValue), \(task.appId), \(task.endpointId),
                \(task.since.millisecondsSince1970), \(task.until?.millisecondsSince1970), \(task.cursor), \(task.processed),
                \(task.createdAt.millisecondsSince1970), \(task.updatedAt.millisecondsSince1970))
                """)
            try await session.notify(.tasksQueued)
        }
    }

    /// Replaces a background task.
    public func updateTask(_ task: BackgroundTask) async throws {
        try await writing { session in
            try await session.execute(
                """
                UPDATE background_task SET kind = \(task.kind.rawValue), status = \(task.status.rawValue), app_id = \(task.appId),
                endpoint_id = \(task.endpointId), since = \(task.since.millisecondsSince1970), until = \(task.until?.millisecondsSince1970),
                cursor = \(task.cursor), processed = \(task.processed), created_at = \(task.createdAt.millisecondsSince1970),
                updated_at = \(task.updatedAt.millisecondsSince1970)
                WHERE id = \(task.id)
                """)
        }
    }

    /// The background task with this id.
    public func task(id: String) async throws -> BackgroundTask? {
        try await reading { session in
            try await session.first("SELECT * FROM background_task WHERE id = \(id)").map(BackgroundTask.init(pg:))
        }
    }

    /// Every task still running, oldest first.
    public func runningTasks() async throws -> [BackgroundTask] {
        try await reading { session in
            try await session.rows("SELECT * FROM background_task WHERE status = 'running' ORDER BY created_at, id")
                .map(BackgroundTask.init(pg:))
        }
    }

    /// Takes or renews `lease` when it is free, lapsed or already held by its holder; returns whether the holder now has it.
    ///
    /// The conditional upsert is atomic: of two nodes racing for a lapsed lease, exactly one sees its row returned.
    public func acquireLease(_ lease: ClusterLease) async throws -> Bool {
        try await writing { session in
            try await session.execute(
                """
                INSERT INTO cluster_lease (name, holder, until)
                VALUES (\(lease.name), \(lease.holder), \(lease.until.millisecondsSince1970))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                WHERE cluster_lease.holder = excluded.holder OR cluster_lease.until <= \(lease.now.millisecondsSince1970)
                RETURNING 1
                """) > 0
        }
    }
}
