import Foundation
import GRDB
import HooklineCore

/// The versioned schema of the SQLite store; each migration runs once, in order.
enum SQLiteMigrations {
    /// A migrator holding every migration.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(
                sql: """
                    CREATE TABLE application (
                        id TEXT PRIMARY KEY NOT NULL,
                        uid TEXT UNIQUE,
                        name TEXT NOT NULL,
                        metadata TEXT NOT NULL,
                        throttle_rate INTEGER,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE TABLE endpoint (
                        id TEXT PRIMARY KEY NOT NULL,
                        app_id TEXT NOT NULL REFERENCES application(id) ON DELETE CASCADE,
                        uid TEXT,
                        url TEXT NOT NULL,
                        description TEXT NOT NULL,
                        event_types TEXT,
                        channels TEXT,
                        disabled INTEGER NOT NULL,
                        secret TEXT NOT NULL,
                        metadata TEXT NOT NULL,
                        headers TEXT NOT NULL,
                        throttle_rate INTEGER,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        UNIQUE (app_id, uid)
                    );
                    CREATE INDEX endpoint_app ON endpoint(app_id, id);
                    CREATE TABLE event_type (
                        name TEXT PRIMARY KEY NOT NULL,
                        description TEXT NOT NULL,
                        archived INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE TABLE message (
                        id TEXT PRIMARY KEY NOT NULL,
                        app_id TEXT NOT NULL,
                        event_type TEXT NOT NULL,
                        event_id TEXT,
                        payload BLOB NOT NULL,
                        channels TEXT,
                        tags TEXT,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX message_app ON message(app_id, id);
                    CREATE UNIQUE INDEX message_event_id ON message(app_id, event_id) WHERE event_id IS NOT NULL;
                    CREATE TABLE delivery (
                        id INTEGER PRIMARY KEY,
                        message_id TEXT NOT NULL,
                        endpoint_id TEXT NOT NULL,
                        app_id TEXT NOT NULL,
                        state INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        claim_token INTEGER NOT NULL DEFAULT 0,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX delivery_due ON delivery(next_attempt_at) WHERE state IN (0, 1);
                    CREATE INDEX delivery_message ON delivery(message_id);
                    CREATE INDEX delivery_endpoint ON delivery(endpoint_id, state);
                    CREATE TABLE attempt (
                        id TEXT PRIMARY KEY NOT NULL,
                        message_id TEXT NOT NULL,
                        endpoint_id TEXT NOT NULL,
                        app_id TEXT NOT NULL,
                        url TEXT NOT NULL,
                        status_code INTEGER NOT NULL,
                        response TEXT NOT NULL,
                        duration_ms INTEGER NOT NULL,
                        status INTEGER NOT NULL,
                        trigger_type INTEGER NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX attempt_message ON attempt(message_id, id);
                    CREATE INDEX attempt_endpoint ON attempt(endpoint_id, id);
                    """)
        }
        registerManagement(&migrator)
        registerRetention(&migrator)
        registerEvents(&migrator)
        registerInbound(&migrator)
        registerCluster(&migrator)
        registerFilters(&migrator)
        registerDisable(&migrator)
        registerOrdering(&migrator)
        registerPortalTokens(&migrator)
        registerEventTypeDetails(&migrator)
        registerHistoryIndexes(&migrator)
        registerLeanQueueIndexes(&migrator)
        registerLeanerQueueIndexes(&migrator)
        registerFailedDeliveries(&migrator)
        registerEventPruneWatermark(&migrator)
        registerInboundExceptions(&migrator)
        registerFailedAttempts(&migrator)
        registerMessageTypes(&migrator)
        registerMessageChannels(&migrator)
        registerMessageTags(&migrator)
        return migrator
    }
}

extension SQLiteMigrations {
    /// Throws when the file carries migrations this build does not know: a newer Hookline wrote it, and running
    /// older code on it could corrupt data. The operator upgrades Hookline or restores a backup of the old schema.
    static func refuseNewerSchema(_ reader: some DatabaseReader) throws {
        let unknown = try reader.read { db -> [String] in
            guard try db.tableExists("grdb_migrations") else { return [] }
            let known = Set(migrator.migrations)
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").filter { !known.contains($0) }.sorted()
        }
        guard unknown.isEmpty else {
            throw HooklineError(
                .conflict,
                "the database schema is newer than this Hookline \(HooklineVersion.current) understands (unknown migrations: "
                    + "\(unknown.joined(separator: ", "))); run the Hookline version that migrated it, or restore a backup taken before the upgrade")
        }
    }

    /// The migrations this build would apply to the file at `path` (all of them when it does not exist), without applying any.
    static func pending(atPath path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return migrator.migrations }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try refuseNewerSchema(queue)
        return try queue.read { db in try migrator.migrations.filter { !(try migrator.appliedIdentifiers(db)).contains($0) } }
    }
}

extension SQLiteStore {
    /// Migrations `migrate`/`serve` would apply to the SQLite file at `path`; nothing is written (`migrate --dry-run`).
    package static func pendingMigrations(atPath path: String) throws -> [String] {
        try SQLiteMigrations.pending(atPath: path)
    }
}

extension SQLiteMigrations {
    /// Test support: writes a file as an older Hookline left it — migrated up to `identifier`, then `sql` run on it.
    static func makeFile(atPath path: String, upTo identifier: String, then sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try migrator.migrate(queue, upTo: identifier)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }
}
