import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Inserts each routed request's message and deliveries and marks the request routed (or failed), all in one
    /// transaction; a request no longer pending is skipped.
    ///
    /// Requests are locked (`FOR UPDATE`) before they are checked, so two nodes routing the same request one after
    /// the other insert its message once. A message whose event id the application already has is not inserted
    /// again: the request is marked routed to the existing message.
    public func routeInboundRequests(_ routings: [InboundRouting]) async throws {
        guard !routings.isEmpty else { return }
        try await writing { session in
            var events: [EventDraft] = []
            var due = false
            for routing in routings {
                let pending = try await session.value(
                    "SELECT 1 FROM inbound_request WHERE id = \(routing.requestId) AND status = 0 FOR UPDATE", as: Int.self)
                guard pending != nil else { continue }
                let now = routing.now.millisecondsSince1970
                guard let item = routing.message else {
                    try await session.execute(
                        """
                        UPDATE inbound_request SET status = \(InboundStatus.failed.rawValue), message_id = NULL,
                        failure = \(routing.failure?.withoutNUL), routed_at = \(now) WHERE id = \(routing.requestId)
                        """)
                    continue
                }
                var messageId = item.message.id
                if let existing = try await session.insertMessage(item, updatedAt: now) {
                    messageId = existing
                } else {
                    due = due || !item.endpointIds.isEmpty
                    events.append(.messageCreated(item.message, endpointCount: item.endpointIds.count, skipped: item.skippedEndpointIds.count))
                }
                try await session.execute(
                    """
                    UPDATE inbound_request SET status = \(InboundStatus.routed.rawValue), message_id = \(messageId), failure = NULL,
                    routed_at = \(now) WHERE id = \(routing.requestId)
                    """)
            }
            if due { try await session.notify(.deliveriesDue) }
            try await session.appendEvents(events)
        }
    }
}
