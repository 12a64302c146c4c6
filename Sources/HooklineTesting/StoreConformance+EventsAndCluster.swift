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

    /// Retention records the largest id it pruned: an event pruned after the oldest kept one is reported, and ids past
    /// the watermark are not (a missing one was never committed).
    static func eventPruneWatermark(_ store: any HooklineStore) async throws {
        let fresh = try await store.eventLogBounds()
        try await expect(fresh.prunedThrough == 0 && !fresh.hasPruned(after: 0), "a new log has pruned nothing \(fresh)")
        // The younger event first: its id is the smaller, so retention deletes the larger id and keeps the oldest one.
        try await store.appendEvents([EventDraft(kind: .messageCreated, createdAt: t0.addingTimeInterval(50))])
        try await store.appendEvents([EventDraft(kind: .messageCreated, createdAt: t0)])
        try await store.appendEvents([EventDraft(kind: .messageCreated, createdAt: t0.addingTimeInterval(60))])
        let appended = try await store.events(after: 0, limit: 10).map(\.id)
        try await expect(appended.count == 3, "three events \(appended)")
        try await expect(try await store.deleteEvents(before: t0.addingTimeInterval(1), limit: 10) == 1, "prunes the one expired event")
        let bounds = try await store.eventLogBounds()
        try await expect(bounds.firstId == appended[0] && bounds.prunedThrough == appended[1], "the watermark is the pruned id \(bounds)")
        try await expect(bounds.hasPruned(after: appended[0]), "an event after the oldest kept one was pruned \(bounds)")
        try await expect(!bounds.hasPruned(after: appended[1]), "nothing after the watermark was pruned \(bounds)")
        try await expect(try await store.deleteEvents(before: t0.addingTimeInterval(1), limit: 10) == 0, "nothing more expired")
        try await expect(try await store.eventLogBounds().prunedThrough == appended[1], "a sweep that prunes nothing keeps the watermark")
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
        let entries = try await store.tallyEntries(after: nil, since: t0.addingTimeInterval(5), limit: 3)
        try await expect(
            entries.map(\.createdAtMs) == (5..<8).map { t0.addingTimeInterval(Double($0)).millisecondsSince1970 }
                && entries.allSatisfy { $0.kind == .deliverySucceeded },
            "the status window's first events, in id order \(entries)")
        try await expect(
            entries.map(\.latencyMs) == [60, 70, 80] && entries.map(\.firstAttempt) == [true, false, true], "with latency and first attempt")
        let rest = try await store.tallyEntries(after: entries.last?.id, since: t0.addingTimeInterval(5), limit: 10)
        try await expect(rest.map(\.latencyMs) == [90, 100], "then the rest after the last id read \(rest)")
        try await expect(
            try await store.tallyEntries(after: nil, since: t0.addingTimeInterval(100), limit: 10).isEmpty, "an empty window reads nothing")
        let tallied = try await EventWindow().statistics(from: store, since: t0.addingTimeInterval(5))
        try await expect(
            tallied.timeToSuccessMs == stats.timeToSuccessMs && tallied.firstAttemptMs == stats.firstAttemptMs
                && tallied.counts[.deliverySucceeded] == 5,
            "the tally agrees with eventStatistics \(tallied)")
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

extension StoreConformance {
    /// Completions append `message.attempt.failing` (4th failure), `.exhausted` and `.recovered` in their transaction.
    static func operationalNotices(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let message = try await insert(store, app: app, to: endpoint, eventId: "order-1", at: t0)
        for index in 0..<4 {
            let time = t0.addingTimeInterval(Double(index * 10))
            try await attempt(store, message, success: false, next: .retry(at: time.addingTimeInterval(10)), at: time)
        }
        let failing = try await store.events(after: 0, limit: 100).filter { $0.kind == .messageAttemptFailing }
        try await expect(failing.count == 1, "one failing notice after the 4th failure, got \(failing.count)")
        try await expect(
            failing.first?.draft.messageId == message.id && failing.first?.draft.endpointId == endpoint.id
                && failing.first?.draft.details["msgEventId"] == .string("order-1"),
            "the notice names message, endpoint and event id")
        guard case .object(let last)? = failing.first?.draft.details["lastAttempt"], case .string(let attemptId)? = last["id"],
            last["responseStatusCode"] == .integer(500)
        else { throw ConformanceFailure(description: "the notice carries the last attempt") }
        let attempts = try await store.attempts(AttemptQuery(appId: app.id, messageId: message.id)).items
        try await expect(attempts.first?.id == attemptId, "lastAttempt is the 4th attempt")
        try await attempt(store, message, success: true, next: .succeeded, at: t0.addingTimeInterval(40))
        try await expect(try await store.latestEvent(kind: .messageAttemptRecovered)?.draft.messageId == message.id, "success after failing recovers")

        let quick = try await insert(store, app: app, to: endpoint, at: t0.addingTimeInterval(50))
        try await attempt(store, quick, success: false, next: .retry(at: t0.addingTimeInterval(60)), at: t0.addingTimeInterval(50))
        try await attempt(store, quick, success: true, next: .succeeded, at: t0.addingTimeInterval(60))
        let recovered = try await store.events(after: 0, limit: 200).filter { $0.kind == .messageAttemptRecovered }
        try await expect(recovered.count == 1, "a success after fewer than 4 failures is no recovery")

        let doomed = try await insert(store, app: app, to: endpoint, at: t0.addingTimeInterval(70))
        try await attempt(store, doomed, success: false, next: .failed, at: t0.addingTimeInterval(70))
        let exhausted = try await store.latestEvent(kind: .messageAttemptExhausted)
        try await expect(exhausted?.draft.messageId == doomed.id && exhausted?.appId == app.id, "exhaustion appends message.attempt.exhausted")
        try await expect(exhausted?.draft.details["msgEventId"] == nil, "no msgEventId without an event id")
    }
}

extension StoreConformance {
    static func clusterLeases(_ store: any HooklineStore) async throws {
        let until = t0.addingTimeInterval(30)
        try await expect(try await store.acquireLease(ClusterLease(name: "retention", holder: "a", now: t0, until: until)), "a free lease is taken")
        try await expect(
            !(try await store.acquireLease(ClusterLease(name: "retention", holder: "b", now: t0.addingTimeInterval(10), until: until))),
            "a held lease is refused to another holder")
        try await expect(
            try await store.acquireLease(ClusterLease(name: "other", holder: "b", now: t0, until: until)), "leases are independent by name")
        try await expect(
            try await store.acquireLease(
                ClusterLease(name: "retention", holder: "a", now: t0.addingTimeInterval(20), until: t0.addingTimeInterval(50))),
            "the holder renews its lease")
        try await expect(
            !(try await store.acquireLease(
                ClusterLease(name: "retention", holder: "b", now: t0.addingTimeInterval(40), until: t0.addingTimeInterval(70)))),
            "the renewal extended the lease")
        try await expect(
            try await store.acquireLease(
                ClusterLease(name: "retention", holder: "b", now: t0.addingTimeInterval(50), until: t0.addingTimeInterval(80))),
            "a lapsed lease passes to another holder")
        let active = try await store.activeLeases(prefix: "ret", now: t0.addingTimeInterval(60))
        try await expect(active.map(\.holder) == ["b"] && active.first?.name == "retention", "active leases by prefix, got \(active)")
        try await expect(
            try await store.activeLeases(prefix: "", now: t0.addingTimeInterval(60)).map(\.name) == ["retention"], "lapsed leases are not active")
        try await expect(try await store.activeLeases(prefix: "x", now: t0).isEmpty, "no lease has this prefix")
    }
}
