import GRDB

extension SQLiteMigrations {
    /// v11: event types carry Svix's schemas (JSON text), deprecated flag, feature flags (`feature_flag`, a JSON list) and group name.
    static func registerEventTypeDetails(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11-event-type-details") { db in
            try db.execute(
                sql: """
                    ALTER TABLE event_type ADD COLUMN schemas TEXT;
                    ALTER TABLE event_type ADD COLUMN deprecated INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE event_type ADD COLUMN feature_flag TEXT;
                    ALTER TABLE event_type ADD COLUMN group_name TEXT;
                    """)
        }
    }
}
