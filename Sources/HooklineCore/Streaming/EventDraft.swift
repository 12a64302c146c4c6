import Foundation

/// An event to append to the durable log; the store assigns its id at commit.
package struct EventDraft: Sendable, Equatable {
    /// What happened.
    package var kind: EventKind
    /// The application it concerns, if any.
    package var appId: String?
    /// The message it concerns, if any.
    package var messageId: String?
    /// The endpoint it concerns, if any.
    package var endpointId: String?
    /// The message's event type, for filtering.
    package var eventType: String?
    /// The message's channels, for filtering.
    package var channels: [String]?
    /// Accepted → 2xx in milliseconds, for `delivery.succeeded`.
    package var latencyMs: Int64?
    /// Kind-specific details, a JSON object.
    package var details: JSONValue
    /// When it happened.
    package var createdAt: Date

    /// Creates a draft.
    package init(
        kind: EventKind, appId: String? = nil, messageId: String? = nil, endpointId: String? = nil, eventType: String? = nil,
        channels: [String]? = nil, latencyMs: Int64? = nil, details: JSONValue = .object([:]), createdAt: Date
    ) {
        self.kind = kind
        self.appId = appId
        self.messageId = messageId
        self.endpointId = endpointId
        self.eventType = eventType
        self.channels = channels
        self.latencyMs = latencyMs
        self.details = details
        self.createdAt = createdAt
    }
}

extension EventDraft {
    /// `message.created` for a committed message routed to `endpointCount` endpoints (and `skipped` disabled ones).
    package static func messageCreated(_ message: Message, endpointCount: Int, skipped: Int = 0) -> EventDraft {
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
    package static func attemptMade(_ attempt: Attempt, eventType: String?, channels: [String]?) -> EventDraft {
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
    package static func deliveryMoved(
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
    package static func endpointDisabled(appId: String, endpointId: String, at now: Date) -> EventDraft {
        EventDraft(
            kind: .endpointDisabled, appId: appId, endpointId: endpointId, details: .object(["reason": .string("410 Gone")]),
            createdAt: now)
    }

    /// `endpoint.disabled` or `endpoint.enabled` after a change through the API.
    package static func endpointToggled(_ endpoint: Endpoint, at now: Date) -> EventDraft {
        EventDraft(
            kind: endpoint.disabled ? .endpointDisabled : .endpointEnabled, appId: endpoint.appId, endpointId: endpoint.id,
            details: .object(["reason": .string("api")]), createdAt: now)
    }
}

extension EventDraft {
    /// `message.expunged` for `message`, then `delivery.canceled` for each endpoint whose unfinished delivery the
    /// expunge canceled (a message without content cannot be delivered).
    package static func contentExpunged(_ message: Message, canceledEndpointIds: [String], at now: Date) -> [EventDraft] {
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
    package static func attemptExpunged(_ attempt: Attempt, at now: Date) -> EventDraft {
        EventDraft(
            kind: .attemptExpunged, appId: attempt.appId, messageId: attempt.messageId, endpointId: attempt.endpointId,
            details: .object(["attemptId": .string(attempt.id)]), createdAt: now)
    }
}

extension EventDraft {
    /// The failed attempt after which `message.attempt.failing` is appended (Svix: the fourth).
    package static let failingNoticeAttempt = 4

    /// The operational notices one recorded attempt produces (pure logic):
    /// `message.attempt.failing` when the 4th attempt fails, `message.attempt.exhausted` when the
    /// delivery is exhausted, `message.attempt.recovered` when it succeeds after at least 4 failures.
    ///
    /// `moved` is the delivery after the completion (its `attempts` include this one); `eventId` is the
    /// message's event id (Svix `msgEventId`); `now` is when the completion was decided.
    package static func attemptNotices(
        _ moved: MovedDelivery, attempt: Attempt, next: DeliveryOutcome.Next, eventId: String?, at now: Date
    ) -> [EventDraft] {
        var kinds: [EventKind] = []
        let succeeded = attempt.status == .success
        if !succeeded && moved.attempts == failingNoticeAttempt { kinds.append(.messageAttemptFailing) }
        if next == .failed { kinds.append(.messageAttemptExhausted) }
        if succeeded && moved.attempts > failingNoticeAttempt { kinds.append(.messageAttemptRecovered) }
        var details: [String: JSONValue] = [
            "attempts": .integer(Int64(moved.attempts)),
            "lastAttempt": .object([
                "id": .string(attempt.id), "responseStatusCode": .integer(Int64(attempt.responseStatusCode)),
                "timestamp": .integer(attempt.timestamp.millisecondsSince1970),
            ]),
        ]
        if let eventId { details["msgEventId"] = .string(eventId) }
        return kinds.map { kind in
            EventDraft(
                kind: kind, appId: moved.appId, messageId: moved.messageId, endpointId: moved.endpointId, eventType: moved.eventType,
                channels: moved.channels, details: .object(details), createdAt: now)
        }
    }

    /// `endpoint.disabled` after the endpoint failed without a success since `failingSince` and a delivery was exhausted.
    package static func endpointAutoDisabled(appId: String, endpointId: String, failingSince: Date, at now: Date) -> EventDraft {
        EventDraft(
            kind: .endpointDisabled, appId: appId, endpointId: endpointId,
            details: .object(["reason": .string("auto-disable"), "failSince": .integer(failingSince.millisecondsSince1970)]),
            createdAt: now)
    }
}
