extension PostgresMigrations {
    /// v16: the active deliveries get a table of their own, `delivery_queue`, kept by triggers on `delivery`.
    ///
    /// Every claim and completion leaves a dead version of its row behind, and with it an entry in each index of the
    /// active rows. In `delivery`'s partial indexes those entries sat where every claim starts reading (a completed
    /// row's old version is keyed by its lapsed lease), and only a vacuum of the whole `delivery` table — every index
    /// of every finished row — removed them: claims grew slower until autovacuum ran, once a minute at best.
    /// `delivery_queue` holds only the active rows (a few thousand), so `PostgresQueueVacuum` vacuums it every few
    /// seconds for a few milliseconds. `delivery` stays the record (state, attempts, claim token); the triggers
    /// mirror each statement's active rows into the queue and remove the rows that finished, so no write path
    /// changes and none can forget the queue. Their statements find queue rows by primary key, never by a sequential
    /// scan (`enable_seqscan = off` for the function): the planner sees a table of a few hundred rows, but between
    /// two vacuums its pages hold thousands of dead versions, and a scan of them took 3 ms where 40 lookups take 0.1.
    static let activeQueue = Migration(
        version: 16, name: "v16-active-queue",
        statements: [
            """
            CREATE TABLE delivery_queue (
                id BIGINT PRIMARY KEY,
                endpoint_id TEXT COLLATE "C" NOT NULL,
                priority INTEGER NOT NULL,
                state INTEGER NOT NULL,
                next_attempt_at BIGINT NOT NULL)
            WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000)
            """,
            "CREATE INDEX delivery_queue_due ON delivery_queue(next_attempt_at)",
            "CREATE INDEX delivery_queue_lane ON delivery_queue(priority, next_attempt_at)",
            "CREATE INDEX delivery_queue_endpoint ON delivery_queue(endpoint_id, priority, next_attempt_at)",
            "CREATE INDEX delivery_queue_head ON delivery_queue(endpoint_id, id)",
            """
            CREATE FUNCTION delivery_queue_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO delivery_queue (id, endpoint_id, priority, state, next_attempt_at)
                SELECT id, endpoint_id, priority, state, next_attempt_at FROM inserted WHERE state IN (0, 1);
                RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION delivery_queue_updated() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
            BEGIN
                DELETE FROM delivery_queue q USING updated u WHERE q.id = u.id AND u.state NOT IN (0, 1);
                INSERT INTO delivery_queue (id, endpoint_id, priority, state, next_attempt_at)
                SELECT id, endpoint_id, priority, state, next_attempt_at FROM updated WHERE state IN (0, 1)
                ON CONFLICT (id) DO UPDATE SET endpoint_id = excluded.endpoint_id, priority = excluded.priority,
                    state = excluded.state, next_attempt_at = excluded.next_attempt_at;
                RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION delivery_queue_deleted() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
            BEGIN
                DELETE FROM delivery_queue q USING deleted d WHERE q.id = d.id AND d.state IN (0, 1);
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER delivery_queue_inserted AFTER INSERT ON delivery REFERENCING NEW TABLE AS inserted
            FOR EACH STATEMENT EXECUTE FUNCTION delivery_queue_inserted()
            """,
            """
            CREATE TRIGGER delivery_queue_updated AFTER UPDATE ON delivery REFERENCING NEW TABLE AS updated
            FOR EACH STATEMENT EXECUTE FUNCTION delivery_queue_updated()
            """,
            """
            CREATE TRIGGER delivery_queue_deleted AFTER DELETE ON delivery REFERENCING OLD TABLE AS deleted
            FOR EACH STATEMENT EXECUTE FUNCTION delivery_queue_deleted()
            """,
            """
            INSERT INTO delivery_queue (id, endpoint_id, priority, state, next_attempt_at)
            SELECT id, endpoint_id, priority, state, next_attempt_at FROM delivery WHERE state IN (0, 1)
            """,
            "DROP INDEX delivery_due",
            "DROP INDEX delivery_lane",
            "DROP INDEX delivery_endpoint_lane",
            "DROP INDEX delivery_endpoint_head",
        ])
}
