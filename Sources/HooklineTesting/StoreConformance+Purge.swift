import Foundation
import HooklineCore

extension StoreConformance {
    /// The checks of deleting expired history.
    static let purgeChecks: [Check] = [
        Check(name: "message purge deletes only expired, finished messages with their rows", run: messagePurge)
    ]

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
