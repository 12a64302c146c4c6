import Foundation
import HooklineCore

extension StoreConformance {
    /// State changes append their events in the same transaction, with increasing ids.
    static func eventLog(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let message = Fixtures.message(app: app, at: t0)
        _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0)])
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 1, leaseUntil: t0.addingTimeInterval(30)))[0]
        let failed = Fixtures.attempt(for: claimed, status: .fail, code: 500, at: t0)
        try await store.completeDeliveries([
            DeliveryOutcome(claimed: claimed, attempt: failed, next: .retry(at: t0), now: t0)
        ])
        let second = try await store.claimDeliveries(ClaimRequest(now: t0.addingTimeInterval(1), limit: 1, leaseUntil: t0.addingTimeInterval(30)))[0]
        let done = Fixtures.attempt(for: second, status: .success, code: 200, at: t0.addingTimeInterval(2))
        try await store.completeDeliveries([
            DeliveryOutcome(
                claimed: second, attempt: done, next: .succeeded, now: t0.addingTimeInterval(2))
        ])
        // A stale completion records its attempt but does not move the delivery.
        try await store.completeDeliveries([
            DeliveryOutcome(claimed: claimed, attempt: nil, next: .failed, now: t0)
        ])
        let events = try await store.events(after: 0, limit: 100)
        let kinds = events.map(\.kind)
        try await expect(
            kinds == [.messageCreated, .attemptMade, .deliveryFailed, .attemptMade, .deliverySucceeded],
            "events in commit order, got \(kinds.map(\.rawValue))")
        try await expect(zip(events, events.dropFirst()).allSatisfy { $0.id < $1.id }, "ids increase")
        try await expect(events.allSatisfy { $0.appId == app.id && $0.draft.messageId == message.id }, "events name app and message")
        try await expect(events[4].draft.latencyMs == 2000 && events[4].draft.endpointId == endpoint.id, "success carries latency")
        try await expect(events[1].draft.eventType == message.eventType, "attempt events carry the message's event type")
        let tail = try await store.events(after: events[2].id, limit: 1)
        try await expect(tail.map(\.id) == [events[3].id], "reads after an id, limited")
        let bounds = try await store.eventLogBounds()
        try await expect(bounds == EventLogBounds(firstId: events[0].id, lastId: events[4].id), "bounds \(bounds)")
        try await expect(try await store.latestEvent(kind: .deliverySucceeded)?.id == events[4].id, "latest success")
        try await expect(try await store.latestEvent(kind: .endpointDisabled) == nil, "no disabled endpoint yet")
    }

    /// Appending, pruning, statistics and disabled endpoints.
    static func eventRetentionAndStatistics(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        try await store.appendEvents([])
        let drafts = (0..<10).map { (index: Int) -> EventDraft in
            let details = JSONValue.object(["firstAttempt": .bool(index % 2 == 1)])
            let latency = Int64((index + 1) * 10)
            return EventDraft(
                kind: .deliverySucceeded, appId: app.id, endpointId: endpoint.id, latencyMs: latency, details: details,
                createdAt: t0.addingTimeInterval(Double(index)))
        }
        try await store.appendEvents(drafts)
        let stats = try await store.eventStatistics(since: t0.addingTimeInterval(5))
        try await expect(stats.counts[.deliverySucceeded] == 5 && stats.counts[.messageCreated] == 0, "counts in the window \(stats.counts)")
        try await expect(
            stats.timeToSuccessMs == .init(count: 5, p50: 80, p95: 100, p99: 100), "percentiles \(String(describing: stats.timeToSuccessMs))")
        try await expect(
            stats.firstAttemptMs == .init(count: 3, p50: 80, p95: 100, p99: 100),
            "first-attempt successes only (60, 80, 100) \(String(describing: stats.firstAttemptMs))")
        let none = try await store.eventStatistics(since: t0.addingTimeInterval(100))
        try await expect(none.timeToSuccessMs == nil && none.firstAttemptMs == nil, "no latency without successes")
        try await expect(try await store.deleteEvents(before: t0.addingTimeInterval(4), limit: 3) == 3, "prunes up to the limit")
        try await expect(try await store.deleteEvents(before: t0.addingTimeInterval(4), limit: 10) == 1, "then the rest before the cutoff")
        let bounds = try await store.eventLogBounds()
        try await expect(bounds.hasPruned(after: 0) && !bounds.hasPruned(after: bounds.firstId! - 1), "bounds know what was pruned \(bounds)")
        _ = try await store.deleteEvents(before: t0.addingTimeInterval(100), limit: 100)
        try await store.appendEvents([EventDraft(kind: .messageCreated, createdAt: t0)])
        let after = try await store.events(after: 0, limit: 10)
        try await expect(after.count == 1 && after[0].id > bounds.lastId, "ids are never reused after pruning")
        var disabled = endpoint
        disabled.disabled = true
        try await store.updateEndpoint(disabled)
        try await expect(try await store.disabledEndpoints(limit: 10).map(\.id) == [endpoint.id], "disabled endpoints listed")
        let toggled = try await store.events(after: after[0].id, limit: 10).map(\.kind)
        try await expect(toggled == [.endpointDisabled], "disabling through an update appends its event, got \(toggled)")
        disabled.disabled = false
        try await store.updateEndpoint(disabled)
        try await expect(try await store.latestEvent(kind: .endpointEnabled)?.draft.endpointId == endpoint.id, "enabling appends its event")
    }
}
