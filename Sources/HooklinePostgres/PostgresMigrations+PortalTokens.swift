extension PostgresMigrations {
    /// v10: tenant-portal tokens (digests only), scoped to one application, expiring and revocable.
    static let portalTokens = Migration(
        version: 10, name: "v10-portal-tokens",
        statements: [
            """
            CREATE TABLE portal_token (
                digest TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL,
                read_only BOOLEAN NOT NULL,
                feature_flags TEXT NOT NULL,
                session_id TEXT,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                revoked_at BIGINT)
            """,
            "CREATE INDEX portal_token_expiry ON portal_token(expires_at)",
        ])
}
