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

extension SQLiteMigrations {
    /// v18: an endpoint's failed attempts get a partial index of their own, `attempt_failed`.
    ///
    /// `GET …/attempt/endpoint/{id}?status=2` walked the endpoint's attempts newest first until a page of failed ones
    /// had passed: on a healthy endpoint, its whole history. Only failed attempts enter the index, so a successful one
    /// writes nothing there. Building it reads `attempt` once.
    static func registerFailedAttempts(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v18-failed-attempts") { db in
            // The predicate is `AttemptStatus.failedPredicate`, spelt out: a migration never changes.
            try db.execute(sql: "CREATE INDEX attempt_failed ON attempt(endpoint_id, id) WHERE status = 2")
        }
    }
}
