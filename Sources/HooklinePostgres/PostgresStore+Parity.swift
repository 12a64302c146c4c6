import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Deletes the event type with this name for good; returns whether it existed.
    package func deleteEventType(named name: String) async throws -> Bool {
        try await writing { session in
            try await session.execute("DELETE FROM event_type WHERE name = \(name) RETURNING 1") > 0
        }
    }

    /// A page of event types by name; archived ones only when `includeArchived`.
    package func eventTypes(_ page: PageRequest, includeArchived: Bool) async throws -> Page<EventType> {
        var list = PostgresListQuery(from: "event_type", orderedBy: "name", descending: false)
        if !includeArchived { try list.filter("NOT archived") }
        return try await reading { [list] session in
            try await list.page(page, in: session, id: \.name, decode: EventType.init(pg:))
        }
    }

    /// The attempt `id` made for message `messageId` of application `appId`.
    package func attempt(appId: String, messageId: String, id: String) async throws -> Attempt? {
        try await reading { session in
            try await session.first("SELECT * FROM attempt WHERE id = \(id) AND message_id = \(messageId) AND app_id = \(appId)")
                .map(Attempt.init(pg:))
        }
    }

    /// Empties a message's payload (keeping its size), cancels its unfinished and skipped deliveries under a new
    /// claim token (an in-flight completion becomes stale), and appends the events, in one transaction.
    package func expungeMessageContent(appId: String, messageId: String, now: Date) async throws -> Bool {
        try await writing { session in
            guard
                let message = try await session.first(
                    "SELECT * FROM message WHERE app_id = \(appId) AND id = \(messageId) FOR UPDATE"
                ).map(Message.init(pg:))
            else { return false }
            let at = now.millisecondsSince1970
            try await session.execute(
                """
                UPDATE message SET payload_size = COALESCE(payload_size, length(payload)), payload = '\\x'::bytea,
                payload_purged_at = COALESCE(payload_purged_at, \(at)) WHERE id = \(messageId)
                """)
            let canceled = try await session.rows(
                """
                UPDATE delivery SET state = 4, claim_token = claim_token + 1, updated_at = \(at)
                WHERE message_id = \(messageId) AND state IN (0, 1, 5) RETURNING endpoint_id
                """
            ).map { try $0["endpoint_id"].decode(String.self) }
            try await session.appendEvents(EventDraft.contentExpunged(message, canceledEndpointIds: canceled.sorted(), at: now))
            return true
        }
    }

    /// Empties an attempt's response body and appends `attempt.expunged`, in one transaction.
    package func expungeAttemptContent(appId: String, messageId: String, attemptId: String, now: Date) async throws -> Bool {
        try await writing { session in
            guard
                let attempt = try await session.first(
                    "SELECT * FROM attempt WHERE id = \(attemptId) AND message_id = \(messageId) AND app_id = \(appId) FOR UPDATE"
                ).map(Attempt.init(pg:))
            else { return false }
            try await session.execute("UPDATE attempt SET response = '' WHERE id = \(attemptId)")
            try await session.appendEvents([EventDraft.attemptExpunged(attempt, at: now)])
            return true
        }
    }

    /// A page of the messages routed to `endpointId` matching `query`, each with its delivery row to it.
    package func endpointMessages(_ query: MessageQuery, endpointId: String) async throws -> Page<EndpointMessage> {
        var list = PostgresListQuery(from: "message")
        try list.only("app_id", equals: query.appId)
        try list.filter(query.filter, messageColumn: "id")
        if let state = query.deliveryState {
            let states = state.matchingStoredStates.map(\.rawValue)
            try list.filter("id IN (SELECT message_id FROM delivery WHERE endpoint_id = ? AND state = ANY(?::int8[]))", endpointId, states)
            list.windowed = false
        } else {
            try list.filter("id IN (SELECT message_id FROM delivery WHERE endpoint_id = ?)", endpointId)
        }
        return try await reading { [list] session in
            let messages = try await list.page(query.page, in: session, id: \.id, decode: Message.init(pg:))
            let ids = messages.items.map(\.id)
            var deliveries: [String: Delivery] = [:]
            for row in try await session.rows(
                "SELECT * FROM delivery WHERE endpoint_id = \(endpointId) AND message_id = ANY(\(ids)) ORDER BY id")
            {
                let delivery = try Delivery(pg: row)
                deliveries[delivery.messageId] = delivery
            }
            let items = messages.items.compactMap { message in deliveries[message.id].map { EndpointMessage(message: message, delivery: $0) } }
            return Page(items: items, iterator: messages.iterator, done: messages.done, prevIterator: messages.prevIterator)
        }
    }
}
