import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Makes one delivery due now as a manual attempt, inserting the row when the message never went there.
    public func resendDelivery(_ request: ResendRequest) async throws {
        try await pool.write { db in
            let now = request.now.millisecondsSince1970
            let existing =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM delivery WHERE message_id = ? AND endpoint_id = ?",
                    arguments: [request.messageId, request.endpointId]) ?? 0
            if existing == 0 {
                try db.execute(
                    sql: """
                        INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at, manual,
                        priority) VALUES (?, ?, ?, 0, 0, ?, 0, ?, 1, COALESCE((SELECT priority FROM message WHERE id = ?), 5))
                        """,
                    arguments: [request.messageId, request.endpointId, request.appId, now, now, request.messageId])
            } else {
                try db.execute(
                    sql: """
                        UPDATE delivery SET state = 0, next_attempt_at = ?, manual = 1, updated_at = ?
                        WHERE message_id = ? AND endpoint_id = ? AND state <> 1
                        """,
                    arguments: [now, now, request.messageId, request.endpointId])
            }
        }
    }

    /// Re-queues one batch of an endpoint's failed and skipped deliveries, in message order.
    public func recoverDeliveries(_ batch: RecoverBatch) async throws -> RecoverBatchResult {
        try await pool.write { db in
            let now = batch.now.millisecondsSince1970
            let until = batch.until?.millisecondsSince1970
            let messageIds = try String.fetchAll(
                db,
                sql: """
                    UPDATE delivery SET state = 0, next_attempt_at = ?, manual = 1, updated_at = ?
                    WHERE id IN (
                        SELECT delivery.id FROM delivery JOIN message ON message.id = delivery.message_id
                        WHERE delivery.endpoint_id = ? AND delivery.state IN (3, 5) AND message.created_at >= ?
                        AND (? IS NULL OR message.created_at < ?) AND (? IS NULL OR delivery.message_id > ?)
                        ORDER BY delivery.message_id LIMIT ?
                    )
                    RETURNING message_id
                    """,
                arguments: [
                    now, now, batch.endpointId, batch.since.millisecondsSince1970, until, until, batch.cursor, batch.cursor,
                    batch.limit,
                ])
            return RecoverBatchResult(count: messageIds.count, cursor: messageIds.max())
        }
    }

    /// An endpoint's deliveries by state, for messages created in `[since, until)`.
    public func deliveryCounts(endpointId: String, since: Date?, until: Date?) async throws -> DeliveryCounts {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT delivery.state AS state, COUNT(*) AS count FROM delivery JOIN message ON message.id = delivery.message_id
                    WHERE delivery.endpoint_id = ? AND (? IS NULL OR message.created_at >= ?) AND (? IS NULL OR message.created_at < ?)
                    GROUP BY delivery.state
                    """,
                arguments: [
                    endpointId, since?.millisecondsSince1970, since?.millisecondsSince1970, until?.millisecondsSince1970,
                    until?.millisecondsSince1970,
                ])
            var counts = DeliveryCounts()
            for row in rows { counts.add(row["count"], in: DeliveryState(rawValue: row["state"])) }
            return counts
        }
    }
}
