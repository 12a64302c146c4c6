import Foundation
import HooklineCore

extension StoreConformance {
    static func retention(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let old = Fixtures.message(app: app, at: t0)
        let pendingOld = Fixtures.message(app: app, at: t0.addingTimeInterval(1))
        let recent = Fixtures.message(app: app, at: t0.addingTimeInterval(1000))
        _ = try await store.insertMessages([
            NewMessage(message: old, endpointIds: [endpoint.id], deliverAt: t0),
            NewMessage(message: pendingOld, endpointIds: [endpoint.id], deliverAt: t0.addingTimeInterval(500)),
            NewMessage(message: recent, endpointIds: [endpoint.id], deliverAt: t0.addingTimeInterval(1000)),
        ])
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 1, leaseUntil: t0.addingTimeInterval(30)))[0]
        let attempt = Attempt(
            id: Identifier.make(.attempt, at: t0), messageId: old.id, endpointId: endpoint.id, appId: app.id, url: endpoint.url,
            responseStatusCode: 200, response: "thanks", durationMs: 3, status: .success, trigger: .scheduled, timestamp: t0)
        try await store.completeDeliveries([DeliveryOutcome(claimed: claimed, attempt: attempt, next: .succeeded, now: t0)])

        let cutoff = t0.addingTimeInterval(100)
        let preview = try await store.retentionCandidates(cutoff: cutoff)
        try await expect(
            preview == RetentionSummary(payloads: 1, payloadBytes: old.payload.count, responses: 1),
            "dry run counts only finished, old rows, got \(preview)")
        try await expect(try await store.purgePayloads(createdBefore: cutoff, limit: 10, now: cutoff) == 1, "one payload purged")
        try await expect(try await store.purgeAttemptResponses(before: cutoff, limit: 10) == 1, "one response purged")
        try await expect(try await store.purgePayloads(createdBefore: cutoff, limit: 10, now: cutoff) == 0, "purge is idempotent")
        try await expect(try await store.message(appId: app.id, id: old.id)?.payload.isEmpty == true, "old payload emptied, row kept")
        try await expect(try await store.message(appId: app.id, id: pendingOld.id)?.payload == pendingOld.payload, "unfinished message untouched")
        try await expect(try await store.message(appId: app.id, id: recent.id)?.payload == recent.payload, "recent message untouched")
        let attempts = try await store.attempts(AttemptQuery(appId: app.id, messageId: old.id))
        try await expect(attempts.items.map(\.response) == [""] && attempts.items.first?.responseStatusCode == 200, "attempt kept without its body")
    }

    static func queueDepth(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        for offset in [0.0, 0.0, 60.0] {
            let message = Fixtures.message(app: app, at: t0)
            _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0.addingTimeInterval(offset))])
        }
        _ = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 1, leaseUntil: t0.addingTimeInterval(30)))
        let depth = try await store.queueDepth(now: t0)
        try await expect(depth == QueueDepth(due: 1, scheduled: 1, inFlight: 1), "one due, one scheduled, one in flight, got \(depth)")
    }
}
