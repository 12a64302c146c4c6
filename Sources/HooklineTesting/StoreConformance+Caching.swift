import Foundation
import HooklineCore

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
