import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Commits messages and their delivery rows in one transaction, with their events and a `deliveries` notification.
    package func insertMessages(_ batch: [NewMessage]) async throws -> [InsertOutcome] {
        try await insertMessages(batch, lease: .none).outcomes
    }

    /// Commits messages and their delivery rows in one transaction, with their `message.created` events; the rows
    /// `lease` picks are written already leased (`sending`, claim token 1, due again when the lease ends) and
    /// returned, the others wake every node with a `deliveries` notification.
    ///
    /// A message whose event id the application already has, or that an earlier message of the batch has (the
    /// first wins), is not inserted and reports that message's id. An inserted message's idempotency record is
    /// kept in the same transaction. See `commitIngest` for the statements.
    package func insertMessages(_ batch: [NewMessage], lease: CommitLease) async throws -> InsertResult {
        guard !batch.isEmpty else { return InsertResult(outcomes: []) }
        return try await commitIngest(batch, lease: lease)
    }

    /// The message of `appId` with this id, or else with this event id.
    package func message(appId: String, id: String) async throws -> Message? {
        try await reading { session in
            try await session.first(
                """
                SELECT * FROM message WHERE app_id = \(appId)
                AND id = ANY(ARRAY[\(id), (SELECT message_id FROM message_event_id WHERE app_id = \(appId) AND event_id = \(id))])
                ORDER BY id = \(id) DESC LIMIT 1
                """
            ).map(Message.init(pg:))
        }
    }

    /// A page of an application's messages matching the query's filter, newest first.
    package func messages(_ query: MessageQuery) async throws -> Page<Message> {
        var list = PostgresListQuery(from: "message")
        try list.only("app_id", equals: query.appId)
        try list.filter(query.filter, messageColumn: "id")
        if let state = query.deliveryState {
            let states = state.matchingStoredStates.map(\.rawValue)
            switch DeliveryStateLookup.applicationRows(in: state) {
            case .currentEndpoints:
                // Through `delivery_endpoint_message` (endpoint, state, message): the matching rows only, not every row of the application.
                try list.filter(
                    "id IN (SELECT message_id FROM delivery WHERE endpoint_id IN (SELECT id FROM endpoint WHERE app_id = ?) AND state = ANY(?::int8[]))",
                    query.appId, states)
            case .failedIndex:
                // Through `delivery_failed`: the query names the index's predicate, so the planner can prove it.
                try list.filter(
                    "id IN (SELECT message_id FROM delivery WHERE app_id = ? AND \(DeliveryStateLookup.ApplicationRows.failedPredicate))", query.appId
                )
            case nil:
                try list.filter("id IN (SELECT message_id FROM delivery WHERE app_id = ? AND state = ANY(?::int8[]))", query.appId, states)
            }
            list.windowed = false
        }
        return try await reading { [list] session in
            try await list.page(query.page, in: session, id: \.id, decode: Message.init(pg:))
        }
    }
}

extension PostgresStore {
    /// Commits `batch`: one statement inserts every message and delivery row (the rows `lease` picks leased) and appends
    /// the `message.created` events of those it inserted under the event-order lock. Without idempotency records that
    /// statement commits by itself (one round trip); with them it runs in a transaction that claims the keys first
    /// (`commitIdempotentIngest`). A second statement runs only when a duplicate event id committed concurrently.
    func commitIngest(_ batch: [NewMessage], lease: CommitLease) async throws -> InsertResult {
        if batch.contains(where: { $0.idempotency != nil }) { return try await commitIdempotentIngest(batch, lease: lease) }
        let rows = PostgresIngestRows(batch, lease: lease, events: true)
        var write = try await committing { session in try await session.insertIngestRows(rows) }
        if write.notInserted.values.contains(where: { $0 == nil }) {
            write = try await reading { [write] session in
                var resolved = write
                try await session.resolveLateDuplicates(&resolved, rows: rows)
                return resolved
            }
        }
        return ingestResult(of: batch, rows: rows, write: write, lease: lease)
    }

    /// What the ingest statement's `write` of `rows` (made from `batch` and `lease`) means for each message.
    func ingestResult(of batch: [NewMessage], rows: PostgresIngestRows, write: PostgresIngestWrite, lease: CommitLease) -> InsertResult {
        // Routed from a snapshot that is no longer current: the caller routes again from a fresh one.
        routes.forget(
            Dictionary(
                write.staleRouting.map { (rows.appIds[Int($0) - 1], rows.routingVersions[Int($0) - 1]) }, uniquingKeysWith: { max($0, $1) }))
        let outcomes = Self.outcomes(of: batch, rows: rows, write: write)
        return InsertResult(outcomes: outcomes, leased: Self.leasedRows(write.leased, of: batch, rows: rows, lease: lease))
    }

    /// Each message's outcome, in batch order, from what the ingest statement reported.
    private static func outcomes(of batch: [NewMessage], rows: PostgresIngestRows, write: PostgresIngestWrite) -> [InsertOutcome] {
        var outcomes: [InsertOutcome] = []
        outcomes.reserveCapacity(batch.count)
        var ordinals: [Int: Int64] = [:]
        for (offset, index) in rows.items.enumerated() { ordinals[index] = Int64(offset + 1) }
        for (index, item) in batch.enumerated() {
            if let first = rows.repeats[index] {
                // The batch's first message with this event id decided already: the same owner, or that message.
                switch outcomes[first] {
                case .inserted: outcomes.append(.duplicateEventId(existingId: batch[first].message.id))
                case .duplicateEventId(let existing): outcomes.append(.duplicateEventId(existingId: existing))
                case .staleRouting: outcomes.append(.staleRouting)
                case .keptResponse: outcomes.append(.staleRouting)  // never reported here; nothing written, routed again
                }
            } else if let ordinal = ordinals[index], write.staleRouting.contains(ordinal) {
                outcomes.append(.staleRouting)
            } else if let ordinal = ordinals[index], let existing = write.notInserted[ordinal] {
                outcomes.append(.duplicateEventId(existingId: existing ?? item.message.id))
            } else {
                outcomes.append(.inserted)
            }
        }
        return outcomes
    }

    /// Maps leased rows back to (message index, endpoint index), in batch order; an endpoint picked twice for one
    /// message (never expected) maps its rows to its picked positions in turn.
    private static func leasedRows(
        _ leased: [(messageId: String, endpointId: String, deliveryId: Int64)], of batch: [NewMessage], rows: PostgresIngestRows,
        lease: CommitLease
    ) -> [InsertResult.LeasedRow] {
        guard !leased.isEmpty else { return [] }
        var items: [String: Int] = [:]
        for index in rows.items { items[batch[index].message.id] = index }
        var taken: [String: [Int]] = [:]
        var result: [InsertResult.LeasedRow] = []
        result.reserveCapacity(leased.count)
        for row in leased {
            guard let item = items[row.messageId] else { continue }
            let key = row.messageId + "\u{0}" + row.endpointId
            let used = taken[key, default: []]
            let endpointIds = batch[item].endpointIds
            let picked = lease.picks(for: item).sorted().filter { endpointIds.indices.contains($0) && endpointIds[$0] == row.endpointId }
            guard let endpointIndex = picked.first(where: { !used.contains($0) }) else { continue }
            taken[key, default: []].append(endpointIndex)
            result.append(.init(item: item, endpointIndex: endpointIndex, deliveryId: row.deliveryId))
        }
        return result.sorted { ($0.item, $0.endpointIndex) < ($1.item, $1.endpointIndex) }
    }
}

/// What the ingest statement reported: the sent messages it did not insert and the rows it leased.
struct PostgresIngestWrite {
    /// Ordinal (1-based) of each sent message that was not inserted → the id of the message that already has
    /// its event id, or `nil` when that message committed during the statement (found by a second look).
    var notInserted: [Int64: String?] = [:]
    /// Ordinals of sent messages not inserted because their routing version was no longer current.
    var staleRouting: Set<Int64> = []
    /// The leased delivery rows: message id, endpoint id, delivery id, in delivery id order.
    var leased: [(messageId: String, endpointId: String, deliveryId: Int64)] = []
}

extension PostgresSession {
    /// Inserts the messages of `rows` (skipping any whose event id the application already has) and the delivery
    /// rows of those inserted, in one statement; queues a `deliveriesDue` notification when other nodes have work.
    ///
    /// Event ids are claimed in `message_event_id` with `ON CONFLICT DO NOTHING` (a partitioned `message` cannot hold a
    /// unique index without its partition key), and only messages that claimed theirs are inserted: a message another
    /// transaction commits with the same event id meanwhile is skipped, not an error; deliveries are inserted only for the messages the insert
    /// returned. Messages that were not inserted come back with the id the statement's snapshot saw for their
    /// event id, or none when the other transaction committed after the snapshot (`resolveLateDuplicates`).
    func insertIngestRows(_ rows: PostgresIngestRows) async throws -> PostgresIngestWrite {
        let started = ContinuousClock.now
        let result = try await self.rows(prepared: IngestStatement.self, Self.ingestQuery(rows))
        var write = PostgresIngestWrite()
        for row in result {
            let (kind, n, messageId, deliveryId, endpointId) = try row.decode((Int32, Int64?, String?, Int64?, String?).self)
            switch (kind, n, messageId, deliveryId, endpointId) {
            case (0, let n?, _, _, _):
                write.notInserted.updateValue(messageId, forKey: n)
            case (1, _, let messageId?, let deliveryId?, let endpointId?):
                write.leased.append((messageId, endpointId, deliveryId))
            case (3, let n?, _, _, _):
                write.staleRouting.insert(n)
            default:
                break
            }
        }
        write.leased.sort { $0.deliveryId < $1.deliveryId }
        if rows.appendsEvents { Self.eventAppend.record(ContinuousClock.now - started) }
        return write
    }

    /// The ingest statement, prepared on each connection: its text is the same for every batch. Its application is
    /// matched by a range for the reason `PostgresSession.CompletionStatement` gives: a generic plan made while
    /// `application` was small must still look it up by its primary key.
    enum IngestStatement: PostgresPreparedKind {
        /// The statement's name on each connection.
        static let name = "hookline_ingest"
        /// The text of every ingest statement.
        static let sql = PostgresSession.ingestQuery(PostgresIngestRows([], lease: .none)).sql
    }

    /// The ingest statement for `rows` (see `insertIngestRows`).
    static func ingestQuery(_ rows: PostgresIngestRows) -> PostgresQuery {
        """
        WITH m AS (
            SELECT u.n, u.id, u.app_id, u.event_type,
                CASE WHEN u.present & \(PostgresIngestRows.Present.eventId) <> 0 THEN u.event_id END AS event_id,
                u.payload, u.created_at, u.updated_at,
                CASE WHEN u.present & \(PostgresIngestRows.Present.contentType) <> 0 THEN u.content_type END AS content_type,
                CASE WHEN u.present & \(PostgresIngestRows.Present.correlationId) <> 0 THEN u.correlation_id END AS correlation_id,
                u.priority,
                CASE WHEN u.present & \(PostgresIngestRows.Present.channels) <> 0 THEN COALESCE(ch.vs, '{}') END AS channels,
                CASE WHEN u.present & \(PostgresIngestRows.Present.tags) <> 0 THEN COALESCE(tg.vs, '{}') END AS tags,
                u.routing_version < 0 OR EXISTS (
                    SELECT 1 FROM application a WHERE a.id BETWEEN u.app_id AND u.app_id
                        AND a.routing_version BETWEEN u.routing_version AND u.routing_version) AS routed
            FROM unnest(\(rows.ids)::text[], \(rows.appIds)::text[], \(rows.eventTypes)::text[], \(rows.eventIds)::text[],
                \(rows.payloads)::bytea[], \(rows.createdAt)::int8[], \(rows.updatedAt)::int8[], \(rows.contentTypes)::text[],
                \(rows.correlationIds)::text[], \(rows.priorities)::int8[], \(rows.present)::int8[], \(rows.routingVersions)::int8[])
                WITH ORDINALITY AS u(id, app_id, event_type, event_id, payload, created_at, updated_at, content_type, correlation_id,
                priority, present, routing_version, n)
            LEFT JOIN (
                SELECT o, array_agg(v ORDER BY k) AS vs FROM unnest(\(rows.channels)::text[], \(rows.channelOwners)::int8[])
                WITH ORDINALITY AS c(v, o, k) GROUP BY o
            ) ch ON ch.o = u.n
            LEFT JOIN (
                SELECT o, array_agg(v ORDER BY k) AS vs FROM unnest(\(rows.tags)::text[], \(rows.tagOwners)::int8[])
                WITH ORDINALITY AS t(v, o, k) GROUP BY o
            ) tg ON tg.o = u.n
        ),
        k AS (
            INSERT INTO message_event_id (app_id, event_id, message_id)
            SELECT app_id, event_id, id FROM m WHERE routed AND event_id IS NOT NULL ORDER BY n
            ON CONFLICT DO NOTHING
            RETURNING message_id
        ),
        ins AS (
            INSERT INTO message (id, app_id, event_type, event_id, payload, channels, tags, created_at, content_type,
                correlation_id, priority)
            SELECT id, app_id, event_type, event_id, payload, channels, tags, created_at, content_type, correlation_id, priority
            FROM m WHERE routed AND (event_id IS NULL OR id IN (SELECT message_id FROM k)) ORDER BY n
            RETURNING id
        ),
        d AS (
            INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at,
                priority)
            SELECT m.id, r.endpoint_id, m.app_id, r.state, 0, r.due, r.token, m.updated_at, m.priority
            FROM unnest(\(rows.deliveryOwners)::int8[], \(rows.deliveryEndpoints)::text[], \(rows.deliveryStates)::int8[],
                \(rows.deliveryDue)::int8[], \(rows.deliveryTokens)::int8[]) WITH ORDINALITY AS r(o, endpoint_id, state, due, token, k)
            JOIN m ON m.n = r.o
            JOIN ins ON ins.id = m.id
            ORDER BY r.k
            RETURNING id, message_id, endpoint_id, claim_token
        ),
        lock AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(\(PostgresSession.eventLockKey)) AS taken WHERE \(rows.appendsEvents)),
        appended AS (
            INSERT INTO event (kind, app_id, message_id, endpoint_id, event_type, channels, latency_ms, details, created_at)
            SELECT x.kind, x.app_id, x.message_id, x.endpoint_id, x.event_type, x.channels, x.latency_ms, x.details, x.created_at
            FROM lock, \(events: rows.events)
            WHERE x.message_id IN (SELECT id FROM ins)
            ORDER BY x.n
            RETURNING 1
        )
        SELECT 0 AS kind, m.n, x.message_id, NULL::bigint AS delivery_id, NULL::text AS endpoint_id
        FROM m LEFT JOIN message_event_id x ON x.app_id = m.app_id AND x.event_id = m.event_id
        WHERE m.routed AND NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = m.id)
        UNION ALL
        SELECT 3, m.n, NULL, NULL, NULL FROM m WHERE NOT m.routed
        UNION ALL
        SELECT 1, NULL, d.message_id, d.id, d.endpoint_id FROM d WHERE d.claim_token = 1
        UNION ALL
        SELECT 2, NULL, NULL, NULL, pg_notify(\(PostgresChangeFeed.channel), \(StoreChange.deliveriesDue.rawValue))::text
        WHERE \(rows.wakesOthers)
        UNION ALL
        SELECT 2, NULL, NULL, NULL, pg_notify(\(PostgresChangeFeed.channel), \(StoreChange.eventsAppended.rawValue))::text
        FROM (SELECT count(*) AS appended FROM appended) AS done WHERE done.appended > 0
        """
    }

    /// Fills in the owners of event ids that another transaction committed while the ingest statement ran: its
    /// snapshot could not see them, a new statement can.
    func resolveLateDuplicates(_ write: inout PostgresIngestWrite, rows: PostgresIngestRows) async throws {
        let late = write.notInserted.filter { $0.value == nil }.keys.sorted()
        guard !late.isEmpty else { return }
        let (appIds, eventIds) = rows.eventKeys(late)
        let found = try await self.rows(
            """
            SELECT u.n, x.message_id AS id FROM unnest(\(appIds)::text[], \(eventIds)::text[]) WITH ORDINALITY AS u(app_id, event_id, n)
            JOIN message_event_id x ON x.app_id = u.app_id AND x.event_id = u.event_id
            """)
        for row in found {
            let index = Int(try row.get("n", as: Int64.self)) - 1
            write.notInserted[late[index]] = try row.get("id", as: String.self)
        }
    }
}

extension PostgresSession {
    /// Inserts one message and its delivery rows (stamped `updatedAt`) with the ingest statement, unless the
    /// application already has a message with its event id; returns that message's id then, `nil` when inserted.
    /// Queues `deliveriesDue` when it inserted active rows; the caller appends the event.
    func insertMessage(_ item: NewMessage, updatedAt: Int64) async throws -> String? {
        let rows = PostgresIngestRows([item], lease: .none, updatedAt: updatedAt)
        var write = try await insertIngestRows(rows)
        try await resolveLateDuplicates(&write, rows: rows)
        guard let existing = write.notInserted[1] else { return nil }
        return existing ?? item.message.id
    }
}
