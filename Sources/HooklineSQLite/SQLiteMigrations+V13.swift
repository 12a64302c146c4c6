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
