import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Commits a batch of which some messages carry idempotency records, in one transaction: it claims their keys
    /// first, inserts the messages whose key it claimed (and those without one) as `commitIngest` does, and gives back
    /// the keys of messages not inserted (a duplicate event id, a stale route).
    ///
    /// A key an unexpired record holds — committed, or being committed by another transaction, which the claim waits
    /// for — is not claimed: its message is not inserted and is answered with that record's response (`keptResponse`).
    func commitIdempotentIngest(_ batch: [NewMessage], lease: CommitLease) async throws -> InsertResult {
        try await writing { session in
            let held = try await session.claimIdempotencyKeys(batch.compactMap(\.idempotency))
            let admitted = batch.indices.filter { index in batch[index].idempotency.map { held[$0.key] == nil } ?? true }
            var outcomes: [InsertOutcome?] = batch.map { item in item.idempotency.flatMap { held[$0.key] }.map { .keptResponse($0) } }
            guard !admitted.isEmpty else { return InsertResult(outcomes: outcomes.compactMap { $0 }) }
            let admittedBatch = admitted.map { batch[$0] }
            let admittedLease = CommitLease(until: lease.until, picks: admitted.map { lease.picks(for: $0) })
            let rows = PostgresIngestRows(admittedBatch, lease: admittedLease, events: true)
            var write = try await session.insertIngestRows(rows)
            try await session.resolveLateDuplicates(&write, rows: rows)
            let result = ingestResult(of: admittedBatch, rows: rows, write: write, lease: admittedLease)
            try await session.releaseIdempotencyKeys(
                zip(admittedBatch, result.outcomes).compactMap { item, outcome in outcome == .inserted ? nil : item.idempotency?.key })
            for (position, index) in admitted.enumerated() { outcomes[index] = result.outcomes[position] }
            let leased = result.leased.map {
                InsertResult.LeasedRow(item: admitted[$0.item], endpointIndex: $0.endpointIndex, deliveryId: $0.deliveryId)
            }
            return InsertResult(outcomes: outcomes.compactMap { $0 }, leased: leased)
        }
    }
}

extension PostgresSession {
    /// Keeps `records` for this transaction (an expired record with the same key is replaced) and returns the responses
    /// of the keys an unexpired record already holds, which stay as they are.
    func claimIdempotencyKeys(_ records: [IdempotencyRecord]) async throws -> [String: IdempotentResponse] {
        guard !records.isEmpty else { return [:] }
        // In key order, so two transactions claiming the same keys lock them in the same order.
        let sorted = records.sorted { $0.key < $1.key }
        guard Set(sorted.map(\.key)).count == sorted.count else {
            // One request per key runs at a time on a node (`IdempotencyGate`), so a batch never holds a key twice.
            throw HooklineError(.unavailable, "one Idempotency-Key twice in a batch; nothing was written, retry to get its answer")
        }
        let claimed = try await rows(prepared: KeyClaimStatement.self, Self.keyClaimQuery(sorted)).map { try $0.decode(String.self) }
        let held = Set(sorted.map(\.key)).subtracting(claimed)
        guard !held.isEmpty else { return [:] }
        // A statement of its own: its snapshot sees a record that another transaction committed while the claim waited.
        var responses: [String: IdempotentResponse] = [:]
        for row in try await rows("SELECT key, status, content_type, body FROM idempotency_key WHERE key = ANY(\(Array(held))::text[])") {
            responses[try row.get("key")] = IdempotentResponse(
                status: try row.get("status"), contentType: try row.get("content_type"), body: try row.get("body"))
        }
        guard responses.count == held.count else {
            // A held record that expired and was purged between the two statements: nothing written, the retry claims it.
            throw HooklineError(.unavailable, "an Idempotency-Key's record changed while it was read; nothing was written, retry")
        }
        return responses
    }

    /// Deletes the records this transaction claimed for messages it did not insert.
    func releaseIdempotencyKeys(_ keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        _ = try await execute("DELETE FROM idempotency_key WHERE key = ANY(\(keys)::text[])")
    }
}

extension PostgresSession {
    /// The statement that claims a batch's idempotency keys, prepared on each connection (its text is the same for
    /// every batch; it reads `idempotency_key` only through its primary key, as the conflict target).
    enum KeyClaimStatement: PostgresPreparedKind {
        /// The statement's name on each connection.
        static let name = "hookline_claim_keys"
        /// The text of every key claim.
        static let sql = PostgresSession.keyClaimQuery([]).sql
    }

    /// Inserts `sorted` (in that order) unless an unexpired record holds the key; returns the keys it inserted.
    static func keyClaimQuery(_ sorted: [IdempotencyRecord]) -> PostgresQuery {
        """
        INSERT INTO idempotency_key (key, status, content_type, body, created_at, expires_at)
        SELECT r.key, r.status, CASE WHEN r.typed THEN r.content_type END, r.body, r.created_at, r.expires_at
        FROM UNNEST(\(sorted.map(\.key))::text[], \(sorted.map { Int64($0.response.status) })::int8[],
            \(sorted.map { $0.response.contentType?.withoutNUL ?? "" })::text[], \(sorted.map { $0.response.contentType != nil })::bool[],
            \(sorted.map { ByteBuffer(bytes: $0.response.body) })::bytea[], \(sorted.map(\.createdAt.millisecondsSince1970))::int8[],
            \(sorted.map(\.expiresAt.millisecondsSince1970))::int8[]) AS r(key, status, content_type, typed, body, created_at, expires_at)
        ON CONFLICT (key) DO UPDATE SET status = excluded.status, content_type = excluded.content_type, body = excluded.body,
        created_at = excluded.created_at, expires_at = excluded.expires_at
        WHERE idempotency_key.expires_at <= excluded.created_at
        RETURNING key
        """
    }
}
