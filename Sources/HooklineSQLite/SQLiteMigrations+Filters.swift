import GRDB

extension SQLiteMigrations {
    /// v9: an endpoint's payload filter, as its JSON wire form (`NULL`: no filter).
    static func registerFilters(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-filters") { db in
            try db.execute(sql: "ALTER TABLE endpoint ADD COLUMN payload_filter TEXT;")
        }
    }
}
