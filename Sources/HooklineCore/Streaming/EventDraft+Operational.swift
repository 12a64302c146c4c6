import Foundation

extension EventDraft {
    /// The failed attempt after which `message.attempt.failing` is appended (Svix: the fourth).
    public static let failingNoticeAttempt = 4

    /// The operational notices one recorded attempt produces (pure logic):
    /// `message.attempt.failing` when the 4th attempt fails, `message.attempt.exhausted` when the
    /// delivery is exhausted, `message.attempt.recovered` when it succeeds after at least 4 failures.
    ///
    /// `moved` is the delivery after the completion (its `attempts` include this one); `eventId` is the
    /// message's event id (Svix `msgEventId`); `now` is when the completion was decided.
    public static func attemptNotices(
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
    public static func endpointAutoDisabled(appId: String, endpointId: String, failingSince: Date, at now: Date) -> EventDraft {
        EventDraft(
            kind: .endpointDisabled, appId: appId, endpointId: endpointId,
            details: .object(["reason": .string("auto-disable"), "failSince": .integer(failingSince.millisecondsSince1970)]),
            createdAt: now)
    }
}
