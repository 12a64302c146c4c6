import GRDB

extension SQLiteMigrations {
    /// v13: the queue keeps five indexes per delivery row instead of six.
    ///
    /// `delivery_due (next_attempt_at)` held the same active rows as `delivery_lane (priority, next_attempt_at)`,
    /// which answers its reads with one seek per priority level (`SQLiteDueReads`). Every insert, claim and
    /// completion moved an entry in both.
    static func registerLeanQueueIndexes(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13-lean-queue-indexes") { db in
            try db.execute(sql: "DROP INDEX delivery_due")
        }
    }
}

extension SQLiteMigrations {
    /// v14: the queue keeps four indexes per delivery row instead of five.
    ///
    /// `delivery_endpoint_message (endpoint_id, state, message_id)` answered nothing `delivery_endpoint (endpoint_id,
    /// state)` and `delivery_message (message_id)` do not: a message has a delivery row per endpoint, so a lookup by
    /// message is one seek and a few rows. Every insert, claim and completion moved its entry, two identifiers wide.
    static func registerLeanerQueueIndexes(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14-leaner-queue-indexes") { db in
            try db.execute(sql: "DROP INDEX delivery_endpoint_message")
        }
    }
}
