import Foundation
import HooklineCore

/// The behaviour every `HooklineStore` must show; each check runs against a fresh, empty store.
package enum StoreConformance {
    /// A named check.
    package struct Check: Sendable, CustomStringConvertible {
        /// The check's name.
        package let name: String
        /// Runs the check; throws `ConformanceFailure` when the store misbehaves.
        package let run: @Sendable (any HooklineStore) async throws -> Void
        /// The name.
        package var description: String { name }
    }

    /// Every check.
    package static let checks: [Check] =
        coreChecks + disableChecks + completionChecks + commitLeaseChecks + portalTokenChecks + parityChecks + purgeChecks

    /// The checks of the core behaviour.
    static let coreChecks: [Check] = [
        Check(name: "applications", run: applications),
        Check(name: "endpoints", run: endpoints),
        Check(name: "messages and event ids", run: messages),
        Check(name: "claim respects due time, limit and lease", run: claiming),
        Check(name: "completion moves state and records attempts", run: completion),
        Check(name: "stale completion changes nothing", run: staleCompletion),
        Check(name: "deleting an endpoint cancels its deliveries", run: endpointDeletion),
        Check(name: "message filters and paging both ways", run: listFilters),
        Check(name: "attempt filters", run: attemptFilters),
        Check(name: "idempotency records expire", run: idempotency),
        Check(name: "rotated secrets are kept until they expire", run: rotatedSecrets),
        Check(name: "resend, recover and delivery counts", run: resendAndRecover),
        Check(name: "background tasks", run: tasks),
        Check(name: "retention purges finished payloads and old bodies", run: retention),
        Check(name: "queue depth by state", run: queueDepth),
        Check(name: "routing reads see every committed change", run: routingReadsAreFresh),
        Check(name: "a claimed delivery carries its endpoint and its application's throttle", run: claimCarriesEndpointAndThrottle),
        Check(name: "event log follows state changes", run: eventLog),
        Check(name: "event retention and statistics", run: eventRetentionAndStatistics),
        Check(name: "the event log tells pruned ids from ids never committed", run: eventPruneWatermark),
        Check(name: "inbound sources", run: sources),
        Check(name: "inbound requests: dedup window, routing, replay", run: inboundRequests),
        Check(name: "cluster leases", run: clusterLeases),
        Check(name: "priority order without starvation", run: priorityOrdering),
        Check(name: "ordered endpoint: one at a time, in order, blocked by a retrying head", run: orderedEndpoint),
        Check(name: "fair claiming across endpoints", run: fairClaiming),
        Check(name: "payload filters round-trip", run: payloadFilters),
    ]

    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func applications(_ store: any HooklineStore) async throws {
        let first = Fixtures.application(uid: "acme", at: t0)
        try await store.insertApplication(first)
        try await expect(try await store.application(first.id) == first, "read by id")
        try await expect(try await store.application("acme") == first, "read by uid")
        try await expectConflict { try await store.insertApplication(Fixtures.application(uid: "acme", at: t0)) }
        for index in 0..<4 {
            try await store.insertApplication(Fixtures.application(uid: "app-\(index)", at: t0.addingTimeInterval(Double(index + 1))))
        }
        var seen: [String] = []
        var iterator: String?
        repeat {
            let page = try await store.applications(PageRequest(limit: 2, iterator: iterator))
            seen += page.items.map(\.id)
            iterator = page.iterator
            if page.done { break }
        } while true
        try await expect(seen.count == 5 && Set(seen).count == 5, "pagination sees every application once, saw \(seen.count)")
        try await expect(seen == seen.sorted(by: >), "applications are listed newest first")
        try await store.deleteApplication(id: first.id)
        try await expect(try await store.application(first.id) == nil, "deleted application is gone")
    }

    static func endpoints(_ store: any HooklineStore) async throws {
        let app = Fixtures.application(at: t0)
        try await store.insertApplication(app)
        var endpoint = Fixtures.endpoint(app: app, uid: "primary", at: t0)
        try await store.insertEndpoint(endpoint)
        try await expect(try await store.endpoint(appId: app.id, idOrUid: "primary") == endpoint, "read by uid")
        try await expectConflict { try await store.insertEndpoint(Fixtures.endpoint(app: app, uid: "primary", at: t0)) }
        endpoint.url = "http://127.0.0.1:9/changed"
        endpoint.eventTypes = ["a.b"]
        try await store.updateEndpoint(endpoint)
        try await expect(try await store.endpoint(appId: app.id, idOrUid: endpoint.id) == endpoint, "update is read back")
        try await expect(try await store.allEndpoints(appId: app.id).count == 1, "one endpoint listed")
        try await expect(try await store.endpoints(appId: app.id, page: PageRequest()).items.map(\.id) == [endpoint.id], "page lists it")
    }

    static func messages(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let first = Fixtures.message(app: app, eventId: "evt-1", at: t0)
        let duplicate = Fixtures.message(app: app, eventId: "evt-1", at: t0)
        let outcomes = try await store.insertMessages([
            NewMessage(message: first, endpointIds: [endpoint.id], deliverAt: t0),
            NewMessage(message: duplicate, endpointIds: [endpoint.id], deliverAt: t0),
        ])
        try await expect(outcomes == [.inserted, .duplicateEventId(existingId: first.id)], "duplicate event id in one batch, got \(outcomes)")
        try await expect(try await store.message(appId: app.id, id: first.id) == first, "message read back byte for byte")
        try await expect(try await store.message(appId: app.id, id: "evt-1") == first, "message read by its event id")
        try await expect(try await store.message(appId: app.id, id: duplicate.id) == nil, "rejected message not written")
        let deliveries = try await store.deliveries(messageId: first.id)
        try await expect(deliveries.count == 1 && deliveries[0].state == .pending && deliveries[0].attempts == 0, "one pending delivery")
        try await expect(try await store.nextDueTime() == t0, "next due time is the delivery's")
    }

    static func claiming(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        for index in 0..<3 {
            let message = Fixtures.message(app: app, at: t0.addingTimeInterval(Double(index)))
            _ = try await store.insertMessages([
                NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0.addingTimeInterval(Double(index * 10)))
            ])
        }
        let lease = t0.addingTimeInterval(5)
        let first = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 10, leaseUntil: lease))
        try await expect(first.count == 1, "only the due delivery is claimed, got \(first.count)")
        try await expect(first[0].endpoint?.id == endpoint.id && first[0].message.appId == app.id, "claim carries message and endpoint")
        let again = try await store.claimDeliveries(ClaimRequest(now: t0.addingTimeInterval(1), limit: 10, leaseUntil: lease))
        try await expect(again.isEmpty, "a leased delivery is not claimed again before its lease expires")
        let later = try await store.claimDeliveries(ClaimRequest(now: t0.addingTimeInterval(25), limit: 2, leaseUntil: t0.addingTimeInterval(60)))
        try await expect(later.count == 2, "the limit caps a claim, got \(later.count)")
        try await expect(later.contains { $0.delivery.id == first[0].delivery.id }, "an expired lease makes the delivery claimable")
        let reclaimed = later.first { $0.delivery.id == first[0].delivery.id }!
        try await expect(reclaimed.claimToken != first[0].claimToken, "a new claim gets a new token")
    }

    static func completion(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let message = Fixtures.message(app: app, at: t0)
        _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0)])
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 1, leaseUntil: t0.addingTimeInterval(30)))[0]
        let retryAt = t0.addingTimeInterval(5)
        let failed = Fixtures.attempt(for: claimed, status: .fail, code: 500, at: t0)
        try await store.completeDeliveries([DeliveryOutcome(claimed: claimed, attempt: failed, next: .retry(at: retryAt), now: t0)])
        var delivery = try await store.deliveries(messageId: message.id)[0]
        try await expect(
            delivery.state == .pending && delivery.attempts == 1 && delivery.nextAttemptAt == retryAt, "retry is scheduled, got \(delivery)")
        let second = try await store.claimDeliveries(ClaimRequest(now: retryAt, limit: 1, leaseUntil: retryAt.addingTimeInterval(30)))[0]
        let succeeded = Fixtures.attempt(for: second, status: .success, code: 200, at: retryAt.addingTimeInterval(0.001))
        try await store.completeDeliveries([DeliveryOutcome(claimed: second, attempt: succeeded, next: .succeeded, now: retryAt)])
        delivery = try await store.deliveries(messageId: message.id)[0]
        try await expect(delivery.state == .succeeded && delivery.attempts == 2, "delivery succeeded after two attempts, got \(delivery)")
        let byMessage = try await store.attempts(AttemptQuery(appId: app.id, messageId: message.id))
        try await expect(byMessage.items.map(\.id) == [succeeded.id, failed.id], "attempts by message, newest first")
        let byEndpoint = try await store.attempts(AttemptQuery(appId: app.id, endpointId: endpoint.id, status: .fail))
        try await expect(byEndpoint.items.map(\.id) == [failed.id], "attempts by endpoint filtered by status")
        try await expect(try await store.nextDueTime() == nil, "nothing is due once delivered")
    }

    static func staleCompletion(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let message = Fixtures.message(app: app, at: t0)
        _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0)])
        let stale = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 1, leaseUntil: t0.addingTimeInterval(1)))[0]
        let fresh = try await store.claimDeliveries(ClaimRequest(now: t0.addingTimeInterval(2), limit: 1, leaseUntil: t0.addingTimeInterval(60)))[0]
        try await store.completeDeliveries([DeliveryOutcome(claimed: stale, attempt: nil, next: .failed, now: t0)])
        let delivery = try await store.deliveries(messageId: message.id)[0]
        try await expect(delivery.state == .sending, "a stale lease cannot move the delivery, got \(delivery.state)")
        try await store.completeDeliveries([DeliveryOutcome(claimed: fresh, attempt: nil, next: .succeeded, now: t0)])
        try await expect(try await store.deliveries(messageId: message.id)[0].state == .succeeded, "the current lease completes it")
    }

    static func endpointDeletion(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let message = Fixtures.message(app: app, at: t0)
        _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0)])
        try await store.deleteEndpoint(appId: app.id, id: endpoint.id, now: t0)
        try await expect(try await store.endpoint(appId: app.id, idOrUid: endpoint.id) == nil, "endpoint deleted")
        try await expect(try await store.deliveries(messageId: message.id)[0].state == .canceled, "its delivery is canceled")
        try await expect(try await store.claimDeliveries(ClaimRequest(now: t0, limit: 5, leaseUntil: t0)).isEmpty, "nothing left to claim")
    }

    static func seed(_ store: any HooklineStore) async throws -> (Application, Endpoint) {
        let app = Fixtures.application(at: t0)
        try await store.insertApplication(app)
        let endpoint = Fixtures.endpoint(app: app, at: t0)
        try await store.insertEndpoint(endpoint)
        return (app, endpoint)
    }
}

/// A conformance check that did not hold.
package struct ConformanceFailure: Error, CustomStringConvertible {
    /// What was expected.
    package var description: String

    /// Creates a failure describing what was expected.
    package init(description: String) {
        self.description = description
    }
}

func expect(_ condition: @autoclosure () async throws -> Bool, _ what: String) async throws {
    guard try await condition() else { throw ConformanceFailure(description: what) }
}

func expectConflict(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as HooklineError where error.code == .conflict {
        return
    }
    throw ConformanceFailure(description: "expected a conflict error")
}
