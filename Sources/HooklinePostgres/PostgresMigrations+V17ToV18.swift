extension PostgresMigrations {
    /// v17: an application's failed and skipped delivery rows get a partial index of their own, `delivery_failed`.
    ///
    /// `GET …/msg?status=2` for a whole application read every delivery row of the application (`delivery_app`) to find
    /// its few failed ones. Only failed and skipped rows enter the index, so the new version a claim or a completion
    /// writes elsewhere passes its predicate and adds no entry. Building it reads `delivery` once, and writes to
    /// `delivery` wait for the build (it runs in the migrating transaction).
    static let failedDeliveries = Migration(
        version: 17, name: "v17-failed-deliveries",
        // The predicate is `DeliveryStateLookup.ApplicationRows.failedPredicate`, spelt out: a migration never changes.
        statements: ["CREATE INDEX delivery_failed ON delivery(app_id, message_id) WHERE state IN (3, 5)"])
}

extension PostgresMigrations {
    /// v18: the event log's prune watermark, the checkpoint `event-log.pruned-through` (`EventLogBounds.prunedThrough`).
    ///
    /// The event id sequence gives values to transactions that roll back, so the log can start past 1 or hold holes
    /// with nothing pruned, and a stream resumed from before the oldest kept id told its client that events were pruned.
    /// Retention now raises the watermark as it deletes; an existing log starts from what its oldest kept id implies,
    /// a new one from 0.
    static let eventPruneWatermark = Migration(
        version: 18, name: "v18-event-prune-watermark",
        statements: [
            """
            INSERT INTO checkpoint (name, value, updated_at)
            SELECT 'event-log.pruned-through',
                COALESCE((SELECT MIN(id) - 1 FROM event), pg_sequence_last_value(pg_get_serial_sequence('event', 'id')::regclass), 0),
                (extract(epoch FROM clock_timestamp()) * 1000)::bigint
            ON CONFLICT (name) DO NOTHING
            """
        ])
}
