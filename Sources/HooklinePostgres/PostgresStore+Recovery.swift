import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Makes one delivery due now as a manual attempt, inserting the row when the message never went there;
    /// a delivery in flight is left alone.
    package func resendDelivery(_ request: ResendRequest) async throws {
        let now = request.now.millisecondsSince1970
        try await writing { session in
            let updated = try await session.execute(
                """
                UPDATE delivery SET state = 0, next_attempt_at = \(now), manual = true, updated_at = \(now)
                WHERE message_id = \(request.messageId) AND endpoint_id = \(request.endpointId) AND state <> 1
                RETURNING 1
                """)
            if updated == 0 {
                try await session.execute(
                    """
                    INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at, manual,
                    priority)
                    SELECT \(request.messageId), \(request.endpointId), \(request.appId), 0, 0, \(now), 0, \(now), true,
                    COALESCE((SELECT priority FROM message WHERE id = \(request.messageId)), 5)
                    WHERE NOT EXISTS (
                        SELECT 1 FROM delivery WHERE message_id = \(request.messageId) AND endpoint_id = \(request.endpointId))
                    """)
            }
            try await session.notify(.deliveriesDue)
        }
    }

    /// Re-queues (due now, manual) one batch of an endpoint's failed and skipped deliveries, in message order.
    ///
    /// A batch walks `delivery_failed (app_id, message_id)` in order from the later of the window's first message id
    /// (`Identifier.floor(since)`) and the cursor, and stops after `limit` rows of the endpoint: it never reads, nor
    /// sorts, the endpoint's failures before the window or before the cursor.
    package func recoverDeliveries(_ batch: RecoverBatch) async throws -> RecoverBatchResult {
        let now = batch.now.millisecondsSince1970
        let until = batch.until?.millisecondsSince1970
        let from = max(Identifier.floor(.message, at: batch.since), batch.cursor ?? "")
        return try await writing { session in
            let rows = try await session.rows(
                """
                UPDATE delivery SET state = 0, next_attempt_at = \(now), manual = true, updated_at = \(now)
                WHERE id IN (
                    SELECT delivery.id FROM delivery JOIN message ON message.id = delivery.message_id
                    WHERE delivery.app_id = (SELECT app_id FROM endpoint WHERE id = \(batch.endpointId)) AND delivery.state IN (3, 5)
                    AND delivery.message_id >= \(from) AND delivery.endpoint_id = \(batch.endpointId) AND message.id >= \(from)
                    AND message.created_at >= \(batch.since.millisecondsSince1970)
                    AND (\(until)::bigint IS NULL OR message.created_at < \(until)::bigint)
                    AND (\(batch.cursor)::text IS NULL OR delivery.message_id > \(batch.cursor)::text)
                    ORDER BY delivery.message_id LIMIT \(batch.limit)
                    FOR UPDATE OF delivery)
                RETURNING message_id
                """)
            let messageIds = try rows.map { try $0.get("message_id", as: String.self) }
            if !messageIds.isEmpty { try await session.notify(.deliveriesDue) }
            return RecoverBatchResult(count: messageIds.count, cursor: messageIds.max())
        }
    }

    /// An endpoint's deliveries by state, for messages created in `[since, until)`.
    ///
    /// The cost follows what is counted, not the history around it. Without bounds the count reads only the index
    /// `delivery_endpoint_message (endpoint_id, state, message_id)`; rows of a message whose partition retention just
    /// dropped count until `deleteOrphans` removes them moments later. With `since`, the same index is searched per
    /// state from `Identifier.floor(since)` on (an id is never stamped before its message's `created_at`) and only
    /// those rows' messages are read; only `until` alone reads the endpoint's rows with their messages, as before.
    package func deliveryCounts(endpointId: String, since: Date?, until: Date?) async throws -> DeliveryCounts {
        let query: PostgresQuery
        switch (since, until) {
        case (nil, nil):
            query = "SELECT state, COUNT(*) AS count FROM delivery WHERE endpoint_id = \(endpointId) GROUP BY state"
        case (let since?, let until):
            let floor = Identifier.floor(.message, at: since)
            let since = since.millisecondsSince1970
            let until = until?.millisecondsSince1970
            query = """
                SELECT delivery.state AS state, COUNT(*) AS count FROM delivery JOIN message ON message.id = delivery.message_id
                WHERE delivery.endpoint_id = \(endpointId) AND delivery.state IN (0, 1, 2, 3, 4, 5) AND delivery.message_id >= \(floor)
                AND message.id >= \(floor) AND message.created_at >= \(since)
                AND (\(until)::bigint IS NULL OR message.created_at < \(until)::bigint)
                GROUP BY delivery.state
                """
        case (nil, let until?):
            let until = until.millisecondsSince1970
            query = """
                SELECT delivery.state AS state, COUNT(*) AS count FROM delivery JOIN message ON message.id = delivery.message_id
                WHERE delivery.endpoint_id = \(endpointId) AND message.created_at < \(until)
                GROUP BY delivery.state
                """
        }
        return try await reading { session in
            var counts = DeliveryCounts()
            for row in try await session.rows(query) {
                counts.add(try row.get("count", as: Int.self), in: DeliveryState(rawValue: try row.get("state")))
            }
            return counts
        }
    }
}
