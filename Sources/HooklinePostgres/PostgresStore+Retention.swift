import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Messages created before `$1` whose payload is kept and that no active delivery still needs.
    private static let finishedBefore = """
        created_at < $1 AND payload_purged_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND d.state IN (0, 1))
        """

    /// Empties the payloads of up to `limit` finished messages created before `cutoff`, keeping their size.
    public func purgePayloads(createdBefore cutoff: Date, limit: Int, now: Date) async throws -> Int {
        try await writing { session in
            try await session.execute(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE message SET payload_size = length(payload), payload = '\\x'::bytea, payload_purged_at = $2
                        WHERE id IN (SELECT id FROM message WHERE \(Self.finishedBefore) LIMIT $3 FOR UPDATE SKIP LOCKED)
                        RETURNING 1
                        """,
                    binds: try Self.binds(cutoff.millisecondsSince1970, now.millisecondsSince1970, limit)))
        }
    }

    /// Empties the response bodies of up to `limit` attempts made before `cutoff`.
    public func purgeAttemptResponses(before cutoff: Date, limit: Int) async throws -> Int {
        try await writing { session in
            try await session.execute(
                """
                UPDATE attempt SET response = '' WHERE id IN (
                    SELECT id FROM attempt WHERE created_at < \(cutoff.millisecondsSince1970) AND response <> ''
                    LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """)
        }
    }

    /// What purging at `cutoff` would remove.
    public func retentionCandidates(cutoff: Date) async throws -> RetentionSummary {
        try await reading { session in
            let payloads = try await session.first(
                PostgresQuery(
                    unsafeSQL: "SELECT COUNT(*) AS n, COALESCE(SUM(length(payload)), 0)::bigint AS bytes FROM message WHERE \(Self.finishedBefore)",
                    binds: try Self.binds(cutoff.millisecondsSince1970)))
            let responses = try await session.value(
                "SELECT COUNT(*) FROM attempt WHERE created_at < \(cutoff.millisecondsSince1970) AND response <> ''", as: Int.self)
            return RetentionSummary(
                payloads: try payloads?.get("n", as: Int.self) ?? 0, payloadBytes: try payloads?.get("bytes", as: Int.self) ?? 0,
                responses: responses ?? 0)
        }
    }
}
