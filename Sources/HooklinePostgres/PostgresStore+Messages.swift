import Foundation
import HooklineCore
import PostgresNIO

extension PostgresSession {
    /// Inserts a message and its delivery rows (stamped `updatedAt`) unless the application already has a message
    /// with its event id; returns that message's id in that case, `nil` when inserted.
    func insertMessage(_ item: NewMessage, updatedAt: Int64) async throws -> String? {
        let message = item.message
        let priority = PriorityLane(clamping: message.priority).level
        let inserted = try await execute(
            """
            INSERT INTO message (id, app_id, event_type, event_id, payload, channels, tags, created_at, content_type, correlation_id,
            priority)
            VALUES (\(message.id), \(message.appId), \(message.eventType.withoutNUL), \(message.eventId?.withoutNUL), \(message.payload),
            \(message.channels), \(message.tags), \(message.createdAt.millisecondsSince1970), \(message.contentType?.withoutNUL),
            \(message.correlationId?.withoutNUL), \(priority))
            ON CONFLICT (app_id, event_id) WHERE event_id IS NOT NULL DO NOTHING
            RETURNING 1
            """)
        guard inserted > 0 else {
            return try await value("SELECT id FROM message WHERE app_id = \(message.appId) AND event_id = \(message.eventId)", as: String.self)
                ?? message.id
        }
        // Active rows for the endpoints it goes to, then skipped rows (never claimed) for disabled ones.
        let endpointIds = item.endpointIds + item.skippedEndpointIds
        guard !endpointIds.isEmpty else { return nil }
        let states = item.endpointIds.map { _ in DeliveryState.pending.rawValue } + item.skippedEndpointIds.map { _ in DeliveryState.skipped.rawValue }
        try await execute(
            """
            INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at, priority)
            SELECT \(message.id), e.endpoint_id, \(message.appId), e.state, 0, \(item.deliverAt.millisecondsSince1970), 0, \(updatedAt),
            \(priority)
            FROM unnest(\(endpointIds)::text[], \(states)::int8[]) WITH ORDINALITY AS e(endpoint_id, state, n) ORDER BY e.n
            """)
        return nil
    }
}

extension PostgresStore {
    /// Commits messages and their delivery rows in one transaction, with their events and a `deliveries` notification.
    public func insertMessages(_ batch: [NewMessage]) async throws -> [InsertOutcome] {
        guard !batch.isEmpty else { return [] }
        return try await writing { session in
            var outcomes: [InsertOutcome] = []
            outcomes.reserveCapacity(batch.count)
            var events: [EventDraft] = []
            var due = false
            for item in batch {
                if let existing = try await session.insertMessage(item, updatedAt: item.message.createdAt.millisecondsSince1970) {
                    outcomes.append(.duplicateEventId(existingId: existing))
                    continue
                }
                outcomes.append(.inserted)
                due = due || !item.endpointIds.isEmpty
                events.append(.messageCreated(item.message, endpointCount: item.endpointIds.count, skipped: item.skippedEndpointIds.count))
            }
            if due { try await session.notify(.deliveriesDue) }
            try await session.appendEvents(events)
            return outcomes
        }
    }

    /// The message of `appId` with this id, or else with this event id.
    public func message(appId: String, id: String) async throws -> Message? {
        try await reading { session in
            try await session.first(
                """
                SELECT * FROM message WHERE app_id = \(appId) AND (id = \(id) OR event_id = \(id))
                ORDER BY id = \(id) DESC LIMIT 1
                """
            ).map(Message.init(pg:))
        }
    }

    /// A page of an application's messages matching the query's filter, newest first.
    public func messages(_ query: MessageQuery) async throws -> Page<Message> {
        var list = PostgresListQuery(from: "message")
        try list.filter("app_id = ?", query.appId)
        try list.filter(query.filter, messageColumn: "id")
        if let state = query.deliveryState {
            let states = state.matchingStoredStates.map(\.rawValue)
            try list.filter("id IN (SELECT message_id FROM delivery WHERE app_id = ? AND state = ANY(?::int8[]))", query.appId, states)
        }
        return try await reading { [list] session in
            try await list.page(query.page, in: session, id: \.id, decode: Message.init(pg:))
        }
    }
}
