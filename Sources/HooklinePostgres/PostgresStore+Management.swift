import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Keeps a replayable response under its key, replacing an existing record with the same key.
    package func insertIdempotencyRecord(_ record: IdempotencyRecord) async throws {
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
    package func idempotencyRecord(key: String, now: Date) async throws -> IdempotencyRecord? {
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
    package func deleteIdempotencyRecords(expiredBy now: Date) async throws -> Int {
        try await writing { session in
            try await session.execute("DELETE FROM idempotency_key WHERE expires_at <= \(now.millisecondsSince1970) RETURNING 1")
        }
    }

    /// Inserts a background task and notifies `tasks`.
    package func insertTask(_ task: BackgroundTask) async throws {
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
    package func updateTask(_ task: BackgroundTask) async throws {
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
    package func task(id: String) async throws -> BackgroundTask? {
        try await reading { session in
            try await session.first("SELECT * FROM background_task WHERE id = \(id)").map(BackgroundTask.init(pg:))
        }
    }

    /// Every task still running, oldest first.
    package func runningTasks() async throws -> [BackgroundTask] {
        try await reading { session in
            try await session.rows("SELECT * FROM background_task WHERE status = 'running' ORDER BY created_at, id")
                .map(BackgroundTask.init(pg:))
        }
    }

    /// Takes or renews `lease` when it is free, lapsed or already held by its holder; returns whether the holder now has it.
    ///
    /// The conditional upsert is atomic: of two nodes racing for a lapsed lease, exactly one sees its row returned.
    package func acquireLease(_ lease: ClusterLease) async throws -> Bool {
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

extension PostgresStore {
    /// Messages created before `$1` whose payload is kept and that no active delivery still needs.
    private static let finishedBefore = """
        created_at < $1 AND payload_purged_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND d.state IN (0, 1))
        """

    /// Empties the payloads of up to `limit` finished messages created before `cutoff`, keeping their size.
    ///
    /// Each retention sweep passes here: it first creates the day partitions of `now` and the days ahead that are missing.
    package func purgePayloads(createdBefore cutoff: Date, limit: Int, now: Date) async throws -> Int {
        do {
            try await createPartitionsAhead(now: now)
        } catch {
            // Rows of a day without partition go to the default one: payloads are still purged, the next sweep retries.
            logger.warning("could not create the day partitions ahead", metadata: ["error": "\(PostgresErrors.summary(error))"])
        }
        return try await writing { session in
            try await session.execute(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE message SET payload_size = length(payload), payload = '\\x'::bytea, payload_purged_at = $2
                        WHERE id IN (SELECT id FROM message WHERE \(Self.finishedBefore) LIMIT $3 FOR UPDATE SKIP LOCKED)
                        RETURNING 1
                        """,
                    binds: try Self.binds(cutoff.millisecondsSince1970, now.millisecondsSince1970, limit)))
        }
    }

    /// Empties the response bodies of up to `limit` attempts made before `cutoff`.
    package func purgeAttemptResponses(before cutoff: Date, limit: Int) async throws -> Int {
        try await writing { session in
            try await session.execute(
                """
                UPDATE attempt SET response = '' WHERE id IN (
                    SELECT id FROM attempt WHERE created_at < \(cutoff.millisecondsSince1970) AND response <> ''
                    LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """)
        }
    }

    /// What purging at `cutoff` would remove.
    package func retentionCandidates(cutoff: Date) async throws -> RetentionSummary {
        try await reading { session in
            let payloads = try await session.first(
                PostgresQuery(
                    unsafeSQL: "SELECT COUNT(*) AS n, COALESCE(SUM(length(payload)), 0)::bigint AS bytes FROM message WHERE \(Self.finishedBefore)",
                    binds: try Self.binds(cutoff.millisecondsSince1970)))
            let responses = try await session.value(
                "SELECT COUNT(*) FROM attempt WHERE created_at < \(cutoff.millisecondsSince1970) AND response <> ''", as: Int.self)
            return RetentionSummary(
                payloads: try payloads?.get("n", as: Int.self) ?? 0, payloadBytes: try payloads?.get("bytes", as: Int.self) ?? 0,
                responses: responses ?? 0)
        }
    }
}

extension PostgresStore {
    /// The value last saved under `name`, if any.
    package func checkpoint(named name: String) async throws -> Int64? {
        try await reading { session in
            try await session.value("SELECT value FROM checkpoint WHERE name = \(name)", as: Int64.self)
        }
    }

    /// Saves `value` under `name`, replacing what was there.
    package func saveCheckpoint(named name: String, value: Int64, now: Date) async throws {
        try await writing { session in
            try await session.execute(
                """
                INSERT INTO checkpoint (name, value, updated_at) VALUES (\(name), \(value), \(now.millisecondsSince1970))
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """)
        }
    }

    /// The leases whose name starts with `prefix` and that have not lapsed at `now`, by name.
    package func activeLeases(prefix: String, now: Date) async throws -> [ClusterLease] {
        try await reading { session in
            try await session.rows(
                """
                SELECT name, holder, until FROM cluster_lease
                WHERE left(name, \(prefix.count)::int) = \(prefix) AND until > \(now.millisecondsSince1970) ORDER BY name
                """
            ).map { row in
                ClusterLease(name: try row.get("name"), holder: try row.get("holder"), now: now, until: try row.date("until"))
            }
        }
    }
}

extension PostgresStore: StoreHealthProbe {
    /// The database server's disk is not visible from a node: `nil` (operators watch it with PostgreSQL's own tools).
    package func freeSpace() async throws -> Int64? { nil }

    /// Migrations of this build not yet applied to the database.
    package func pendingMigrations() async throws -> [String] {
        let applied = try await appliedMigrationVersions()
        return PostgresMigrations.all.filter { !applied.contains($0.version) }.map { "v\($0.version)-\($0.name)" }
    }

    /// Versions applied to the database that this build does not know: a newer Hookline migrated it.
    package func unknownMigrationVersions() async throws -> [Int] {
        let known = Set(PostgresMigrations.all.map(\.version))
        return try await appliedMigrationVersions().filter { !known.contains($0) }.sorted()
    }

    private func appliedMigrationVersions() async throws -> Set<Int> {
        try await reading { session in
            let exists = try await session.value("SELECT to_regclass('hookline_migration') IS NOT NULL", as: Bool.self) ?? false
            guard exists else { return [] }
            return Set(try await session.rows("SELECT version FROM hookline_migration").map { try $0.get("version", as: Int.self) })
        }
    }
}

extension PostgresStore: StorePoolReporting {
    /// Writes the pool's connections in use and waiting operations on `/metrics`; every wait is recorded as it ends.
    package func reportPool() async { pool.meter.report() }
}
