import GRDB

extension SQLiteMigrations {
    /// v7: message priority (copied onto delivery rows), ordered endpoints, and the claim's lane indexes.
    ///
    /// `delivery_lane` holds the active rows per priority level in due order, so a claim merges ten short
    /// index ranges instead of sorting every due row; `delivery_endpoint_lane` does the same per endpoint
    /// and lets the claim step from one endpoint with active rows to the next (fair claiming).
    static func registerOrdering(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-ordering") { db in
            try db.execute(
                sql: """
                    ALTER TABLE message ADD COLUMN priority INTEGER NOT NULL DEFAULT 5;
                    ALTER TABLE delivery ADD COLUMN priority INTEGER NOT NULL DEFAULT 5;
                    ALTER TABLE endpoint ADD COLUMN ordered INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX delivery_lane ON delivery(priority, next_attempt_at) WHERE state IN (0, 1);
                    CREATE INDEX delivery_endpoint_lane ON delivery(endpoint_id, priority, next_attempt_at) WHERE state IN (0, 1);
                    """)
        }
    }
}
