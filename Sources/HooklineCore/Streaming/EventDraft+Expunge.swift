import Foundation

extension EventDraft {
    /// `message.expunged` for `message`, then `delivery.canceled` for each endpoint whose unfinished delivery the
    /// expunge canceled (a message without content cannot be delivered).
    public static func contentExpunged(_ message: Message, canceledEndpointIds: [String], at now: Date) -> [EventDraft] {
        let expunged = EventDraft(
            kind: .messageExpunged, appId: message.appId, messageId: message.id, eventType: message.eventType,
            channels: message.channels, details: .object(["canceled": .integer(Int64(canceledEndpointIds.count))]), createdAt: now)
        return [expunged]
            + canceledEndpointIds.map { endpointId in
                EventDraft(
                    kind: .deliveryCanceled, appId: message.appId, messageId: message.id, endpointId: endpointId,
                    eventType: message.eventType, channels: message.channels,
                    details: .object(["reason": .string("content expunged")]), createdAt: now)
            }
    }

    /// `attempt.expunged` for an attempt whose response body was removed.
    public static func attemptExpunged(_ attempt: Attempt, at now: Date) -> EventDraft {
        EventDraft(
            kind: .attemptExpunged, appId: attempt.appId, messageId: attempt.messageId, endpointId: attempt.endpointId,
            details: .object(["attemptId": .string(attempt.id)]), createdAt: now)
    }
}
