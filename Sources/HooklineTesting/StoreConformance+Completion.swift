import Foundation
import HooklineCore

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
