import Foundation
import HooklineCore

extension StoreConformance {
    /// The checks of the Svix parity operations.
    static let parityChecks: [Check] = [
        Check(name: "event type details, archive filter and expunge", run: eventTypeDetails),
        Check(name: "expunging content removes the bytes, cancels unfinished deliveries and logs events", run: expunge),
        Check(name: "messages routed to an endpoint with their delivery", run: endpointMessages),
    ]

    static func eventTypeDetails(_ store: any HooklineStore) async throws {
        var shown = EventType(name: "user.created", description: "made", archived: false, createdAt: t0, updatedAt: t0)
        shown.schemas = .object(["1": .object(["examples": .array([.object(["id": .integer(1)])])])])
        shown.deprecated = true
        shown.featureFlags = ["beta", "gamma"]
        shown.groupName = "user"
        try await store.upsertEventType(shown)
        try await store.upsertEventType(EventType(name: "user.gone", description: "", archived: true, createdAt: t0, updatedAt: t0))
        try await expect(try await store.eventType(named: "user.created") == shown, "every field round-trips")
        let visible = try await store.eventTypes(PageRequest(), includeArchived: false).items.map(\.name)
        let all = try await store.eventTypes(PageRequest(), includeArchived: true).items.map(\.name)
        try await expect(visible == ["user.created"] && all == ["user.created", "user.gone"], "archived listed only on request: \(visible) \(all)")
        try await expect(try await store.deleteEventType(named: "user.gone"), "expunge finds the type")
        try await expect(try await store.eventType(named: "user.gone") == nil, "expunged type is gone")
        try await expect(try await !store.deleteEventType(named: "user.gone"), "second expunge finds nothing")
    }

    static func expunge(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let other = Fixtures.endpoint(app: app, at: t0)
        try await store.insertEndpoint(other)
        let message = Fixtures.message(app: app, at: t0)
        _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id, other.id], deliverAt: t0)])
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 2, leaseUntil: t0.addingTimeInterval(30)))
        let done = try requireValue(claimed.first { $0.delivery.endpointId == endpoint.id }, "the endpoint's delivery is claimed")
        let attempt = Attempt(
            id: Identifier.make(.attempt, at: t0), messageId: message.id, endpointId: endpoint.id, appId: app.id, url: endpoint.url,
            responseStatusCode: 200, response: "secret answer", durationMs: 3, status: .success, trigger: .scheduled, timestamp: t0)
        try await store.completeDeliveries([DeliveryOutcome(claimed: done, attempt: attempt, next: .succeeded, now: t0)])
        try await expect(try await store.attempt(appId: app.id, messageId: message.id, id: attempt.id) == attempt, "attempt read by id")
        try await expect(try await store.attempt(appId: "app_other", messageId: message.id, id: attempt.id) == nil, "attempt scoped to its app")
        let before = try await store.eventLogBounds().lastId

        let now = t0.addingTimeInterval(5)
        try await expect(
            try await store.expungeAttemptContent(appId: app.id, messageId: message.id, attemptId: attempt.id, now: now), "attempt found")
        try await expect(try await store.attempt(appId: app.id, messageId: message.id, id: attempt.id)?.response == "", "response body removed")
        try await expect(try await store.expungeMessageContent(appId: app.id, messageId: message.id, now: now), "message found")
        try await expect(try await store.message(appId: app.id, id: message.id)?.payload.isEmpty == true, "payload bytes removed")
        let states = Dictionary(uniqueKeysWithValues: try await store.deliveries(messageId: message.id).map { ($0.endpointId, $0.state) })
        try await expect(states[endpoint.id] == .succeeded && states[other.id] == .canceled, "finished kept, unfinished canceled: \(states)")
        let stale = try requireValue(claimed.first { $0.delivery.endpointId == other.id }, "the other delivery was claimed")
        try await store.completeDeliveries([DeliveryOutcome(claimed: stale, attempt: attempt.retried(to: other), next: .succeeded, now: now)])
        try await expect(
            try await store.deliveries(messageId: message.id).first { $0.endpointId == other.id }?.state == .canceled,
            "an in-flight completion cannot undo the cancel")
        let kinds = try await store.events(after: before, limit: 20).map(\.draft.kind)
        try await expect(Array(kinds.prefix(3)) == [.attemptExpunged, .messageExpunged, .deliveryCanceled], "events follow the changes: \(kinds)")
        try await expect(try await !store.expungeMessageContent(appId: app.id, messageId: "msg_missing", now: now), "unknown message")
        try await expect(
            try await !store.expungeAttemptContent(appId: app.id, messageId: message.id, attemptId: "atmpt_x", now: now), "unknown attempt")
    }

    static func endpointMessages(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let other = Fixtures.endpoint(app: app, at: t0)
        try await store.insertEndpoint(other)
        var sent: [Message] = []
        for index in 0..<3 {
            let message = Fixtures.message(app: app, at: t0.addingTimeInterval(Double(index)))
            sent.append(message)
            _ = try await store.insertMessages([
                NewMessage(message: message, endpointIds: index == 1 ? [other.id] : [endpoint.id, other.id], deliverAt: t0)
            ])
        }
        let page = try await store.endpointMessages(MessageQuery(appId: app.id, page: PageRequest(limit: 1)), endpointId: endpoint.id)
        try await expect(page.items.map(\.message.id) == [sent[2].id] && !page.done, "newest first, paged")
        let next = try await store.endpointMessages(
            MessageQuery(appId: app.id, page: PageRequest(limit: 5, iterator: page.iterator)), endpointId: endpoint.id)
        try await expect(next.items.map(\.message.id) == [sent[0].id] && next.done, "a message not routed to the endpoint is left out")
        try await expect(
            next.items.allSatisfy { $0.delivery.endpointId == endpoint.id && $0.delivery.state == .pending }, "each with its own delivery")
        let failed = try await store.endpointMessages(MessageQuery(appId: app.id, deliveryState: .failed), endpointId: endpoint.id)
        try await expect(failed.items.isEmpty, "state filter applies to the endpoint's delivery")
    }

    private static func requireValue<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw ConformanceFailure(description: what) }
        return value
    }
}

extension Attempt {
    /// This attempt as if made to `endpoint` (a second attempt in a conformance check).
    fileprivate func retried(to endpoint: Endpoint) -> Attempt {
        var attempt = self
        attempt.id = Identifier.make(.attempt, at: timestamp.addingTimeInterval(1))
        attempt.endpointId = endpoint.id
        return attempt
    }
}
