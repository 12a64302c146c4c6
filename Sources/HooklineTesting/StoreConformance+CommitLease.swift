import Foundation
import HooklineCore

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
