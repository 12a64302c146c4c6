import Foundation
import HooklineCore

extension StoreConformance {
    /// The checks of deleting expired history.
    static let purgeChecks: [Check] = [
        Check(name: "message purge deletes only expired, finished messages with their rows", run: messagePurge),
        Check(name: "inbound purge deletes only expired, finished requests and their expired keys", run: inboundPurge),
    ]

    /// Inbound requests received before the cutoff go unless pending, oldest first and at most `limit` per call, with their
    /// dedup keys once expired; a recent or pending request stays, and so does a key whose window outlives the cutoff.
    static func inboundPurge(_ store: any HooklineStore) async throws {
        let (app, _) = try await seed(store)
        let src = source(app: app, at: t0)
        try await store.insertSource(src)
        let routed = inboundRecord(src, key: "k-1", at: t0)
        var rejected = inboundRecord(src, key: "k-2", at: t0.addingTimeInterval(1))
        rejected.status = .rejected
        let pending = inboundRecord(src, key: nil, at: t0.addingTimeInterval(2))
        let failed = inboundRecord(src, key: "k-3", at: t0.addingTimeInterval(3), window: 10_000)
        let recent = inboundRecord(src, key: "k-4", at: t0.addingTimeInterval(1000))
        _ = try await store.insertInboundRequests([routed, rejected, pending, failed, recent])
        try await store.routeInboundRequests([
            .routed(routed.id, as: NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [], deliverAt: t0), now: t0),
            .failed(failed.id, reason: "application not found", now: t0), .failed(recent.id, reason: "application not found", now: t0),
        ])
        let cutoff = t0.addingTimeInterval(100)
        let preview = try await store.historyCandidates(before: cutoff)
        try await expect(preview.inboundRequests == 3, "the dry run counts the three to delete, got \(preview)")
        try await expect(try await store.purgeInboundRequests(before: cutoff, limit: 1) == 1, "a batch stops at its limit")
        try await expect(try await store.inboundRequest(sourceId: src.id, id: routed.id) == nil, "the oldest finished request goes first")
        try await expect(try await store.purgeInboundRequests(before: cutoff, limit: 5) == 2, "the next batch takes the other finished ones")
        try await expect(try await store.purgeInboundRequests(before: cutoff, limit: 5) == 0, "nothing left to purge")
        for gone in [rejected, failed] {
            try await expect(try await store.inboundRequest(sourceId: src.id, id: gone.id) == nil, "expired request \(gone.id) deleted")
        }
        for kept in [pending, recent] {
            try await expect(try await store.inboundRequest(sourceId: src.id, id: kept.id)?.body == kept.body, "request \(kept.id) kept whole")
        }
        // The expired key is free again; the key whose window outlives the cutoff still marks a repeat as a duplicate.
        let afterCutoff = t0.addingTimeInterval(200)
        let reused = inboundRecord(src, key: "k-1", at: afterCutoff)
        let repeatOfFailed = inboundRecord(src, key: "k-3", at: afterCutoff)
        let outcomes = try await store.insertInboundRequests([reused, repeatOfFailed])
        try await expect(outcomes == [.inserted, .duplicate(of: failed.id)], "expired keys go, live ones stay; got \(outcomes)")
    }

    /// Expired messages whose deliveries are all finished go with their deliveries and attempts, oldest first and at
    /// most `limit` per call; a pending, in-flight or retrying delivery keeps its message, and so does being recent.
    static func messagePurge(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        func message(_ offset: TimeInterval) -> Message { Fixtures.message(app: app, at: t0.addingTimeInterval(offset)) }
        let succeeded = message(0)
        let failed = message(1)
        let inFlight = message(2)
        let retrying = message(3)
        let pending = message(4)
        let unrouted = message(5)
        let skipped = message(6)
        let atCutoff = message(100)
        let recent = message(1000)
        let due = t0.addingTimeInterval(10)
        _ = try await store.insertMessages(
            [succeeded, failed, inFlight, retrying].map { NewMessage(message: $0, endpointIds: [endpoint.id], deliverAt: due) } + [
                NewMessage(message: pending, endpointIds: [endpoint.id], deliverAt: t0.addingTimeInterval(5000)),
                NewMessage(message: unrouted, endpointIds: [], deliverAt: t0),
                NewMessage(message: skipped, endpointIds: [], deliverAt: t0, skippedEndpointIds: [endpoint.id]),
                NewMessage(message: atCutoff, endpointIds: [], deliverAt: t0),
                NewMessage(message: recent, endpointIds: [], deliverAt: t0),
            ])
        let claims = try await store.claimDeliveries(ClaimRequest(now: due, limit: 10, leaseUntil: due.addingTimeInterval(3600)))
        let claimed = Dictionary(uniqueKeysWithValues: claims.map { ($0.message.id, $0) })
        try await expect(Set(claimed.keys) == Set([succeeded, failed, inFlight, retrying].map(\.id)), "the four due deliveries claimed")
        func outcome(_ message: Message, _ status: AttemptStatus, _ code: Int, _ next: DeliveryOutcome.Next) throws -> DeliveryOutcome {
            guard let claim = claimed[message.id] else { throw ConformanceFailure(description: "no claim for \(message.id)") }
            return DeliveryOutcome(claimed: claim, attempt: Fixtures.attempt(for: claim, status: status, code: code, at: due), next: next, now: due)
        }
        try await store.completeDeliveries([
            try outcome(succeeded, .success, 200, .succeeded), try outcome(failed, .fail, 500, .failed),
            try outcome(retrying, .fail, 500, .retry(at: t0.addingTimeInterval(4000))),
        ])

        let cutoff = t0.addingTimeInterval(100)
        let preview = try await store.historyCandidates(before: cutoff)
        try await expect(preview.messages == 4 && preview.inboundRequests == 0, "the dry run counts the four to delete, got \(preview)")
        try await expect(try await store.purgeMessages(before: cutoff, limit: 2) == 2, "a batch stops at its limit")
        try await expect(try await store.message(appId: app.id, id: succeeded.id) == nil, "the oldest expired message goes first")
        try await expect(try await store.message(appId: app.id, id: failed.id) == nil, "a dead-lettered message goes")
        try await expect(try await store.message(appId: app.id, id: unrouted.id) != nil, "a later expired message waits for the next batch")
        try await expect(try await store.purgeMessages(before: cutoff, limit: 2) == 2, "the next batch takes the rest")
        try await expect(try await store.purgeMessages(before: cutoff, limit: 2) == 0, "nothing left to purge")

        for gone in [succeeded, failed, unrouted, skipped] {
            try await expect(try await store.message(appId: app.id, id: gone.id) == nil, "expired message \(gone.id) deleted")
            try await expect(try await store.deliveries(messageId: gone.id).isEmpty, "its delivery rows deleted")
            try await expect(
                try await store.attempts(AttemptQuery(appId: app.id, messageId: gone.id)).items.isEmpty, "its attempts deleted")
        }
        for kept in [inFlight, retrying, pending, atCutoff, recent] {
            try await expect(try await store.message(appId: app.id, id: kept.id)?.payload == kept.payload, "message \(kept.id) kept whole")
        }
        for active in [inFlight, retrying, pending] {
            try await expect(try await store.deliveries(messageId: active.id).map(\.state.isActive) == [true], "its active delivery kept")
        }
        try await expect(
            try await store.attempts(AttemptQuery(appId: app.id, messageId: retrying.id)).items.count == 1, "a retrying message keeps its attempt")
    }
}
