import Foundation
import HooklineCore

extension StoreConformance {
    /// The checks of failure streaks, auto-disable, skipped deliveries and checkpoints.
    static let disableChecks: [Check] = [
        Check(name: "failure streak: failing_since set by a failure, cleared by a success", run: failureStreak),
        Check(name: "auto-disable on exhaustion once the endpoint failed for the window", run: autoDisable),
        Check(name: "skipped deliveries for a disabled endpoint, recovered later", run: skippedDeliveries),
        Check(name: "operational notices: failing, exhausted, recovered", run: operationalNotices),
        Check(name: "checkpoints", run: checkpoints),
    ]

    static func failureStreak(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        func since() async throws -> Date? { try await store.endpoint(appId: app.id, idOrUid: endpoint.id)?.failingSince }
        try await expect(try await since() == nil, "a new endpoint has no failure streak")
        let message = try await insert(store, app: app, to: endpoint, at: t0)
        try await attempt(store, message, success: false, next: .retry(at: t0.addingTimeInterval(10)), at: t0)
        try await expect(try await since() == t0, "the first failure starts the streak")
        try await attempt(store, message, success: false, next: .retry(at: t0.addingTimeInterval(20)), at: t0.addingTimeInterval(10))
        try await expect(try await since() == t0, "later failures keep the streak's start")
        try await attempt(store, message, success: true, next: .succeeded, at: t0.addingTimeInterval(20))
        try await expect(try await since() == nil, "a success clears the streak")
        let next = try await insert(store, app: app, to: endpoint, at: t0.addingTimeInterval(30))
        try await attempt(store, next, success: false, next: .retry(at: t0.addingTimeInterval(99)), at: t0.addingTimeInterval(30))
        try await expect(try await since() == t0.addingTimeInterval(30), "a failure after a success starts a new streak")
        var toggled = try await store.endpoint(appId: app.id, idOrUid: endpoint.id)!
        toggled.disabled = true
        try await store.updateEndpoint(toggled)
        toggled.disabled = false
        try await store.updateEndpoint(toggled)
        try await expect(try await since() == nil, "enabling an endpoint starts over")
    }

    static func autoDisable(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let window = Duration.seconds(100)
        func disabled() async throws -> Bool { try await store.endpoint(appId: app.id, idOrUid: endpoint.id)?.disabled == true }
        let first = try await insert(store, app: app, to: endpoint, at: t0)
        try await attempt(store, first, success: false, next: .retry(at: t0.addingTimeInterval(50)), at: t0)
        try await attempt(store, first, success: false, next: .failed, at: t0.addingTimeInterval(50), window: window)
        try await expect(!(try await disabled()), "an exhaustion inside the window does not disable")
        let second = try await insert(store, app: app, to: endpoint, at: t0.addingTimeInterval(100))
        try await attempt(store, second, success: false, next: .failed, at: t0.addingTimeInterval(100), window: nil)
        try await expect(!(try await disabled()), "no window (0 / never) never disables")
        let mark = try await store.eventLogBounds().lastId
        let third = try await insert(store, app: app, to: endpoint, at: t0.addingTimeInterval(100))
        try await attempt(store, third, success: false, next: .retry(at: t0.addingTimeInterval(200)), at: t0.addingTimeInterval(100), window: window)
        try await expect(!(try await disabled()), "a failure that is not an exhaustion does not disable")
        try await attempt(store, third, success: false, next: .failed, at: t0.addingTimeInterval(200), window: window)
        try await expect(try await disabled(), "an exhaustion after failing for the window disables the endpoint")
        let events = try await store.events(after: mark, limit: 100).filter { $0.kind == .endpointDisabled }
        try await expect(events.count == 1, "one endpoint.disabled event, got \(events.count)")
        try await expect(
            events.first?.draft.details["reason"] == .string("auto-disable")
                && events.first?.draft.details["failSince"] == .integer(t0.millisecondsSince1970)
                && events.first?.draft.endpointId == endpoint.id,
            "the event names the endpoint, the reason and the streak start")
    }

    static func skippedDeliveries(_ store: any HooklineStore) async throws {
        let (app, enabled) = try await seed(store)
        var off = Fixtures.endpoint(app: app, uid: "off", at: t0)
        off.disabled = true
        try await store.insertEndpoint(off)
        let message = Fixtures.message(app: app, at: t0)
        _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [enabled.id], deliverAt: t0, skippedEndpointIds: [off.id])])
        let rows = try await store.deliveries(messageId: message.id)
        try await expect(rows.first { $0.endpointId == off.id }?.state == .skipped, "a disabled endpoint gets a skipped row, got \(rows)")
        try await expect(!DeliveryState.skipped.isActive, "skipped is not active")
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0.addingTimeInterval(1), limit: 10, leaseUntil: t0.addingTimeInterval(30)))
        try await expect(claimed.map(\.delivery.endpointId) == [enabled.id], "skipped rows are never claimed")
        try await expect(try await store.deliveryCounts(endpointId: off.id, since: nil, until: nil).fail == 1, "skipped counts as fail")
        let failedList = try await store.messages(MessageQuery(appId: app.id, deliveryState: .failed))
        try await expect(failedList.items.map(\.id) == [message.id], "the fail status filter lists skipped deliveries")

        // A delivery claimed while its endpoint is disabled becomes skipped, not canceled.
        var disabling = enabled
        disabling.disabled = true
        try await store.updateEndpoint(disabling)
        let mark = try await store.eventLogBounds().lastId
        try await store.completeDeliveries([
            DeliveryOutcome(claimed: claimed[0], attempt: nil, next: .skipped, now: t0)
        ])
        try await expect(try await store.deliveries(messageId: message.id).allSatisfy { $0.state == .skipped }, "both rows are skipped")
        try await expect(try await store.events(after: mark, limit: 10).map(\.kind) == [.deliverySkipped], "delivery.skipped is logged")
        try await expect(try await store.nextDueTime() == nil, "nothing is due")

        disabling.disabled = false
        try await store.updateEndpoint(disabling)
        let recovered = try await store.recoverDeliveries(
            RecoverBatch(endpointId: enabled.id, since: t0, until: nil, cursor: nil, limit: 10, now: t0.addingTimeInterval(5)))
        try await expect(recovered.count == 1, "recover re-queues a skipped delivery, got \(recovered.count)")
        let back = try await store.deliveries(messageId: message.id).first { $0.endpointId == enabled.id }
        try await expect(back?.state == .pending && back?.manual == true, "recovered as a manual pending delivery")
        try await store.resendDelivery(ResendRequest(appId: app.id, messageId: message.id, endpointId: off.id, now: t0.addingTimeInterval(5)))
        let resent = try await store.deliveries(messageId: message.id).first { $0.endpointId == off.id }
        try await expect(resent?.state == .pending, "resend re-queues a skipped delivery")

        let later = Fixtures.message(app: app, at: t0.addingTimeInterval(6))
        _ = try await store.insertMessages([NewMessage(message: later, endpointIds: [], deliverAt: t0, skippedEndpointIds: [off.id])])
        try await store.deleteEndpoint(appId: app.id, id: off.id, now: t0.addingTimeInterval(7))
        try await expect(try await store.deliveries(messageId: later.id).first?.state == .canceled, "deleting the endpoint cancels skipped rows")
    }

    static func checkpoints(_ store: any HooklineStore) async throws {
        try await expect(try await store.checkpoint(named: "a") == nil, "no checkpoint yet")
        try await store.saveCheckpoint(named: "a", value: 5, now: t0)
        try await store.saveCheckpoint(named: "b", value: 7, now: t0)
        try await store.saveCheckpoint(named: "a", value: 9, now: t0.addingTimeInterval(1))
        try await expect(try await store.checkpoint(named: "a") == 9, "the last value saved is read back")
        try await expect(try await store.checkpoint(named: "b") == 7, "checkpoints are independent")
    }

    /// Inserts a message of `app` to `endpoint`, due at `time`.
    static func insert(_ store: any HooklineStore, app: Application, to endpoint: Endpoint, eventId: String? = nil, at time: Date) async throws
        -> Message
    {
        let message = Fixtures.message(app: app, eventId: eventId, at: time)
        _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: time)])
        return message
    }

    /// Claims the due delivery of `message` at `time` and records one attempt with `next`.
    static func attempt(
        _ store: any HooklineStore, _ message: Message, success: Bool, next: DeliveryOutcome.Next, at time: Date, window: Duration? = nil
    ) async throws {
        let claimed = try await store.claimDeliveries(ClaimRequest(now: time, limit: 50, leaseUntil: time.addingTimeInterval(30)))
        guard let delivery = claimed.first(where: { $0.message.id == message.id }) else {
            throw ConformanceFailure(description: "the delivery of \(message.id) is due at \(time)")
        }
        let attempt = Fixtures.attempt(for: delivery, status: success ? .success : .fail, code: success ? 200 : 500, at: time)
        try await store.completeDeliveries([
            DeliveryOutcome(
                claimed: delivery, attempt: attempt, next: next, now: time,
                autoDisableAfter: next == .failed ? window : nil)
        ])
    }
}

extension StoreConformance {
    /// An endpoint's payload filter is stored with it, read back by every read (claims too), changed and cleared.
    static func payloadFilters(_ store: any HooklineStore) async throws {
        let app = Fixtures.application(at: t0)
        try await store.insertApplication(app)
        let filter = try PayloadFilter(
            json: .object([
                "and": .array([
                    .object(["path": .string("data.amount"), "gte": .integer(100)]),
                    .object([
                        "or": .array([
                            .object(["path": .string("type"), "in": .array([.string("a"), .string("b")])]),
                            .object(["not": .object(["path": .string("customer.vip"), "exists": .bool(true)])]),
                        ])
                    ]),
                ])
            ]))
        var endpoint = Fixtures.endpoint(app: app, at: t0)
        endpoint.payloadFilter = filter
        try await store.insertEndpoint(endpoint)
        try await expect(try await store.endpoint(appId: app.id, idOrUid: endpoint.id)?.payloadFilter == filter, "the filter is read back")
        try await expect(try await store.allEndpoints(appId: app.id).first?.payloadFilter == filter, "routing reads see the filter")
        let message = Fixtures.message(app: app, at: t0)
        _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0)])
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 10, leaseUntil: t0.addingTimeInterval(60)))
        try await expect(claimed.first?.endpoint?.payloadFilter == filter, "a claim carries the endpoint's filter")
        endpoint.payloadFilter = try PayloadFilter(json: .object(["path": .string("type"), "eq": .string("x")]))
        try await store.updateEndpoint(endpoint)
        try await expect(try await store.endpoint(appId: app.id, idOrUid: endpoint.id) == endpoint, "a changed filter is read back")
        endpoint.payloadFilter = nil
        try await store.updateEndpoint(endpoint)
        try await expect(try await store.allEndpoints(appId: app.id).first?.payloadFilter == nil, "a cleared filter is gone")
    }
}
