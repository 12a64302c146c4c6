import GRDB

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
