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

extension SQLiteMigrations {
    /// v9: an endpoint's payload filter, as its JSON wire form (`NULL`: no filter).
    static func registerFilters(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-filters") { db in
            try db.execute(sql: "ALTER TABLE endpoint ADD COLUMN payload_filter TEXT;")
        }
    }
}

extension SQLiteMigrations {
    /// v10: tenant-portal tokens (digests only), scoped to one application, expiring and revocable.
    static func registerPortalTokens(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-portal-tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE portal_token (
                        digest TEXT PRIMARY KEY NOT NULL,
                        app_id TEXT NOT NULL,
                        read_only INTEGER NOT NULL,
                        feature_flags TEXT NOT NULL,
                        session_id TEXT,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    CREATE INDEX portal_token_expiry ON portal_token(expires_at);
                    """)
        }
    }
}

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

extension SQLiteMigrations {
    /// v12: retention's attempt sweep finds only attempts whose response body is still there.
    ///
    /// `attempt_unpurged` replaces `attempt_created`: the sweep's range over all attempts older than the cutoff
    /// grew with every purged attempt, while this partial index holds only those it may still purge (same
    /// write cost per attempt).
    static func registerHistoryIndexes(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v12-history-indexes") { db in
            try db.execute(
                sql: """
                    CREATE INDEX attempt_unpurged ON attempt(created_at) WHERE response != '';
                    DROP INDEX attempt_created;
                    """)
        }
    }
}
