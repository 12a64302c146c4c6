import GRDB

extension SQLiteMigrations {
    /// v5: inbound sources, stored inbound requests with their dedup keys, and message columns for
    /// forwarded bodies (content type) and workflows (correlation id).
    static func registerInbound(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-inbound") { db in
            try db.execute(
                sql: """
                    CREATE TABLE source (
                        id TEXT PRIMARY KEY NOT NULL,
                        uid TEXT UNIQUE,
                        app_id TEXT NOT NULL,
                        definition TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE inbound_request (
                        id TEXT PRIMARY KEY NOT NULL,
                        source_id TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        verification TEXT NOT NULL,
                        reason TEXT,
                        dedup_key TEXT,
                        duplicate_of TEXT,
                        headers TEXT NOT NULL,
                        body BLOB NOT NULL,
                        message_id TEXT,
                        failure TEXT,
                        received_at INTEGER NOT NULL,
                        routed_at INTEGER
                    );
                    CREATE INDEX inbound_request_source ON inbound_request(source_id, id);
                    CREATE INDEX inbound_request_pending ON inbound_request(id) WHERE status = 0;
                    CREATE TABLE inbound_dedup (
                        source_id TEXT NOT NULL,
                        dedup_key TEXT NOT NULL,
                        request_id TEXT NOT NULL,
                        expires_at INTEGER NOT NULL,
                        PRIMARY KEY (source_id, dedup_key)
                    );
                    ALTER TABLE message ADD COLUMN content_type TEXT;
                    ALTER TABLE message ADD COLUMN correlation_id TEXT;
                    """)
        }
    }
}
