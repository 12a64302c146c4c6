import GRDB

extension SQLiteMigrations {
    /// v17: a source's requests that did not become messages get a partial index of their own, `inbound_request_exception`.
    ///
    /// `GET …/source/{id}/request?status=rejected` walked the source's requests newest first until a page of the few
    /// rejected ones had passed: on a source that is mostly routed, its whole history. Only duplicate, rejected and
    /// failed requests enter the index, so a routed request writes nothing there. Building it reads `inbound_request` once.
    static func registerInboundExceptions(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v17-inbound-exceptions") { db in
            // The predicate is `InboundStatus.exceptionPredicate`, spelt out: a migration never changes.
            try db.execute(sql: "CREATE INDEX inbound_request_exception ON inbound_request(source_id, status, id) WHERE status IN (2, 3, 4)")
        }
    }
}
