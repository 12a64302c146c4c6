import Foundation

extension EventDraft {
    /// `message.created` for a committed message routed to `endpointCount` endpoints (and `skipped` disabled ones).
    public static func messageCreated(_ message: Message, endpointCount: Int, skipped: Int = 0) -> EventDraft {
        var details: [String: JSONValue] = [
            "eventType": .string(message.eventType), "endpoints": .integer(Int64(endpointCount)),
            "createdAt": .integer(message.createdAt.millisecondsSince1970),
        ]
        if skipped > 0 { details["skipped"] = .integer(Int64(skipped)) }
        if let eventId = message.eventId { details["eventId"] = .string(eventId) }
        if let channels = message.channels { details["channels"] = .array(channels.map(JSONValue.string)) }
        return EventDraft(
            kind: .messageCreated, appId: message.appId, messageId: message.id, eventType: message.eventType,
            channels: message.channels, details: .object(details), createdAt: message.createdAt)
    }

    /// `attempt.made` for a recorded attempt of a message with this type and channels.
    public static func attemptMade(_ attempt: Attempt, eventType: String?, channels: [String]?) -> EventDraft {
        EventDraft(
            kind: .attemptMade, appId: attempt.appId, messageId: attempt.messageId, endpointId: attempt.endpointId,
            eventType: eventType, channels: channels,
            details: .object([
                "attemptId": .string(attempt.id), "statusCode": .integer(Int64(attempt.responseStatusCode)),
                "status": .string(attempt.status.text), "durationMs": .integer(Int64(attempt.durationMs)),
                "trigger": .integer(Int64(attempt.trigger.rawValue)),
            ]),
            createdAt: attempt.timestamp)
    }

    /// The event for a delivery that moved to `next`, or `nil` for a deferral (no attempt, retry).
    ///
    /// A success carries `latencyMs` (accepted → 2xx, the time to success) and `firstAttempt`: whether it came
    /// on the delivery's first attempt and not from a manual resend (the status's first-attempt latency).
    public static func deliveryMoved(
        _ moved: MovedDelivery, next: DeliveryOutcome.Next, attempted: Bool, manual: Bool = false, at now: Date
    ) -> EventDraft? {
        var details: [String: JSONValue] = ["attempts": .integer(Int64(moved.attempts))]
        var latency: Int64?
        let kind: EventKind
        switch next {
        case .succeeded:
            kind = .deliverySucceeded
            latency = max(0, now.millisecondsSince1970 - moved.messageCreatedAt.millisecondsSince1970)
            details["latencyMs"] = .integer(latency ?? 0)
            details["firstAttempt"] = .bool(moved.attempts == 1 && !manual)
        case .retry(let at):
            guard attempted else { return nil }
            kind = .deliveryFailed
            details["nextAttemptAt"] = .integer(at.millisecondsSince1970)
        case .failed: kind = .deliveryExhausted
        case .canceled: kind = .deliveryCanceled
        case .skipped: kind = .deliverySkipped
        }
        return EventDraft(
            kind: kind, appId: moved.appId, messageId: moved.messageId, endpointId: moved.endpointId, eventType: moved.eventType,
            channels: moved.channels, latencyMs: latency, details: .object(details), createdAt: now)
    }

    /// `endpoint.disabled` after a 410 Gone answer.
    public static func endpointDisabled(appId: String, endpointId: String, at now: Date) -> EventDraft {
        EventDraft(
            kind: .endpointDisabled, appId: appId, endpointId: endpointId, details: .object(["reason": .string("410 Gone")]),
            createdAt: now)
    }

    /// `endpoint.disabled` or `endpoint.enabled` after a change through the API.
    public static func endpointToggled(_ endpoint: Endpoint, at now: Date) -> EventDraft {
        EventDraft(
            kind: endpoint.disabled ? .endpointDisabled : .endpointEnabled, appId: endpoint.appId, endpointId: endpoint.id,
            details: .object(["reason": .string("api")]), createdAt: now)
    }
}
