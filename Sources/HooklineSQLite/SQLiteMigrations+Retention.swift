import GRDB

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
