import Foundation

extension Gateway {
    /// The circuit state, recent failures and load `governor` (this node's) holds for an endpoint.
    public func endpointHealth(appIdOrUid: String, _ idOrUid: String, governor: EndpointGovernor) async throws -> EndpointHealth {
        let application = try await application(appIdOrUid)
        guard let endpoint = try await store.endpoint(appId: application.id, idOrUid: idOrUid) else {
            throw HooklineError.notFound("endpoint")
        }
        return governor.health(
            endpointId: endpoint.id, throttleRate: endpoint.throttleRate ?? application.throttleRate, now: clock.now())
    }
}
