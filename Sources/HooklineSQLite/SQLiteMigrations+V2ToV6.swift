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

extension SQLiteMigrations {
    /// v3: payload size summary and purge markers, with indexes that find purge candidates by age.
    static func registerRetention(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-retention") { db in
            try db.execute(
                sql: """
                    ALTER TABLE message ADD COLUMN payload_size INTEGER;
                    ALTER TABLE message ADD COLUMN payload_purged_at INTEGER;
                    CREATE INDEX message_unpurged ON message(created_at) WHERE payload_purged_at IS NULL;
                    CREATE INDEX attempt_created ON attempt(created_at);
                    """)
        }
    }
}

extension SQLiteMigrations {
    /// v4: the durable event log behind the SSE stream and the status endpoint.
    ///
    /// `AUTOINCREMENT` keeps ids strictly increasing even after the newest rows are pruned.
    static func registerEvents(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        app_id TEXT,
                        message_id TEXT,
                        endpoint_id TEXT,
                        event_type TEXT,
                        channels TEXT,
                        latency_ms INTEGER,
                        details TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX event_kind_time ON event(kind, created_at);
                    """)
        }
    }
}

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

extension SQLiteMigrations {
    /// v6: named leases that keep periodic work to one runner at a time.
    static func registerCluster(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-cluster") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cluster_lease (
                        name TEXT PRIMARY KEY NOT NULL,
                        holder TEXT NOT NULL,
                        until INTEGER NOT NULL
                    );
                    """)
        }
    }
}
