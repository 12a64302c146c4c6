extension PostgresMigrations {
    /// v19: a source's requests that did not become messages get a partial index of their own, `inbound_request_exception`.
    ///
    /// `GET …/source/{id}/request?status=rejected` walked the source's requests newest first until a page of the few
    /// rejected ones had passed: on a source that is mostly routed, its whole history. Only duplicate, rejected and
    /// failed requests enter the index, so a routed request adds no entry. Building it reads `inbound_request` once.
    static let inboundExceptions = Migration(
        version: 19, name: "v19-inbound-exceptions",
        // The predicate is `InboundStatus.exceptionPredicate`, spelt out: a migration never changes.
        statements: ["CREATE INDEX inbound_request_exception ON inbound_request(source_id, status, id) WHERE status IN (2, 3, 4)"])
}

extension PostgresMigrations {
    /// v20: an endpoint's failed attempts get a partial index of their own, `attempt_failed`, on every day partition.
    ///
    /// `GET …/attempt/endpoint/{id}?status=2` walked the endpoint's attempts newest first until a page of failed ones
    /// had passed: on a healthy endpoint, its whole history. Only failed attempts enter the index, so a successful one
    /// adds no entry. Building it reads `attempt` once, and writes to `attempt` wait for the build.
    static let failedAttempts = Migration(
        version: 20, name: "v20-failed-attempts",
        // The predicate is `AttemptStatus.failedPredicate`, spelt out: a migration never changes.
        statements: ["CREATE INDEX attempt_failed ON attempt(endpoint_id, id) WHERE status = 2"])
}
