import Foundation
import HooklineCore
import NIOCore
import PostgresNIO

extension PostgresStore: HistorySeeding {
    /// Takes the loaded tables' statistics, as after a restore: until autovacuum's analyze comes round, the planner
    /// would take day partitions filled in a minute for empty and sort a page's whole match instead of walking its index.
    package func finishBulkSeeding() async throws {
        try await writing { session in try await session.execute("ANALYZE message, delivery, attempt, event") }
    }

    /// Writes a batch of finished history in one transaction: one `unnest` insert each for messages, delivery rows and
    /// attempts, then the events through the store's event append (under the event-order lock, as the live path).
    package func seedHistory(_ batch: [SeededMessage]) async throws {
        guard !batch.isEmpty else { return }
        var ids: [String] = [], appIds: [String] = [], types: [String] = [], payloads: [ByteBuffer] = []
        var created: [Int64] = [], priorities: [Int64] = []
        var endpoints: [String] = [], states: [Int64] = [], attemptCounts: [Int64] = [], finished: [Int64] = []
        var attemptIds: [String] = [], attemptMessages: [String] = [], attemptEndpoints: [String] = [], attemptApps: [String] = []
        var urls: [String] = [], codes: [Int64] = [], responses: [String] = [], durations: [Int64] = [], statuses: [Int64] = []
        var triggers: [Int64] = [], attemptTimes: [Int64] = []
        var events: [EventDraft] = []
        for item in batch {
            let message = item.message
            ids.append(message.id)
            appIds.append(message.appId)
            types.append(message.eventType)
            payloads.append(ByteBuffer(bytes: message.payload))
            created.append(message.createdAt.millisecondsSince1970)
            priorities.append(Int64(PriorityLane(clamping: message.priority).level))
            endpoints.append(item.endpointId)
            states.append(Int64(item.finalState.rawValue))
            attemptCounts.append(Int64(item.attempts.count))
            finished.append(item.attempts.last?.timestamp.millisecondsSince1970 ?? message.createdAt.millisecondsSince1970)
            for attempt in item.attempts {
                attemptIds.append(attempt.id)
                attemptMessages.append(attempt.messageId)
                attemptEndpoints.append(attempt.endpointId)
                attemptApps.append(attempt.appId)
                urls.append(attempt.url)
                codes.append(Int64(attempt.responseStatusCode))
                responses.append(attempt.response)
                durations.append(Int64(attempt.durationMs))
                statuses.append(Int64(attempt.status.rawValue))
                triggers.append(Int64(attempt.trigger.rawValue))
                attemptTimes.append(attempt.timestamp.millisecondsSince1970)
            }
            events += item.events
        }
        events.sort { $0.createdAt < $1.createdAt }
        // History lands in its days' partitions, so retention can drop it by day.
        if let first = batch.map(\.message.createdAt).min(), let last = (batch.flatMap(\.attempts).map(\.timestamp) + [first]).max() {
            _ = try await createPartitions(from: first, through: last)
        }
        try await writing {
            [
                ids, appIds, types, payloads, created, priorities, endpoints, states, attemptCounts, finished, events, attemptIds, attemptMessages,
                attemptEndpoints, attemptApps, urls, codes, responses, durations, statuses, triggers, attemptTimes
            ] session in
            try await session.execute(
                """
                INSERT INTO message (id, app_id, event_type, payload, created_at, priority)
                SELECT * FROM unnest(\(ids)::text[], \(appIds)::text[], \(types)::text[], \(payloads)::bytea[], \(created)::int8[],
                    \(priorities)::int8[])
                """)
            try await session.execute(
                """
                INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at, priority)
                SELECT m, e, a, s, n, f, 1, f, p
                FROM unnest(\(ids)::text[], \(endpoints)::text[], \(appIds)::text[], \(states)::int8[], \(attemptCounts)::int8[],
                    \(finished)::int8[], \(priorities)::int8[]) AS u(m, e, a, s, n, f, p)
                """)
            try await session.execute(
                """
                INSERT INTO attempt (id, message_id, endpoint_id, app_id, url, status_code, response, duration_ms, status, trigger_type,
                    created_at)
                SELECT * FROM unnest(\(attemptIds)::text[], \(attemptMessages)::text[], \(attemptEndpoints)::text[], \(attemptApps)::text[],
                    \(urls)::text[], \(codes)::int8[], \(responses)::text[], \(durations)::int8[], \(statuses)::int8[], \(triggers)::int8[],
                    \(attemptTimes)::int8[])
                """)
            try await session.appendEvents(events)
        }
    }
}
