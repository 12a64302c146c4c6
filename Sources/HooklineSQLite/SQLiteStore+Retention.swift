import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    private static let finishedBefore = """
        created_at < ? AND payload_purged_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND d.state IN (0, 1))
        """

    /// Empties the payloads of up to `limit` finished messages created before `cutoff`.
    public func purgePayloads(createdBefore cutoff: Date, limit: Int, now: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE message SET payload_size = length(payload), payload = X'', payload_purged_at = ?
                    WHERE id IN (SELECT id FROM message WHERE \(Self.finishedBefore) LIMIT ?)
                    """,
                arguments: [now.millisecondsSince1970, cutoff.millisecondsSince1970, limit])
            return db.changesCount
        }
    }

    /// Empties the response bodies of up to `limit` attempts made before `cutoff`.
    public func purgeAttemptResponses(before cutoff: Date, limit: Int) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE attempt SET response = '' WHERE rowid IN (
                        SELECT rowid FROM attempt WHERE created_at < ? AND response != '' LIMIT ?)
                    """,
                arguments: [cutoff.millisecondsSince1970, limit])
            return db.changesCount
        }
    }

    /// What purging at `cutoff` would remove.
    public func retentionCandidates(cutoff: Date) async throws -> RetentionSummary {
        try await pool.read { db in
            let cutoff = cutoff.millisecondsSince1970
            let payloads = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(length(payload)), 0) AS bytes FROM message WHERE \(Self.finishedBefore)",
                arguments: [cutoff])
            let responses =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE created_at < ? AND response != ''", arguments: [cutoff]) ?? 0
            return RetentionSummary(payloads: payloads?["n"] ?? 0, payloadBytes: payloads?["bytes"] ?? 0, responses: responses)
        }
    }
}
