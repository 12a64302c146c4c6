import GRDB

extension SQLiteMigrations {
    /// v8: the endpoint's failure streak (auto-disable) and named checkpoints (the operational webhook's event-log cursor).
    ///
    /// Skipped deliveries need no schema change: they are `delivery.state = 5`.
    static func registerDisable(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-disable") { db in
            try db.execute(
                sql: """
                    ALTER TABLE endpoint ADD COLUMN failing_since INTEGER;
                    CREATE TABLE checkpoint (
                        name TEXT PRIMARY KEY NOT NULL,
                        value INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    """)
        }
    }
}
