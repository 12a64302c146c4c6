import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Deletes up to `limit` finished messages created before `cutoff` with their deliveries and attempts, oldest first,
    /// in one statement.
    ///
    /// Candidates are found on the primary key (message ids sort by creation time, `Identifier.floor`; the column is
    /// `COLLATE "C"`), and `created_at` is checked too. A message with a pending, sending or retrying delivery is kept;
    /// rows another node is purging are skipped. The space goes back to the table's free space map through autovacuum
    /// (day partitions, dropped whole, are the way to give it back to the file system).
    ///
    /// Whole days past `cutoff` go first, by dropping their partitions (`dropExpiredPartitions`); their count is added.
    package func purgeMessages(before cutoff: Date, limit: Int) async throws -> Int {
        let dropped = try await dropExpiredPartitions(before: cutoff)
        let deleted = try await writing { session in
            try await session.execute(
                PostgresQuery(
                    unsafeSQL: """
                        WITH doomed AS (
                            SELECT id FROM message WHERE id < $1 AND created_at < $2
                            AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND d.state IN (0, 1))
                            ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED),
                        deliveries AS (DELETE FROM delivery WHERE message_id IN (SELECT id FROM doomed)),
                        attempts AS (DELETE FROM attempt WHERE message_id IN (SELECT id FROM doomed)),
                        eventIds AS (DELETE FROM message_event_id WHERE message_id IN (SELECT id FROM doomed))
                        DELETE FROM message WHERE id IN (SELECT id FROM doomed)
                        RETURNING 1
                        """,
                    binds: try Self.binds(Identifier.floor(.message, at: cutoff), cutoff.millisecondsSince1970, limit)))
        }
        return dropped + deleted
    }

    /// What deleting the history before `cutoff` would remove (counted on the primary keys' expired ranges).
    package func historyCandidates(before cutoff: Date) async throws -> RetentionSummary {
        try await reading { session in
            var summary = RetentionSummary(payloads: 0, payloadBytes: 0, responses: 0)
            let messageFloor = Identifier.floor(.message, at: cutoff)
            let inboundFloor = Identifier.floor(.inboundRequest, at: cutoff)
            let ms = cutoff.millisecondsSince1970
            summary.messages =
                try await session.value(
                    """
                    SELECT COUNT(*) FROM message WHERE id < \(messageFloor) AND created_at < \(ms)
                    AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND d.state IN (0, 1))
                    """, as: Int.self) ?? 0
            summary.inboundRequests =
                try await session.value(
                    "SELECT COUNT(*) FROM inbound_request WHERE id < \(inboundFloor) AND received_at < \(ms) AND status <> 0", as: Int.self)
                ?? 0
            return summary
        }
    }

    /// Deletes up to `limit` finished inbound requests received before `cutoff`, oldest first (a range of the primary
    /// key), with the dedup keys that still point at them and expired by `cutoff`, in one statement.
    package func purgeInboundRequests(before cutoff: Date, limit: Int) async throws -> Int {
        try await writing { session in
            try await session.execute(
                PostgresQuery(
                    unsafeSQL: """
                        WITH doomed AS (
                            SELECT id, source_id, dedup_key FROM inbound_request WHERE id < $1 AND received_at < $2 AND status <> 0
                            ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED),
                        keys AS (
                            DELETE FROM inbound_dedup k USING doomed
                            WHERE k.source_id = doomed.source_id AND k.dedup_key = doomed.dedup_key AND k.request_id = doomed.id
                            AND k.expires_at <= $2)
                        DELETE FROM inbound_request WHERE id IN (SELECT id FROM doomed)
                        RETURNING 1
                        """,
                    binds: try Self.binds(Identifier.floor(.inboundRequest, at: cutoff), cutoff.millisecondsSince1970, limit)))
        }
    }
}
