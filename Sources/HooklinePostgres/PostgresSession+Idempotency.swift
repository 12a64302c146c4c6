import Foundation
import HooklineCore
import PostgresNIO

extension PostgresSession {
    /// Keeps the responses of a transaction's idempotent requests with what they created; an expired record
    /// with the same key is replaced.
    ///
    /// A key that an unexpired record already holds means another request with that key committed first (on
    /// another node, or one whose outcome its caller never learnt): the transaction must not commit a second
    /// result, so this throws `unavailable` (nothing written; a retry replays the first request's answer).
    func keepIdempotencyRecords(_ records: [IdempotencyRecord]) async throws {
        for record in records {
            let kept = try await execute(
                """
                INSERT INTO idempotency_key (key, status, content_type, body, created_at, expires_at)
                VALUES (\(record.key), \(record.response.status), \(record.response.contentType), \(record.response.body),
                \(record.createdAt.millisecondsSince1970), \(record.expiresAt.millisecondsSince1970))
                ON CONFLICT (key) DO UPDATE SET status = excluded.status, content_type = excluded.content_type, body = excluded.body,
                created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE idempotency_key.expires_at <= excluded.created_at
                RETURNING 1
                """)
            guard kept == 1 else {
                throw HooklineError(
                    .unavailable, "a request with the same Idempotency-Key committed meanwhile; nothing was written, retry to get its answer")
            }
        }
    }
}
