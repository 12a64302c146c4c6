import GRDB

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
