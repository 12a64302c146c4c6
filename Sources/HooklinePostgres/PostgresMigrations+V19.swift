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
