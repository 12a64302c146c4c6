import Foundation
import HooklineCore

extension StoreConformance {
    /// Priority lanes: urgent rows first among due rows, aging keeps old low-priority rows from starving.
    static func priorityOrdering(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        func insert(priority: Int, dueIn seconds: Double) async throws -> Message {
            var message = Fixtures.message(app: app, at: t0)
            message.priority = priority
            _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0.addingTimeInterval(seconds))])
            return message
        }
        let low = try await insert(priority: 0, dueIn: 0)
        let normal = try await insert(priority: 5, dueIn: 1)
        let high = try await insert(priority: 9, dueIn: 2)
        let early = try await insert(priority: 9, dueIn: 50)
        try await expect(try await store.message(appId: app.id, id: high.id)?.priority == 9, "the message keeps its priority")
        try await expect(try await store.deliveries(messageId: high.id).first?.priority == 9, "the delivery row carries the priority")
        var order: [String] = []
        for _ in 0..<4 {
            let now = t0.addingTimeInterval(3)
            order += try await store.claimDeliveries(ClaimRequest(now: now, limit: 1, leaseUntil: t0.addingTimeInterval(100_000))).map(\.message.id)
        }
        try await expect(order == [high.id, normal.id, low.id], "due rows by priority, and none early; got \(order.count) rows in order \(order)")
        let dueLater = try await store.claimDeliveries(
            ClaimRequest(now: t0.addingTimeInterval(50), limit: 5, leaseUntil: t0.addingTimeInterval(100_000)))
        try await expect(dueLater.map(\.message.id) == [early.id], "an urgent row is claimed once it is due")

        let (app2, endpoint2) = try await seed(store)
        func insert2(priority: Int, dueIn seconds: Double) async throws -> Message {
            var message = Fixtures.message(app: app2, at: t0)
            message.priority = priority
            _ = try await store.insertMessages([
                NewMessage(message: message, endpointIds: [endpoint2.id], deliverAt: t0.addingTimeInterval(1000 + seconds))
            ])
            return message
        }
        let old = try await insert2(priority: 0, dueIn: 0)
        let soonAfter = try await insert2(priority: 9, dueIn: 89)
        let longAfter = try await insert2(priority: 9, dueIn: 91)
        var aged: [String] = []
        for _ in 0..<3 {
            let now = t0.addingTimeInterval(1100)
            aged += try await store.claimDeliveries(ClaimRequest(now: now, limit: 1, leaseUntil: now.addingTimeInterval(600))).map(\.message.id)
        }
        try await expect(
            aged == [soonAfter.id, old.id, longAfter.id],
            "priority 9 overtakes priority 0 by at most 90 s of waiting (no starvation), got \(aged)")
    }

    /// An ordered endpoint: one delivery in flight, in acceptance order, a retrying head blocks the rest.
    static func orderedEndpoint(_ store: any HooklineStore) async throws {
        let (app, plain) = try await seed(store)
        var ordered = Fixtures.endpoint(app: app, uid: "ordered", at: t0)
        ordered.ordered = true
        try await store.insertEndpoint(ordered)
        try await expect(try await store.endpoint(appId: app.id, idOrUid: ordered.id)?.ordered == true, "ordered is stored")
        var messages: [Message] = []
        for index in 0..<3 {
            var message = Fixtures.message(app: app, at: t0.addingTimeInterval(Double(index) / 1000))
            message.priority = index == 2 ? 9 : 5
            _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [ordered.id, plain.id], deliverAt: t0)])
            messages.append(message)
        }
        let lease = t0.addingTimeInterval(30)
        func claimOrdered(at now: Date) async throws -> [ClaimedDelivery] {
            try await store.claimDeliveries(ClaimRequest(now: now, limit: 10, leaseUntil: lease)).filter { $0.delivery.endpointId == ordered.id }
        }
        let first = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 10, leaseUntil: lease))
        let toOrdered = first.filter { $0.delivery.endpointId == ordered.id }
        try await expect(toOrdered.map(\.message.id) == [messages[0].id], "only the oldest delivery of an ordered endpoint is claimed")
        try await expect(first.filter { $0.delivery.endpointId == plain.id }.count == 3, "other endpoints are unaffected")
        try await expect(try await claimOrdered(at: t0).isEmpty, "nothing more while the head is in flight")
        let head = toOrdered[0]
        let retryAt = t0.addingTimeInterval(5)
        try await store.completeDeliveries([
            DeliveryOutcome(
                claimed: head, attempt: Fixtures.attempt(for: head, status: .fail, code: 500, at: t0),
                next: .retry(at: retryAt), now: t0)
        ])
        try await expect(try await claimOrdered(at: t0.addingTimeInterval(1)).isEmpty, "a retrying head blocks the later messages")
        try await expect(try await store.nextDueTime(after: t0.addingTimeInterval(1)) == retryAt, "the next due time after now is the head's retry")
        let again = try await claimOrdered(at: retryAt)
        try await expect(again.map(\.message.id) == [messages[0].id], "the head is retried before anything else")
        try await store.completeDeliveries([DeliveryOutcome(claimed: again[0], attempt: nil, next: .succeeded, now: retryAt)])
        let second = try await claimOrdered(at: retryAt)
        try await expect(second.map(\.message.id) == [messages[1].id], "the next message goes once the head succeeded")
        try await store.completeDeliveries([DeliveryOutcome(claimed: second[0], attempt: nil, next: .failed, now: retryAt)])
        let third = try await claimOrdered(at: retryAt)
        try await expect(third.map(\.message.id) == [messages[2].id], "an exhausted delivery stops blocking; priority does not reorder FIFO")
        let expired = try await claimOrdered(at: lease.addingTimeInterval(1))
        try await expect(expired.map(\.message.id) == [messages[2].id], "a head whose lease expired is claimable again")
    }

    /// Fair claiming: a backlog of one endpoint does not keep another endpoint's due delivery out of a batch.
    static func fairClaiming(_ store: any HooklineStore) async throws {
        let (app, busy) = try await seed(store)
        let quiet = Fixtures.endpoint(app: app, uid: "quiet", at: t0)
        try await store.insertEndpoint(quiet)
        let backlog = (0..<1_500).map { index in
            NewMessage(message: Fixtures.message(app: app, at: t0.addingTimeInterval(Double(index) / 1000)), endpointIds: [busy.id], deliverAt: t0)
        }
        _ = try await store.insertMessages(backlog)
        let fresh = Fixtures.message(app: app, at: t0.addingTimeInterval(10))
        _ = try await store.insertMessages([NewMessage(message: fresh, endpointIds: [quiet.id], deliverAt: t0.addingTimeInterval(10))])
        let now = t0.addingTimeInterval(11)
        let lease = now.addingTimeInterval(60)
        let batch = try await store.claimDeliveries(ClaimRequest(now: now, limit: 5, leaseUntil: lease, perEndpointLimit: 4))
        try await expect(batch.contains { $0.message.id == fresh.id }, "the other endpoint's delivery is in the first batch")
        try await expect(batch.filter { $0.delivery.endpointId == busy.id }.count == 4, "the busy endpoint gets its cap of 4")
        let capped = try await store.claimDeliveries(ClaimRequest(now: now, limit: 5, leaseUntil: lease, perEndpointLimit: 4))
        try await expect(capped.isEmpty, "an endpoint with its cap in flight gets nothing more, got \(capped.count)")
        let done = batch.first { $0.delivery.endpointId == busy.id }!
        try await store.completeDeliveries([DeliveryOutcome(claimed: done, attempt: nil, next: .succeeded, now: now)])
        let freed = try await store.claimDeliveries(ClaimRequest(now: now, limit: 5, leaseUntil: lease, perEndpointLimit: 4))
        try await expect(freed.count == 1, "a completion frees one slot, got \(freed.count)")

        let uncapped = Fixtures.endpoint(app: app, uid: "late", at: t0)
        try await store.insertEndpoint(uncapped)
        let late = Fixtures.message(app: app, at: t0.addingTimeInterval(10))
        _ = try await store.insertMessages([NewMessage(message: late, endpointIds: [uncapped.id], deliverAt: t0.addingTimeInterval(10))])
        let open = try await store.claimDeliveries(ClaimRequest(now: now, limit: 3, leaseUntil: lease))
        try await expect(open.contains { $0.message.id == late.id }, "without a cap the batch is still shared across endpoints")
    }
}

extension StoreConformance {
    /// The checks of recording a batch of outcomes as one completion plan.
    static let completionChecks: [Check] = [
        Check(name: "a mixed batch of outcomes is recorded as one plan", run: mixedCompletionBatch),
        Check(name: "a batch is replayed in order against the endpoints as stored before it", run: completionReplay),
    ]

    /// Streaks coalesced per endpoint (a failure after a success restarts the streak), a 410, a deferral and
    /// the events of all of them in batch order, recorded in one call.
    static func mixedCompletionBatch(_ store: any HooklineStore) async throws {
        let (app, first) = try await seed(store)
        let gone = Fixtures.endpoint(app: app, uid: "gone", at: t0)
        let busy = Fixtures.endpoint(app: app, uid: "busy", at: t0)
        try await store.insertEndpoint(gone)
        try await store.insertEndpoint(busy)
        let earlier = try await insert(store, app: app, to: first, at: t0)
        try await attempt(store, earlier, success: false, next: .retry(at: t0.addingTimeInterval(900)), at: t0)
        func endpoint(_ id: String) async throws -> Endpoint? { try await store.endpoint(appId: app.id, idOrUid: id) }
        try await expect(try await endpoint(first.id)?.failingSince == t0, "the first failure starts the streak")

        let t1 = t0.addingTimeInterval(10)
        var messages: [Message] = []
        for target in [first, first, first, gone, busy] { messages.append(try await insert(store, app: app, to: target, at: t1)) }
        let claimed = try await claimAll(store, at: t1)
        let retryAt = t1.addingTimeInterval(500)
        let mark = try await store.eventLogBounds().lastId
        func attempted(_ index: Int, code: Int, offset: TimeInterval) throws -> (ClaimedDelivery, Attempt) {
            guard let delivery = claimed[messages[index].id] else { throw ConformanceFailure(description: "message \(index) was claimed") }
            return (delivery, Fixtures.attempt(for: delivery, status: code == 200 ? .success : .fail, code: code, at: t1.addingTimeInterval(offset)))
        }
        let (ok, okAttempt) = try attempted(0, code: 200, offset: 1)
        let (late, lateAttempt) = try attempted(1, code: 500, offset: 2)
        let (later, laterAttempt) = try attempted(2, code: 500, offset: 3)
        let (gonner, goneAttempt) = try attempted(3, code: 410, offset: 1)
        let (deferred, _) = try attempted(4, code: 500, offset: 0)
        try await store.completeDeliveries([
            DeliveryOutcome(claimed: ok, attempt: okAttempt, next: .succeeded, now: t1.addingTimeInterval(1)),
            DeliveryOutcome(claimed: late, attempt: lateAttempt, next: .retry(at: retryAt), now: t1.addingTimeInterval(2)),
            DeliveryOutcome(claimed: later, attempt: laterAttempt, next: .retry(at: retryAt), now: t1.addingTimeInterval(3)),
            DeliveryOutcome(claimed: gonner, attempt: goneAttempt, next: .failed, now: t1.addingTimeInterval(1), disablesEndpoint: true),
            DeliveryOutcome(claimed: deferred, attempt: nil, next: .retry(at: t1.addingTimeInterval(5)), now: t1),
        ])
        try await expect(try await endpoint(first.id)?.failingSince == t1.addingTimeInterval(2), "a failure after a success restarts the streak")
        try await expect(try await endpoint(gone.id)?.disabled == true, "a 410 disables its endpoint")
        try await expect(try await endpoint(busy.id)?.failingSince == nil, "a deferral spends no attempt")
        let rows = try await store.deliveries(messageId: messages[4].id)
        try await expect(
            rows.first?.state == .pending && rows.first?.attempts == 0 && rows.first?.nextAttemptAt == t1.addingTimeInterval(5),
            "a deferral is pending again, got \(rows)")
        try await expect(try await store.deliveries(messageId: messages[1].id).first?.attempts == 1, "an attempt is counted")
        let events = try await store.events(after: mark, limit: 100)
        try await expect(
            events.map(\.kind) == [
                .attemptMade, .deliverySucceeded, .attemptMade, .deliveryFailed, .attemptMade, .deliveryFailed,
                .attemptMade, .deliveryExhausted, .messageAttemptExhausted, .endpointDisabled,
            ], "the events follow the batch, got \(events.map(\.kind))")
        try await expect(events[1].draft.latencyMs == 1000 && events[1].draft.eventType == messages[0].eventType, "success carries latency and type")
        try await expect(events[9].draft.details["reason"] == .string("410 Gone"), "the 410 names its reason")
    }

    /// An exhaustion followed by a success of the same endpoint in one batch disables it (as recorded one by
    /// one), and a later batch's success first ends the streak the exhaustion would have used.
    static func completionReplay(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let window = Duration.seconds(10)
        let first = try await insert(store, app: app, to: endpoint, at: t0)
        try await attempt(store, first, success: false, next: .retry(at: t0.addingTimeInterval(900)), at: t0)
        let t1 = t0.addingTimeInterval(20)
        let exhausted = try await insert(store, app: app, to: endpoint, at: t1)
        let fine = try await insert(store, app: app, to: endpoint, at: t1)
        let mark = try await store.eventLogBounds().lastId
        let claimed = try await claimAll(store, at: t1)
        guard let lost = claimed[exhausted.id], let won = claimed[fine.id] else { throw ConformanceFailure(description: "both are claimed") }
        try await store.completeDeliveries([
            DeliveryOutcome(
                claimed: lost, attempt: Fixtures.attempt(for: lost, status: .fail, code: 500, at: t1), next: .failed, now: t1,
                autoDisableAfter: window),
            DeliveryOutcome(claimed: won, attempt: Fixtures.attempt(for: won, status: .success, code: 200, at: t1), next: .succeeded, now: t1),
        ])
        let stored = try await store.endpoint(appId: app.id, idOrUid: endpoint.id)
        try await expect(stored?.disabled == true && stored?.failingSince == nil, "disabled by the exhaustion, streak ended by the success")
        let disabled = try await store.events(after: mark, limit: 100).filter { $0.kind == .endpointDisabled }
        try await expect(
            disabled.count == 1 && disabled.first?.draft.details["failSince"] == .integer(t0.millisecondsSince1970),
            "one auto-disable event with the streak's start, got \(disabled)")
    }

    /// Every due delivery at `time`, by message id.
    private static func claimAll(_ store: any HooklineStore, at time: Date) async throws -> [String: ClaimedDelivery] {
        let claimed = try await store.claimDeliveries(ClaimRequest(now: time, limit: 50, leaseUntil: time.addingTimeInterval(30)))
        return Dictionary(claimed.map { ($0.message.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
