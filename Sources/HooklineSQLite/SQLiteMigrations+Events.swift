import GRDB

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
