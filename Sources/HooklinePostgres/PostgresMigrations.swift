import Foundation
import HooklineCore
import Logging
import PostgresNIO

/// The versioned schema of the PostgreSQL store; each migration runs once, in order.
///
/// Versions follow the SQLite store's (v1 core … v6 cluster) so that a column added to one is ported to the
/// other under the same number. Times are `BIGINT` milliseconds since 1970, payloads and bodies `BYTEA`,
/// JSON documents the store never queries `TEXT`, lists it filters on `TEXT[]`. Identifier columns use the
/// `"C"` collation so that ids sort byte-wise, as their time-ordered base62 form requires.
package enum PostgresMigrations {
    /// One schema version: statements run in order inside the migrating transaction.
    struct Migration: Sendable {
        /// The version number, starting at 1.
        let version: Int
        /// A short name, recorded with the version.
        let name: String
        /// The statements (one SQL statement each).
        let statements: [String]
        /// Work that depends on what the database holds, run after `statements` in the same transaction.
        var step: (@Sendable (PostgresSession) async throws -> Void)? = nil
    }

    /// The advisory lock key that serializes migrations across nodes starting together.
    static let lockKey: Int64 = 0x486B_6C6E_4D69_6772

    /// Every migration, oldest first.
    static let all: [Migration] =
        [core, management, retention, events, inbound, cluster] + later + parity + [
            historyIndexes, partitionedHistory, routingVersion, leanQueueIndexes, activeQueue, failedDeliveries, eventPruneWatermark,
            inboundExceptions, failedAttempts, messageTypes, messageChannels, messageTags,
        ]

    /// The newest schema version this build knows.
    package static var latestVersion: Int { all.last?.version ?? 0 }

    /// Applies pending migrations (up to version `through`, by default all) in one transaction under
    /// `pg_advisory_xact_lock`, so concurrent callers wait for the first one and then find nothing left to do.
    static func apply(client: PostgresClient, logger: Logger, through: Int = .max) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            // The bookkeeping table is the one object created idempotently: it must exist before versions can be read.
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS hookline_migration (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM hookline_migration", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            try refuseNewerSchema(applied: applied)
            for migration in all where !applied.contains(migration.version) && migration.version <= through {
                logger.info("applying PostgreSQL migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await migration.step?(PostgresSession(connection: connection, logger: logger))
                try await connection.query(
                    """
                    INSERT INTO hookline_migration (version, name, applied_at)
                    VALUES (\(migration.version), \(migration.name), (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                    """, logger: logger)
            }
        }
        // Every start tops up the day partitions ahead, in a transaction of its own: if a long query holds the tables
        // past the lock timeout, the node still starts (rows of a day without partition go to the default one) and
        // the next retention sweep tries again.
        guard through >= partitionedHistory.version else { return }
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await PostgresSession(connection: connection, logger: logger).createPartitionsAhead(now: nil)
            }
        } catch {
            logger.warning("could not create the day partitions ahead", metadata: ["error": "\(PostgresErrors.summary(error))"])
        }
    }

    /// v1: resources, messages, the delivery queue and attempts.
    static let core = Migration(
        version: 1, name: "v1-core",
        statements: [
            """
            CREATE TABLE application (
                id TEXT COLLATE "C" PRIMARY KEY,
                uid TEXT COLLATE "C" UNIQUE,
                name TEXT NOT NULL,
                metadata TEXT NOT NULL,
                throttle_rate INTEGER,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE endpoint (
                id TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                uid TEXT COLLATE "C",
                url TEXT NOT NULL,
                description TEXT NOT NULL,
                event_types TEXT[],
                channels TEXT[],
                disabled BOOLEAN NOT NULL,
                secret TEXT NOT NULL,
                metadata TEXT NOT NULL,
                headers TEXT NOT NULL,
                throttle_rate INTEGER,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (app_id, uid))
            """,
            "CREATE INDEX endpoint_app ON endpoint(app_id, id)",
            """
            CREATE TABLE event_type (
                name TEXT COLLATE "C" PRIMARY KEY,
                description TEXT NOT NULL,
                archived BOOLEAN NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE message (
                id TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL,
                event_type TEXT COLLATE "C" NOT NULL,
                event_id TEXT COLLATE "C",
                payload BYTEA NOT NULL,
                channels TEXT[],
                tags TEXT[],
                created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX message_app ON message(app_id, id)",
            "CREATE UNIQUE INDEX message_event_id ON message(app_id, event_id) WHERE event_id IS NOT NULL",
            """
            CREATE TABLE delivery (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id TEXT COLLATE "C" NOT NULL,
                endpoint_id TEXT COLLATE "C" NOT NULL,
                app_id TEXT COLLATE "C" NOT NULL,
                state INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                claim_token BIGINT NOT NULL DEFAULT 0,
                updated_at BIGINT NOT NULL)
            """,
            // Claims scan only active rows: finished rows (the vast majority) never enter this index.
            "CREATE INDEX delivery_due ON delivery(next_attempt_at) WHERE state IN (0, 1)",
            "CREATE INDEX delivery_message ON delivery(message_id)",
            "CREATE INDEX delivery_endpoint ON delivery(endpoint_id, state)",
            "CREATE INDEX delivery_app ON delivery(app_id)",
            """
            CREATE TABLE attempt (
                id TEXT COLLATE "C" PRIMARY KEY,
                message_id TEXT COLLATE "C" NOT NULL,
                endpoint_id TEXT COLLATE "C" NOT NULL,
                app_id TEXT COLLATE "C" NOT NULL,
                url TEXT NOT NULL,
                status_code INTEGER NOT NULL,
                response TEXT NOT NULL,
                duration_ms INTEGER NOT NULL,
                status INTEGER NOT NULL,
                trigger_type INTEGER NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX attempt_message ON attempt(message_id, id)",
            "CREATE INDEX attempt_endpoint ON attempt(endpoint_id, id)",
            "CREATE INDEX attempt_app ON attempt(app_id, id)",
        ])

    /// v2: idempotency keys, rotated secrets, manual deliveries and background tasks.
    static let management = Migration(
        version: 2, name: "v2-management",
        statements: [
            """
            CREATE TABLE idempotency_key (
                key TEXT COLLATE "C" PRIMARY KEY,
                status INTEGER NOT NULL,
                content_type TEXT,
                body BYTEA NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL)
            """,
            "CREATE INDEX idempotency_key_expiry ON idempotency_key(expires_at)",
            "ALTER TABLE endpoint ADD COLUMN previous_secrets TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE delivery ADD COLUMN manual BOOLEAN NOT NULL DEFAULT false",
            "CREATE INDEX delivery_endpoint_message ON delivery(endpoint_id, state, message_id)",
            """
            CREATE TABLE background_task (
                id TEXT COLLATE "C" PRIMARY KEY,
                kind TEXT NOT NULL,
                status TEXT NOT NULL,
                app_id TEXT COLLATE "C" NOT NULL,
                endpoint_id TEXT COLLATE "C",
                since BIGINT NOT NULL,
                until BIGINT,
                cursor TEXT COLLATE "C",
                processed BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX background_task_running ON background_task(created_at) WHERE status = 'running'",
        ])

    /// v3: payload size summary and purge markers, with indexes that find purge candidates by age.
    static let retention = Migration(
        version: 3, name: "v3-retention",
        statements: [
            "ALTER TABLE message ADD COLUMN payload_size INTEGER",
            "ALTER TABLE message ADD COLUMN payload_purged_at BIGINT",
            "CREATE INDEX message_unpurged ON message(created_at) WHERE payload_purged_at IS NULL",
            "CREATE INDEX attempt_created ON attempt(created_at)",
        ])
}
