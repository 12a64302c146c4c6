import GRDB

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
        return migrator
    }
}
