import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Keeps a replayable response; an expired record with the same key is replaced.
    public func insertIdempotencyRecord(_ record: IdempotencyRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO idempotency_key (key, status, content_type, body, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.key, record.response.status, record.response.contentType, record.response.body,
                    record.createdAt.millisecondsSince1970, record.expiresAt.millisecondsSince1970,
                ])
        }
    }

    /// Keeps `record` inside the caller's transaction (with what its request created); throws `unavailable`,
    /// rolling the transaction back, when an unexpired record already holds the key.
    static func keepIdempotencyRecord(_ db: Database, _ record: IdempotencyRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO idempotency_key (key, status, content_type, body, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET status = excluded.status, content_type = excluded.content_type, body = excluded.body,
                created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE idempotency_key.expires_at <= excluded.created_at
                """,
            arguments: [
                record.key, record.response.status, record.response.contentType, record.response.body,
                record.createdAt.millisecondsSince1970, record.expiresAt.millisecondsSince1970,
            ])
        guard db.changesCount == 1 else {
            throw HooklineError(
                .unavailable, "a request with the same Idempotency-Key committed meanwhile; nothing was written, retry to get its answer")
        }
    }

    /// The unexpired record for `key`.
    public func idempotencyRecord(key: String, now: Date) async throws -> IdempotencyRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM idempotency_key WHERE key = ? AND expires_at > ?", arguments: [key, now.millisecondsSince1970]
            ).map { row in
                IdempotencyRecord(
                    key: row["key"], response: IdempotentResponse(status: row["status"], contentType: row["content_type"], body: row["body"]),
                    createdAt: Date(millisecondsSince1970: row["created_at"]), expiresAt: Date(millisecondsSince1970: row["expires_at"]))
            }
        }
    }

    /// Deletes expired records.
    public func deleteIdempotencyRecords(expiredBy now: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM idempotency_key WHERE expires_at <= ?", arguments: [now.millisecondsSince1970])
            return db.changesCount
        }
    }
}

/// Encoding of an endpoint's retired secrets as JSON text: `[{"key": "whsec_…", "expiresAt": ms}]`.
enum RetiredSecretColumn {
    private struct Stored: Codable {
        var key: String
        var expiresAt: Int64
    }

    /// The column text for `secrets`.
    static func encode(_ secrets: [RetiredSecret]) -> String {
        JSONColumn.encode(secrets.map { Stored(key: $0.secret.encoded, expiresAt: $0.expiresAt.millisecondsSince1970) }) ?? "[]"
    }

    /// The secrets in a column's text; unreadable entries are dropped.
    static func decode(_ text: String?) -> [RetiredSecret] {
        (JSONColumn.decode([Stored].self, text) ?? []).compactMap { stored in
            (try? EndpointSecret(stored.key)).map { RetiredSecret(secret: $0, expiresAt: Date(millisecondsSince1970: stored.expiresAt)) }
        }
    }
}
