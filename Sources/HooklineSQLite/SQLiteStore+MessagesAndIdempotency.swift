import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Commits messages and their delivery rows in one transaction (fsync'd on commit).
    package func insertMessages(_ batch: [NewMessage]) async throws -> [InsertOutcome] {
        try await insertMessages(batch, lease: .none).outcomes
    }

    /// Commits messages and their delivery rows in one transaction (fsync'd on commit); the rows `lease`
    /// picks are written already leased (`sending`, claim token 1, due again when the lease ends). An inserted
    /// message's idempotency record is kept in the same transaction; a message whose key already keeps a response
    /// is not inserted (`keptResponse`).
    package func insertMessages(_ batch: [NewMessage], lease: CommitLease) async throws -> InsertResult {
        try await pool.write { db in
            let findEventId = try db.cachedStatement(sql: "SELECT id FROM message WHERE app_id = ? AND event_id = ?")
            var outcomes: [InsertOutcome] = []
            outcomes.reserveCapacity(batch.count)
            var leased: [InsertResult.LeasedRow] = []
            var events: [EventDraft] = []
            for (itemIndex, item) in batch.enumerated() {
                let message = item.message
                if let record = item.idempotency, let kept = try Self.keptResponse(db, key: record.key, at: record.createdAt) {
                    outcomes.append(.keptResponse(kept))
                    continue
                }
                if let eventId = message.eventId,
                    let existing = try String.fetchOne(findEventId, arguments: [message.appId, eventId])
                {
                    outcomes.append(.duplicateEventId(existingId: existing))
                    continue
                }
                let rows = try Self.insertMessageRows(
                    db, item, leased: lease.picks(for: itemIndex), leaseUntil: lease.until, updatedAt: message.createdAt.millisecondsSince1970)
                leased += rows.map { .init(item: itemIndex, endpointIndex: $0.endpointIndex, deliveryId: $0.deliveryId) }
                if let record = item.idempotency { try Self.keepIdempotencyRecord(db, record) }
                outcomes.append(.inserted)
                events.append(.messageCreated(message, endpointCount: item.endpointIds.count, skipped: item.skippedEndpointIds.count))
            }
            try Self.insertEvents(db, events)
            return InsertResult(outcomes: outcomes, leased: leased)
        }
    }

    /// Writes one message, its delivery rows (those at `leased` endpoint indices already leased until `leaseUntil`)
    /// and its skipped rows inside the caller's transaction; returns the leased rows' ids. Ingest and inbound
    /// routing both write messages through it.
    static func insertMessageRows(
        _ db: Database, _ item: NewMessage, leased: [Int] = [], leaseUntil: Date? = nil, updatedAt: Int64
    ) throws -> [(endpointIndex: Int, deliveryId: Int64)] {
        let message = item.message
        let priority = PriorityLane(clamping: message.priority).level
        let insertMessage = try SQLiteBoundStatement(
            db,
            sql: """
                INSERT INTO message (id, app_id, event_type, event_id, payload, channels, tags, created_at, priority, content_type,
                correlation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insertMessage.bind(1, message.id)
        insertMessage.bind(2, message.appId)
        insertMessage.bind(3, message.eventType)
        insertMessage.bind(4, message.eventId)
        insertMessage.bind(5, message.payload)
        insertMessage.bind(6, JSONColumn.encode(message.channels))
        insertMessage.bind(7, JSONColumn.encode(message.tags))
        insertMessage.bind(8, message.createdAt.millisecondsSince1970)
        insertMessage.bind(9, Int64(priority))
        insertMessage.bind(10, message.contentType)
        insertMessage.bind(11, message.correlationId)
        try insertMessage.run()
        var leasedRows: [(endpointIndex: Int, deliveryId: Int64)] = []
        for (endpointIndex, endpointId) in item.endpointIds.enumerated() {
            let until = leased.contains(endpointIndex) ? leaseUntil : nil
            let insertDelivery = try SQLiteBoundStatement(
                db,
                sql: """
                    INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at, priority)
                    VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)
                    """)
            insertDelivery.bind(1, message.id)
            insertDelivery.bind(2, endpointId)
            insertDelivery.bind(3, message.appId)
            insertDelivery.bind(4, Int64(until == nil ? DeliveryState.pending.rawValue : DeliveryState.sending.rawValue))
            insertDelivery.bind(5, (until ?? item.deliverAt).millisecondsSince1970)
            insertDelivery.bind(6, Int64(until == nil ? 0 : 1))
            insertDelivery.bind(7, updatedAt)
            insertDelivery.bind(8, Int64(priority))
            try insertDelivery.run()
            if until != nil { leasedRows.append((endpointIndex, insertDelivery.lastInsertedRowID)) }
        }
        try insertSkippedDeliveries(db, item, updatedAt: updatedAt)
        return leasedRows
    }

    /// The message of `appId` with this id, or else with this event id.
    package func message(appId: String, id: String) async throws -> Message? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Message.columns) FROM message WHERE app_id = ? AND (id = ? OR event_id = ?) ORDER BY id = ? DESC LIMIT 1",
                arguments: [appId, id, id, id]
            ).map(Message.init(row:))
        }
    }

    /// A page of an application's messages matching the query's filter, newest first.
    package func messages(_ query: MessageQuery) async throws -> Page<Message> {
        var list = SQLiteListQuery(from: "message", columns: Message.columns)
        list.filter("message.app_id = ?", [query.appId])
        list.filter(query.filter, messageColumn: "id", application: query.appId)
        return try await pool.read { [list] db in
            var list = list
            if let state = query.deliveryState { try list.onlyDelivered(in: state, appId: query.appId, endpointId: nil, db: db) }
            return try list.page(query.page, in: db, id: \.id, decode: Message.init(row:))
        }
    }
}

extension SQLiteStore {
    /// Inserts a `skipped` delivery row for each disabled endpoint the message would have gone to.
    ///
    /// The rows are not active (never claimed); `recover` and `resend` make them pending again.
    static func insertSkippedDeliveries(_ db: Database, _ item: NewMessage, updatedAt: Int64) throws {
        guard !item.skippedEndpointIds.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at)
                VALUES (?, ?, ?, ?, 0, ?, 0, ?)
                """)
        for endpointId in item.skippedEndpointIds {
            try insert.execute(arguments: [
                item.message.id, endpointId, item.message.appId, DeliveryState.skipped.rawValue, item.deliverAt.millisecondsSince1970,
                updatedAt,
            ])
        }
    }
}

extension SQLiteStore {
    /// The response `key` keeps unexpired at `time`, read in the caller's transaction.
    static func keptResponse(_ db: Database, key: String, at time: Date) throws -> IdempotentResponse? {
        let statement = try db.cachedStatement(sql: "SELECT status, content_type, body FROM idempotency_key WHERE key = ? AND expires_at > ?")
        return try Row.fetchOne(statement, arguments: [key, time.millisecondsSince1970]).map { row in
            IdempotentResponse(status: row["status"], contentType: row["content_type"], body: row["body"])
        }
    }

    /// Keeps a replayable response; an expired record with the same key is replaced.
    package func insertIdempotencyRecord(_ record: IdempotencyRecord) async throws {
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
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO idempotency_key (key, status, content_type, body, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET status = excluded.status, content_type = excluded.content_type, body = excluded.body,
                created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE idempotency_key.expires_at <= excluded.created_at
                """)
        try statement.execute(
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
    package func idempotencyRecord(key: String, now: Date) async throws -> IdempotencyRecord? {
        try await pool.read { db in
            // Cached: every POST the Svix SDKs send carries a key, so this read runs for nearly every message created.
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM idempotency_key WHERE key = ? AND expires_at > ?"),
                arguments: [key, now.millisecondsSince1970]
            ).map { row in
                IdempotencyRecord(
                    key: row["key"], response: IdempotentResponse(status: row["status"], contentType: row["content_type"], body: row["body"]),
                    createdAt: Date(millisecondsSince1970: row["created_at"]), expiresAt: Date(millisecondsSince1970: row["expires_at"]))
            }
        }
    }

    /// Deletes expired records.
    package func deleteIdempotencyRecords(expiredBy now: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM idempotency_key WHERE expires_at <= ?", arguments: [now.millisecondsSince1970])
            return db.changesCount
        }
    }
}
