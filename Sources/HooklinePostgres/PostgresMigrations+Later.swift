import HooklineCore

extension PostgresMigrations {
    /// Throws when the database carries versions this build does not know: a newer Hookline migrated it, and
    /// running older code on it could corrupt data (nodes of a cluster are upgraded, never downgraded).
    static func refuseNewerSchema(applied: Set<Int>) throws {
        let unknown = applied.filter { $0 > latestVersion }.sorted()
        guard unknown.isEmpty else {
            throw HooklineError(
                .conflict,
                "the database schema (version \(unknown.last!)) is newer than this Hookline \(HooklineVersion.current) understands "
                    + "(up to \(latestVersion)); run the Hookline version that migrated it, or restore a backup taken before the upgrade")
        }
    }
}

extension PostgresMigrations {
    /// v11: event types carry Svix's schemas (JSON text), deprecated flag, feature flags (`feature_flag`, a JSON list) and group name.
    static let eventTypeDetails = Migration(
        version: 11, name: "v11-event-type-details",
        statements: [
            "ALTER TABLE event_type ADD COLUMN schemas TEXT",
            "ALTER TABLE event_type ADD COLUMN deprecated BOOLEAN NOT NULL DEFAULT FALSE",
            "ALTER TABLE event_type ADD COLUMN feature_flag TEXT",
            "ALTER TABLE event_type ADD COLUMN group_name TEXT",
        ])

    /// Migrations added for Svix parity.
    static let parity: [Migration] = [eventTypeDetails]
}

extension PostgresMigrations {
    /// v12: retention's attempt sweep finds only attempts whose response body is still there.
    ///
    /// `attempt_unpurged` replaces `attempt_created`: the sweep's range over all attempts older than the cutoff
    /// grew with every purged attempt, while this partial index holds only those it may still purge (same
    /// write cost per attempt).
    static let historyIndexes = Migration(
        version: 12, name: "v12-history-indexes",
        statements: [
            "CREATE INDEX attempt_unpurged ON attempt(created_at) WHERE response <> ''",
            "DROP INDEX attempt_created",
        ])
}

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

extension PostgresMigrations {
    /// v4: the durable event log behind the SSE stream and the status endpoint.
    ///
    /// An identity column never hands out an id twice, even after the newest rows are pruned. `channels` and
    /// `details` are JSON text: the log is filtered in memory, never in SQL.
    static let events = Migration(
        version: 4, name: "v4-events",
        statements: [
            """
            CREATE TABLE event (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind TEXT NOT NULL,
                app_id TEXT COLLATE "C",
                message_id TEXT COLLATE "C",
                endpoint_id TEXT COLLATE "C",
                event_type TEXT,
                channels TEXT,
                latency_ms BIGINT,
                details TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX event_kind_time ON event(kind, created_at)",
        ])

    /// v5: inbound sources, stored inbound requests with their dedup keys, and message columns for
    /// forwarded bodies (content type) and workflows (correlation id).
    static let inbound = Migration(
        version: 5, name: "v5-inbound",
        statements: [
            """
            CREATE TABLE source (
                id TEXT COLLATE "C" PRIMARY KEY,
                uid TEXT COLLATE "C" UNIQUE,
                app_id TEXT COLLATE "C" NOT NULL,
                definition TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE inbound_request (
                id TEXT COLLATE "C" PRIMARY KEY,
                source_id TEXT COLLATE "C" NOT NULL,
                status INTEGER NOT NULL,
                verification TEXT NOT NULL,
                reason TEXT,
                dedup_key TEXT,
                duplicate_of TEXT COLLATE "C",
                headers TEXT NOT NULL,
                body BYTEA NOT NULL,
                message_id TEXT COLLATE "C",
                failure TEXT,
                received_at BIGINT NOT NULL,
                routed_at BIGINT)
            """,
            "CREATE INDEX inbound_request_source ON inbound_request(source_id, id)",
            "CREATE INDEX inbound_request_pending ON inbound_request(id) WHERE status = 0",
            """
            CREATE TABLE inbound_dedup (
                source_id TEXT COLLATE "C" NOT NULL,
                dedup_key TEXT NOT NULL,
                request_id TEXT COLLATE "C" NOT NULL,
                expires_at BIGINT NOT NULL,
                PRIMARY KEY (source_id, dedup_key))
            """,
            "ALTER TABLE message ADD COLUMN content_type TEXT",
            "ALTER TABLE message ADD COLUMN correlation_id TEXT",
        ])

    /// v6: named leases that keep periodic work to one runner at a time.
    static let cluster = Migration(
        version: 6, name: "v6-cluster",
        statements: [
            """
            CREATE TABLE cluster_lease (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                until BIGINT NOT NULL)
            """
        ])

    /// Migrations after v6, ported from the SQLite store's.
    static let later: [Migration] = [ordering, disable, filters, portalTokens]

    /// v7: message priority (copied onto delivery rows), ordered endpoints, and the claim's lane indexes.
    ///
    /// `delivery_lane` holds the active rows per priority level in due order, so a claim merges ten short index
    /// ranges instead of sorting every due row; `delivery_endpoint_lane` does the same per endpoint and lets the
    /// claim step from one endpoint with active rows to the next (fair claiming).
    static let ordering = Migration(
        version: 7, name: "v7-ordering",
        statements: [
            "ALTER TABLE message ADD COLUMN priority INTEGER NOT NULL DEFAULT 5",
            "ALTER TABLE delivery ADD COLUMN priority INTEGER NOT NULL DEFAULT 5",
            "ALTER TABLE endpoint ADD COLUMN ordered BOOLEAN NOT NULL DEFAULT false",
            "CREATE INDEX delivery_lane ON delivery(priority, next_attempt_at) WHERE state IN (0, 1)",
            "CREATE INDEX delivery_endpoint_lane ON delivery(endpoint_id, priority, next_attempt_at) WHERE state IN (0, 1)",
            // An ordered endpoint's head is MIN(id) of its active rows: one seek here (SQLite's delivery_endpoint
            // index carries the rowid; a PostgreSQL index on (endpoint_id, state) does not, and MIN(id) read every row).
            "CREATE INDEX delivery_endpoint_head ON delivery(endpoint_id, id) WHERE state IN (0, 1)",
        ])

    /// v8: the endpoint's failure streak (auto-disable) and named checkpoints (durable event-log cursors).
    ///
    /// Skipped deliveries need no schema change: they are `delivery.state = 5`.
    static let disable = Migration(
        version: 8, name: "v8-disable",
        statements: [
            "ALTER TABLE endpoint ADD COLUMN failing_since BIGINT",
            """
            CREATE TABLE checkpoint (
                name TEXT PRIMARY KEY,
                value BIGINT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
        ])

    /// v9: an endpoint's payload filter, as its JSON wire form (`NULL`: no filter).
    static let filters = Migration(
        version: 9, name: "v9-filters",
        statements: ["ALTER TABLE endpoint ADD COLUMN payload_filter TEXT"])
}
