import HooklineCore
import Hummingbird

/// Secret rotation, delivery headers, resend, recover, stats and background tasks.
struct ManagementRoutes<Store: HooklineStore, Clock: HooklineClock> {
    /// The gateway and edge limits.
    let routes: RouteContext<Store, Clock>

    /// Adds the routes to `group` (`/api/v1`).
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("app/{app_id}/endpoint/{endpoint_id}/secret/rotate") { request, context in
            var request = request
            let body = try await request.decodeJSON(SecretRotateIn.self, limit: routes.maxBodyBytes, allowEmpty: true)
            let endpoint = try await routes.gateway.rotateSecret(
                appIdOrUid: try context.parameters.path("app_id"), try context.parameters.path("endpoint_id"), key: body?.key,
                gracePeriod: body?.gracePeriodSeconds.map { .seconds($0) })
            return try JSONCoding.response(.ok, EndpointSecretOut(key: endpoint.secret.encoded))
        }
        group.get("app/{app_id}/endpoint/{endpoint_id}/headers") { _, context in
            let endpoint = try await routes.gateway.endpoint(
                appIdOrUid: try context.parameters.path("app_id"), try context.parameters.path("endpoint_id"))
            return try JSONCoding.response(.ok, EndpointHeadersOut(headers: endpoint.headers, sensitive: []))
        }
        group.put("app/{app_id}/endpoint/{endpoint_id}/headers") { request, context in
            try await updateHeaders(request, context, merge: false)
        }
        group.patch("app/{app_id}/endpoint/{endpoint_id}/headers") { request, context in
            try await updateHeaders(request, context, merge: true)
        }
        group.get("app/{app_id}/endpoint/{endpoint_id}/stats") { request, context in
            let appId = try context.parameters.path("app_id")
            let endpointId = try context.parameters.path("endpoint_id")
            let counts = try await routes.gateway.endpointStats(
                appIdOrUid: appId, endpointId, since: try request.queryDate("since"), until: try request.queryDate("until"))
            var health: EndpointHealth?
            if let governor = routes.governor {
                health = try await routes.gateway.endpointHealth(appIdOrUid: appId, endpointId, governor: governor)
            }
            return try JSONCoding.response(.ok, EndpointStatsOut(counts, circuit: health))
        }
        group.post("app/{app_id}/endpoint/{endpoint_id}/recover") { request, context in
            var request = request
            let body = try await request.decodeJSON(RecoverIn.self, limit: routes.maxBodyBytes)
            let task = try await routes.gateway.recover(
                appIdOrUid: try context.parameters.path("app_id"), endpointIdOrUid: try context.parameters.path("endpoint_id"),
                since: body.since, until: body.until)
            return try JSONCoding.response(.accepted, BackgroundTaskOut(task))
        }
        group.post("app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend") { _, context in
            try await routes.gateway.resend(
                appIdOrUid: try context.parameters.path("app_id"), messageId: try context.parameters.path("msg_id"),
                endpointIdOrUid: try context.parameters.path("endpoint_id"))
            return try JSONCoding.response(.accepted, EmptyOut())
        }
        group.get("background-task/{task_id}") { _, context in
            let task = try await routes.gateway.task(id: try context.parameters.path("task_id"))
            return try JSONCoding.response(.ok, BackgroundTaskOut(task))
        }
    }

    private func updateHeaders(_ request: Request, _ context: BasicRequestContext, merge: Bool) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(EndpointHeadersIn.self, limit: routes.maxBodyBytes)
        _ = try await routes.gateway.updateHeaders(
            appIdOrUid: try context.parameters.path("app_id"), try context.parameters.path("endpoint_id"), set: body.headers,
            remove: body.deleteHeaders ?? [], merge: merge)
        return Response(status: .noContent)
    }
}
