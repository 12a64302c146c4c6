import Foundation
import HooklineCore

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
