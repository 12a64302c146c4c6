import Foundation
import HooklineCore

extension StoreConformance {
    /// A mixed batch behaves like committing its messages one by one: duplicates (the first of the batch wins,
    /// a message already stored wins over the batch), list columns, skipped rows, leases and events.
    static func mixedIngestBatch(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let other = Fixtures.endpoint(app: app, at: t0.addingTimeInterval(1))
        try await store.insertEndpoint(other)
        let off = Fixtures.endpoint(app: app, at: t0.addingTimeInterval(2))
        try await store.insertEndpoint(off)
        let stored = Fixtures.message(app: app, eventId: "evt-old", at: t0)
        _ = try await store.insertMessages([NewMessage(message: stored, endpointIds: [endpoint.id], deliverAt: t0)])
        let eventsBefore = try await store.events(after: 0, limit: 1000).count

        var listed = Fixtures.message(app: app, eventId: "evt-new", at: t0)
        listed.channels = ["orders", "eu"]
        listed.tags = []
        let repeatOfStored = Fixtures.message(app: app, eventId: "evt-old", at: t0)
        let repeatOfListed = Fixtures.message(app: app, eventId: "evt-new", at: t0)
        var plain = Fixtures.message(app: app, at: t0)
        plain.tags = ["a"]
        plain.contentType = "application/cloudevents+json"
        plain.correlationId = "wf-7"
        plain.priority = 8
        let secondRepeat = Fixtures.message(app: app, eventId: "evt-old", at: t0)
        let both = [endpoint.id, other.id]
        let until = t0.addingTimeInterval(60)
        let result = try await store.insertMessages(
            [
                NewMessage(message: listed, endpointIds: both, deliverAt: t0, skippedEndpointIds: [off.id]),
                NewMessage(message: repeatOfStored, endpointIds: both, deliverAt: t0),
                NewMessage(message: repeatOfListed, endpointIds: both, deliverAt: t0),
                NewMessage(message: plain, endpointIds: both, deliverAt: t0),
                NewMessage(message: secondRepeat, endpointIds: [endpoint.id], deliverAt: t0),
            ],
            lease: CommitLease(until: until, picks: [[1], [0, 1], [0], [0, 1], [0]]))
        let expected: [InsertOutcome] = [
            .inserted, .duplicateEventId(existingId: stored.id), .duplicateEventId(existingId: listed.id), .inserted,
            .duplicateEventId(existingId: stored.id),
        ]
        try await expect(result.outcomes == expected, "first of the batch or the stored message wins, got \(result.outcomes)")
        for message in [repeatOfStored, repeatOfListed, secondRepeat] {
            try await expect(try await store.message(appId: app.id, id: message.id) == nil, "a duplicate is not written")
        }
        try await expect(try await store.message(appId: app.id, id: listed.id) == listed, "channels and empty tags read back")
        try await expect(
            try await store.message(appId: app.id, id: plain.id) == plain, "no channels, one tag, content type, correlation id and priority read back"
        )

        let listedRows = try await store.deliveries(messageId: listed.id)
        let plainRows = try await store.deliveries(messageId: plain.id)
        try await expect(listedRows.count == 3 && plainRows.count == 2, "two active rows each, one skipped")
        try await expect(listedRows.first { $0.endpointId == off.id }?.state == .skipped, "the disabled endpoint's row is skipped")
        // A store that cannot lease at commit (the protocol's default) leases none of the picks.
        if !result.leased.isEmpty {
            try await expect(
                result.leased.map { [$0.item, $0.endpointIndex] } == [[0, 1], [3, 0], [3, 1]],
                "only inserted messages' picks are leased, in batch order, got \(result.leased)")
            for row in result.leased {
                let message = row.item == 0 ? listed : plain
                let rows = row.item == 0 ? listedRows : plainRows
                let held = rows.first { $0.id == row.deliveryId }
                try await expect(
                    held?.endpointId == both[row.endpointIndex] && held?.messageId == message.id && held?.state == .sending
                        && held?.nextAttemptAt == until, "leased row \(row) is the picked one, sending until the lease ends")
            }
        }
        let pending = (listedRows + plainRows).filter { $0.state == .pending }
        try await expect(pending.count == 4 - result.leased.count, "the rows not leased are pending")
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 20, leaseUntil: until))
        try await expect(
            Set(claimed.map(\.delivery.id)) == Set(pending.map(\.id)).union(try await store.deliveries(messageId: stored.id).map(\.id)),
            "a claim takes the pending rows only")
        let created = try await store.events(after: 0, limit: 1000).dropFirst(eventsBefore).filter { $0.kind == .messageCreated }
        try await expect(created.map(\.draft.messageId) == [listed.id, plain.id], "one message.created event per inserted message, in order")
        try await onlyDuplicates(store, app: app, endpoint: endpoint, owners: ["evt-old": stored.id, "evt-new": listed.id])
    }

    /// A batch of duplicates only (one repeated within the batch) writes nothing and leases nothing.
    private static func onlyDuplicates(_ store: any HooklineStore, app: Application, endpoint: Endpoint, owners: [String: String]) async throws {
        let eventsBefore = try await store.events(after: 0, limit: 1000).count
        let eventIds = ["evt-new", "evt-old", "evt-new"]
        let batch = eventIds.map { eventId in
            NewMessage(message: Fixtures.message(app: app, eventId: eventId, at: t0), endpointIds: [endpoint.id], deliverAt: t0)
        }
        let result = try await store.insertMessages(batch, lease: CommitLease(until: t0.addingTimeInterval(60), picks: [[0], [0], [0]]))
        try await expect(
            result.outcomes == eventIds.map { .duplicateEventId(existingId: owners[$0] ?? "") } && result.leased.isEmpty,
            "every message is a duplicate of the stored one and nothing is leased, got \(result.outcomes)")
        try await expect(try await store.events(after: 0, limit: 1000).count == eventsBefore, "no event for duplicates")
    }
}

extension StoreConformance {
    /// The checks of leasing fresh rows in the insert transaction (claim at commit).
    static let commitLeaseChecks: [Check] = [
        Check(name: "rows leased at commit are held until the lease lapses", run: commitLease),
        Check(name: "a mixed batch commits like one message at a time", run: mixedIngestBatch),
    ]

    /// A store either leases the picked rows (sending, claim token 1, unclaimable until the lease ends, then
    /// claimable again) and completes them with that token, or — the protocol's default — leases none.
    static func commitLease(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let other = Fixtures.endpoint(app: app, at: t0)
        try await store.insertEndpoint(other)
        let leased = Fixtures.message(app: app, at: t0)
        let plain = Fixtures.message(app: app, at: t0)
        let until = t0.addingTimeInterval(60)
        let result = try await store.insertMessages(
            [
                NewMessage(message: leased, endpointIds: [endpoint.id, other.id], deliverAt: t0),
                NewMessage(message: plain, endpointIds: [endpoint.id], deliverAt: t0),
            ],
            lease: CommitLease(until: until, picks: [[1], []]))
        try await expect(result.outcomes == [.inserted, .inserted], "both messages inserted")
        guard let row = result.leased.first else {
            try await expect(result.leased.isEmpty, "a store that cannot lease at commit leases nothing")
            return
        }
        try await expect(result.leased.count == 1 && row.item == 0 && row.endpointIndex == 1, "only the picked row is leased")
        let rows = try await store.deliveries(messageId: leased.id)
        guard let held = rows.first(where: { $0.id == row.deliveryId }) else { throw ConformanceFailure(description: "the leased row exists") }
        try await expect(held.endpointId == other.id && held.state == .sending && held.nextAttemptAt == until, "leased until \(until)")
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 10, leaseUntil: t0.addingTimeInterval(600)))
        try await expect(
            Set(claimed.map(\.message.id)) == [leased.id, plain.id] && !claimed.contains { $0.delivery.id == row.deliveryId },
            "a claim takes the unleased rows only")
        let lapsed = try await store.claimDeliveries(ClaimRequest(now: until, limit: 10, leaseUntil: until.addingTimeInterval(30)))
        try await expect(lapsed.map(\.delivery.id) == [row.deliveryId] && lapsed[0].claimToken == 2, "a lapsed lease is claimed anew")
        // The hand-off's copy (token 1) is now stale: its completion records the attempt and moves nothing.
        var handed = lapsed[0]
        handed.claimToken = 1
        let attempt = Fixtures.attempt(for: handed, status: .success, code: 200, at: until)
        try await store.completeDeliveries([DeliveryOutcome(claimed: handed, attempt: attempt, next: .succeeded, now: until)])
        let after = try await store.deliveries(messageId: leased.id).first { $0.id == row.deliveryId }
        try await expect(after?.state == .sending, "a stale token does not move the row")
    }
}

extension StoreConformance {
    /// Reads used by routing see every committed change at once, however the store caches them.
    static func routingReadsAreFresh(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        try await expect(try await store.allEndpoints(appId: app.id).map(\.id) == [endpoint.id], "first read")
        var changed = endpoint
        changed.disabled = true
        try await store.updateEndpoint(changed)
        try await expect(try await store.allEndpoints(appId: app.id).first?.disabled == true, "an update is seen by the next read")
        let second = Fixtures.endpoint(app: app, at: t0.addingTimeInterval(1))
        try await store.insertEndpoint(second)
        try await expect(try await store.allEndpoints(appId: app.id).count == 2, "an insert is seen by the next read")
        try await store.deleteEndpoint(appId: app.id, id: second.id, now: t0)
        try await expect(try await store.allEndpoints(appId: app.id).count == 1, "a delete is seen by the next read")
        var renamed = try await store.application(app.id)!
        renamed.throttleRate = 7
        try await store.updateApplication(renamed)
        try await expect(try await store.application(app.id)?.throttleRate == 7, "an application update is seen by the next read")
        try await store.deleteApplication(id: app.id)
        try await expect(try await store.application(app.id) == nil, "a deleted application is gone")
        try await expect(try await store.allEndpoints(appId: app.id).isEmpty, "its endpoints are gone")
    }
}

extension StoreConformance {
    /// A claim hands each delivery its endpoint and its application's throttle (none when the application has none).
    static func claimCarriesEndpointAndThrottle(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let plain = Fixtures.application(at: t0.addingTimeInterval(1))
        try await store.insertApplication(plain)
        let plainEndpoint = Fixtures.endpoint(app: plain, at: t0.addingTimeInterval(1))
        try await store.insertEndpoint(plainEndpoint)
        var throttled = try await store.application(app.id)!
        throttled.throttleRate = 7
        try await store.updateApplication(throttled)
        let messages = [Fixtures.message(app: throttled, at: t0), Fixtures.message(app: plain, at: t0)]
        _ = try await store.insertMessages([
            NewMessage(message: messages[0], endpointIds: [endpoint.id], deliverAt: t0),
            NewMessage(message: messages[1], endpointIds: [plainEndpoint.id], deliverAt: t0),
        ])
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 10, leaseUntil: t0.addingTimeInterval(60)))
        let byMessage = Dictionary(uniqueKeysWithValues: claimed.map { ($0.message.id, $0) })
        try await expect(byMessage.count == 2, "both deliveries claimed, got \(claimed.count)")
        try await expect(byMessage[messages[0].id]?.endpoint?.id == endpoint.id, "the throttled application's delivery has its endpoint")
        try await expect(byMessage[messages[0].id]?.applicationThrottleRate == 7, "and its application's throttle")
        try await expect(byMessage[messages[1].id]?.endpoint?.id == plainEndpoint.id, "the other delivery has its endpoint")
        try await expect(byMessage[messages[1].id]?.applicationThrottleRate == nil, "and no throttle")
    }
}
