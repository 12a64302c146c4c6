import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// The events one recorded outcome produces: its attempt, and the delivery's move if the lease was current.
    ///
    /// `moved` is the row the completion's `UPDATE … RETURNING` changed, `nil` for a stale lease.
    static func completionEvents(_ db: Database, outcome: DeliveryOutcome, moved: Row?) throws -> [EventDraft] {
        let attempted = outcome.attempt != nil
        if !attempted, case .retry = outcome.next { return [] }  // a deferral: nothing happened
        let messageId: String? = outcome.attempt?.messageId ?? moved?["message_id"]
        guard let messageId else { return [] }
        let message = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT event_type, event_id, channels, created_at FROM message WHERE id = ?"), arguments: [messageId])
        let eventType: String? = message?["event_type"]
        let channels = JSONColumn.decode([String].self, message?["channels"])
        var events: [EventDraft] = []
        if let attempt = outcome.attempt {
            events.append(.attemptMade(attempt, eventType: eventType, channels: channels))
        }
        if let moved {
            let delivery = MovedDelivery(
                appId: moved["app_id"], messageId: messageId, endpointId: moved["endpoint_id"], attempts: moved["attempts"],
                eventType: eventType, channels: channels,
                messageCreatedAt: Date(millisecondsSince1970: message?["created_at"] ?? outcome.now.millisecondsSince1970))
            if let event = EventDraft.deliveryMoved(delivery, next: outcome.next, attempted: attempted, at: outcome.now) {
                events.append(event)
            }
            if let attempt = outcome.attempt {
                events += EventDraft.attemptNotices(delivery, attempt: attempt, next: outcome.next, eventId: message?["event_id"], at: outcome.now)
            }
        }
        return events
    }
}
