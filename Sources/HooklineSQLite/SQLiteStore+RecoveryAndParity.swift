import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Makes one delivery due now as a manual attempt, inserting the row when the message never went there.
    package func resendDelivery(_ request: ResendRequest) async throws {
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
    ///
    /// A batch walks `delivery_failed (app_id, message_id)` in order from the later of the window's first message id
    /// (`Identifier.floor(since)`) and the cursor, and stops after `limit` rows of the endpoint: it never reads, nor
    /// sorts, the endpoint's failures before the window or before the cursor.
    package func recoverDeliveries(_ batch: RecoverBatch) async throws -> RecoverBatchResult {
        try await pool.write { db in
            let now = batch.now.millisecondsSince1970
            let until = batch.until?.millisecondsSince1970
            let from = max(Identifier.floor(.message, at: batch.since), batch.cursor ?? "")
            let messageIds = try String.fetchAll(
                db,
                sql: """
                    UPDATE delivery SET state = 0, next_attempt_at = ?, manual = 1, updated_at = ?
                    WHERE id IN (
                        SELECT delivery.id FROM delivery CROSS JOIN message ON message.id = delivery.message_id
                        WHERE delivery.app_id = (SELECT app_id FROM endpoint WHERE id = ?) AND delivery.state IN (3, 5)
                        AND delivery.message_id >= ? AND +delivery.endpoint_id = ? AND message.created_at >= ?
                        AND (? IS NULL OR message.created_at < ?) AND (? IS NULL OR delivery.message_id > ?)
                        ORDER BY delivery.message_id LIMIT ?
                    )
                    RETURNING message_id
                    """,
                arguments: [
                    now, now, batch.endpointId, from, batch.endpointId, batch.since.millisecondsSince1970, until, until, batch.cursor,
                    batch.cursor, batch.limit,
                ])
            return RecoverBatchResult(count: messageIds.count, cursor: messageIds.max())
        }
    }

    /// An endpoint's deliveries by state, for messages created in `[since, until)`.
    ///
    /// The cost follows what is counted, not the history around it. Without bounds the count reads only the index
    /// `delivery_endpoint (endpoint_id, state)`: a delivery row leaves with its message (`purgeMessages`), so no
    /// message needs reading. With `since`, the application's messages are walked from `Identifier.floor(since)` on
    /// (an id is never stamped before its message's `created_at`), and each one's rows are found by message (`CROSS
    /// JOIN` and `+endpoint_id` keep the planner off the endpoint's whole history in `delivery_endpoint`); only
    /// `until` alone walks the endpoint's rows with their messages, as before.
    package func deliveryCounts(endpointId: String, since: Date?, until: Date?) async throws -> DeliveryCounts {
        let sql: String
        let arguments: StatementArguments
        switch (since, until) {
        case (nil, nil):
            sql = "SELECT state, COUNT(*) AS count FROM delivery WHERE endpoint_id = ? GROUP BY state"
            arguments = [endpointId]
        case (let since?, let until):
            sql = """
                SELECT delivery.state AS state, COUNT(*) AS count FROM message
                CROSS JOIN delivery ON delivery.message_id = message.id AND +delivery.endpoint_id = ?
                WHERE message.app_id = (SELECT app_id FROM endpoint WHERE id = ?) AND message.id >= ?
                AND message.created_at >= ? AND (? IS NULL OR message.created_at < ?)
                GROUP BY delivery.state
                """
            let until = until?.millisecondsSince1970
            arguments = [endpointId, endpointId, Identifier.floor(.message, at: since), since.millisecondsSince1970, until, until]
        case (nil, let until?):
            sql = """
                SELECT delivery.state AS state, COUNT(*) AS count FROM delivery JOIN message ON message.id = delivery.message_id
                WHERE delivery.endpoint_id = ? AND message.created_at < ?
                GROUP BY delivery.state
                """
            arguments = [endpointId, until.millisecondsSince1970]
        }
        return try await pool.read { db in
            var counts = DeliveryCounts()
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                counts.add(row["count"], in: DeliveryState(rawValue: row["state"]))
            }
            return counts
        }
    }
}

extension SQLiteStore {
    /// Deletes the event type with this name for good; returns whether it existed.
    package func deleteEventType(named name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM event_type WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    /// A page of event types by name; archived ones only when `includeArchived`.
    package func eventTypes(_ page: PageRequest, includeArchived: Bool) async throws -> Page<EventType> {
        var list = SQLiteListQuery(from: "event_type", orderedBy: "name", descending: false)
        if !includeArchived { list.filter("archived = 0") }
        return try await pool.read { [list] db in
            try list.page(page, in: db, id: \.name, decode: EventType.init(row:))
        }
    }

    /// The attempt `id` made for message `messageId` of application `appId`.
    package func attempt(appId: String, messageId: String, id: String) async throws -> Attempt? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM attempt WHERE id = ? AND message_id = ? AND app_id = ?", arguments: [id, messageId, appId]
            ).map(Attempt.init(row:))
        }
    }

    /// Empties a message's payload (keeping its size), cancels its unfinished and skipped deliveries under a new
    /// claim token (an in-flight completion becomes stale), and appends the events, in one transaction.
    package func expungeMessageContent(appId: String, messageId: String, now: Date) async throws -> Bool {
        try await pool.write { db in
            guard
                let message = try Row.fetchOne(
                    db, sql: "SELECT \(Message.columns) FROM message WHERE app_id = ? AND id = ?", arguments: [appId, messageId]
                )
                .map(Message.init(row:))
            else { return false }
            let at = now.millisecondsSince1970
            try db.execute(
                sql: """
                    UPDATE message SET payload_size = COALESCE(payload_size, length(payload)), payload = X'',
                    payload_purged_at = COALESCE(payload_purged_at, ?) WHERE id = ?
                    """,
                arguments: [at, messageId])
            let canceled = try String.fetchAll(
                db,
                sql: """
                    UPDATE delivery SET state = 4, claim_token = claim_token + 1, updated_at = ?
                    WHERE message_id = ? AND state IN (0, 1, 5) RETURNING endpoint_id
                    """,
                arguments: [at, messageId])
            try Self.insertEvents(db, EventDraft.contentExpunged(message, canceledEndpointIds: canceled.sorted(), at: now))
            return true
        }
    }

    /// Empties an attempt's response body and appends `attempt.expunged`, in one transaction.
    package func expungeAttemptContent(appId: String, messageId: String, attemptId: String, now: Date) async throws -> Bool {
        try await pool.write { db in
            guard
                let attempt = try Row.fetchOne(
                    db, sql: "SELECT * FROM attempt WHERE id = ? AND message_id = ? AND app_id = ?", arguments: [attemptId, messageId, appId]
                ).map(Attempt.init(row:))
            else { return false }
            try db.execute(sql: "UPDATE attempt SET response = '' WHERE id = ?", arguments: [attemptId])
            try Self.insertEvents(db, [EventDraft.attemptExpunged(attempt, at: now)])
            return true
        }
    }

    /// A page of the messages routed to `endpointId` matching `query`, each with its delivery row to it.
    package func endpointMessages(_ query: MessageQuery, endpointId: String) async throws -> Page<EndpointMessage> {
        var list = SQLiteListQuery(from: "message", columns: Message.columns)
        list.filter("message.app_id = ?", [query.appId])
        list.filter(query.filter, messageColumn: "id", application: query.appId)
        return try await pool.read { [list] db in
            var list = list
            if let state = query.deliveryState {
                try list.onlyDelivered(in: state, appId: query.appId, endpointId: endpointId, db: db)
            } else {
                // Correlated, so the newest-first walk of `message_app` stops after a page (an `IN` list would read the endpoint's
                // whole history); `+` keeps each lookup on `delivery_message`, not on the endpoint's rows in `delivery_endpoint`.
                list.filter("EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND +d.endpoint_id = ?)", [endpointId])
            }
            let messages = try list.page(query.page, in: db, id: \.id, decode: Message.init(row:))
            var items: [EndpointMessage] = []
            for message in messages.items {
                guard
                    let delivery = try Row.fetchOne(
                        db, sql: "SELECT \(Delivery.columns) FROM delivery WHERE message_id = ? AND endpoint_id = ? ORDER BY id DESC LIMIT 1",
                        arguments: [message.id, endpointId]
                    ).map(Delivery.init(row:))
                else { continue }
                items.append(EndpointMessage(message: message, delivery: delivery))
            }
            return Page(items: items, iterator: messages.iterator, done: messages.done, prevIterator: messages.prevIterator)
        }
    }
}
