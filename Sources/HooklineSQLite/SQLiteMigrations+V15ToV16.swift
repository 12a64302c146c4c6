import GRDB

extension SQLiteMigrations {
    /// v15: an application's failed and skipped delivery rows get a partial index of their own, `delivery_failed`.
    ///
    /// `GET …/msg?status=2` for a whole application had no index to count its few failed rows by: a deleted endpoint's
    /// finished rows are in no current endpoint's range of `delivery_endpoint`, so the list walked the application's
    /// history. Only failed and skipped rows enter the index, so a claim or a completion that ends elsewhere passes its
    /// predicate and writes nothing there. Building it reads `delivery` once.
    static func registerFailedDeliveries(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15-failed-deliveries") { db in
            // The predicate is `DeliveryStateLookup.ApplicationRows.failedPredicate`, spelt out: a migration never changes.
            try db.execute(sql: "CREATE INDEX delivery_failed ON delivery(app_id, message_id) WHERE state IN (3, 5)")
        }
    }
}

extension SQLiteMigrations {
    /// v16: the event log's prune watermark, the checkpoint `event-log.pruned-through` (`EventLogBounds.prunedThrough`).
    ///
    /// A stream resumed from an id told its client that events were pruned whenever the oldest kept id was past it,
    /// which also held for ids never committed. Retention now raises the watermark as it deletes; an existing log
    /// starts from what its oldest kept id implies (everything before it pruned), a new one from 0.
    static func registerEventPruneWatermark(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v16-event-prune-watermark") { db in
            try db.execute(
                sql: """
                    INSERT INTO checkpoint (name, value, updated_at)
                    SELECT 'event-log.pruned-through',
                        COALESCE((SELECT MIN(id) - 1 FROM event), (SELECT seq FROM sqlite_sequence WHERE name = 'event'), 0),
                        CAST(strftime('%s', 'now') AS INTEGER) * 1000
                    WHERE true ON CONFLICT (name) DO NOTHING
                    """)
        }
    }
}
