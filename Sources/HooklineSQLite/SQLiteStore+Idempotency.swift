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
