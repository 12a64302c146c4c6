import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// The delivery row an outcome moved (its lease was current), as `UPDATE … RETURNING` gave it.
    private struct Moved {
        var appId: String
        var messageId: String
        var endpointId: String
        var attempts: Int
    }

    /// Records attempts and moves deliveries on, in one transaction; a stale lease only adds its attempt.
    ///
    /// Appends the events the outcomes produce and notifies `deliveries` when a retry was scheduled.
    public func completeDeliveries(_ outcomes: [DeliveryOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        try await writing { session in
            var moves: [Moved?] = []
            var disabled: [Int: EventDraft] = [:]
            var retried = false
            for (index, outcome) in outcomes.enumerated() {
                let now = outcome.now.millisecondsSince1970
                if let attempt = outcome.attempt {
                    // An attempt id already stored means this batch is being recorded again: keep the first.
                    try await session.execute(
                        """
                        INSERT INTO attempt (id, message_id, endpoint_id, app_id, url, status_code, response, duration_ms, status,
                        trigger_type, created_at) VALUES (\(attempt.id), \(attempt.messageId), \(attempt.endpointId), \(attempt.appId),
                        \(attempt.url), \(attempt.responseStatusCode), \(attempt.response.withoutNUL), \(attempt.durationMs),
                        \(attempt.status.rawValue), \(attempt.trigger.rawValue), \(attempt.timestamp.millisecondsSince1970))
                        ON CONFLICT (id) DO NOTHING
                        """)
                }
                let (state, nextAt): (DeliveryState, Int64) =
                    switch outcome.next {
                    case .succeeded: (.succeeded, now)
                    case .failed: (.failed, now)
                    case .canceled: (.canceled, now)
                    case .skipped: (.skipped, now)
                    case .retry(let at): (.pending, at.millisecondsSince1970)
                    }
                let attempted = outcome.attempt == nil ? 0 : 1
                let row = try await session.first(
                    """
                    UPDATE delivery SET state = \(state.rawValue), attempts = attempts + \(attempted), next_attempt_at = \(nextAt),
                    updated_at = \(now), manual = CASE WHEN \(attempted) = 1 THEN false ELSE manual END
                    WHERE id = \(outcome.deliveryId) AND claim_token = \(outcome.claimToken)
                    RETURNING app_id, message_id, endpoint_id, attempts
                    """)
                let moved = try row.map {
                    Moved(appId: try $0.get("app_id"), messageId: try $0.get("message_id"), endpointId: try $0.get("endpoint_id"), attempts: try $0.get("attempts"))
                }
                moves.append(moved)
                if moved != nil, state == .pending { retried = true }
                if outcome.disablesEndpoint, let attempt = outcome.attempt {
                    let changed = try await session.execute(
                        "UPDATE endpoint SET disabled = true, updated_at = \(now) WHERE id = \(attempt.endpointId) AND NOT disabled RETURNING 1")
                    if changed > 0 { disabled[index] = .endpointDisabled(appId: attempt.appId, endpointId: attempt.endpointId, at: outcome.now) }
                }
                if let event = try await session.trackFailureStreak(outcome, moved: moved != nil) { disabled[index] = event }
            }
            let events = try await completionEvents(session, outcomes: outcomes, moves: moves, disabled: disabled)
            if retried { try await session.notify(.deliveriesDue) }
            try await session.appendEvents(events)
        }
    }

    /// The events of recorded outcomes, in outcome order: each one's attempt, the delivery's move if its lease
    /// was current, and an endpoint it disabled.
    private func completionEvents(
        _ session: PostgresSession, outcomes: [DeliveryOutcome], moves: [Moved?], disabled: [Int: EventDraft]
    ) async throws -> [EventDraft] {
        let messageIds = Array(Set(zip(outcomes, moves).compactMap { $0.attempt?.messageId ?? $1?.messageId }))
        guard !messageIds.isEmpty else { return outcomes.indices.compactMap { disabled[$0] } }
        var messages: [String: (eventType: String, eventId: String?, channels: [String]?, createdAt: Date)] = [:]
        for row in try await session.rows(
            "SELECT id, event_type, event_id, channels, created_at FROM message WHERE id = ANY(\(messageIds)::text[])")
        {
            messages[try row.get("id")] = (try row.get("event_type"), try row.get("event_id"), try row.get("channels"), try row.date("created_at"))
        }
        var events: [EventDraft] = []
        for (index, (outcome, moved)) in zip(outcomes, moves).enumerated() {
            let attempted = outcome.attempt != nil
            let deferral = !attempted && { if case .retry = outcome.next { true } else { false } }()
            if !deferral, let messageId = outcome.attempt?.messageId ?? moved?.messageId {
                let message = messages[messageId]
                if let attempt = outcome.attempt {
                    events.append(.attemptMade(attempt, eventType: message?.eventType, channels: message?.channels))
                }
                if let moved {
                    let delivery = MovedDelivery(
                        appId: moved.appId, messageId: messageId, endpointId: moved.endpointId, attempts: moved.attempts,
                        eventType: message?.eventType, channels: message?.channels, messageCreatedAt: message?.createdAt ?? outcome.now)
                    if let event = EventDraft.deliveryMoved(delivery, next: outcome.next, attempted: attempted, at: outcome.now) {
                        events.append(event)
                    }
                    if let attempt = outcome.attempt {
                        events += EventDraft.attemptNotices(delivery, attempt: attempt, next: outcome.next, eventId: message?.eventId, at: outcome.now)
                    }
                }
            }
            if let event = disabled[index] { events.append(event) }
        }
        return events
    }
}
