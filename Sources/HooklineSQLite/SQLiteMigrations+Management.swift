import GRDB

extension SQLiteMigrations {
    /// v2: idempotency keys, rotated secrets, manual deliveries and background tasks.
    static func registerManagement(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-management") { db in
            try db.execute(
                sql: """
                    CREATE TABLE idempotency_key (
                        key TEXT PRIMARY KEY NOT NULL,
                        status INTEGER NOT NULL,
                        content_type TEXT,
                        body BLOB NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL
                    );
                    CREATE INDEX idempotency_key_expiry ON idempotency_key(expires_at);
                    ALTER TABLE endpoint ADD COLUMN previous_secrets TEXT NOT NULL DEFAULT '[]';
                    ALTER TABLE delivery ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX delivery_endpoint_message ON delivery(endpoint_id, state, message_id);
                    CREATE TABLE background_task (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        app_id TEXT NOT NULL,
                        endpoint_id TEXT,
                        since INTEGER NOT NULL,
                        until INTEGER,
                        cursor TEXT,
                        processed INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX background_task_running ON background_task(created_at) WHERE status = 'running';
                    """)
        }
    }
}
