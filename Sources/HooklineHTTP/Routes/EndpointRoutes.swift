import HooklineCore
import Hummingbird

/// `/api/v1/app/{app_id}/endpoint…`.
struct EndpointRoutes<Store: HooklineStore, Clock: HooklineClock> {
    let routes: RouteContext<Store, Clock>

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("app/{app_id}/endpoint") { request, context in
            var request = request
            let body = try await request.decodeJSON(EndpointIn.self, limit: routes.maxBodyBytes)
            let endpoint = try await routes.gateway.createEndpoint(appIdOrUid: try context.parameters.path("app_id"), body.draft)
            return try JSONCoding.response(.created, EndpointOut(endpoint))
        }
        group.get("app/{app_id}/endpoint") { request, context in
            let page = try await routes.gateway.endpoints(appIdOrUid: try context.parameters.path("app_id"), try request.pageRequest())
            return try JSONCoding.response(.ok, ListOut(page, transform: EndpointOut.init))
        }
        group.get("app/{app_id}/endpoint/{endpoint_id}") { _, context in
            let endpoint = try await lookup(context)
            return try JSONCoding.response(.ok, EndpointOut(endpoint))
        }
        group.put("app/{app_id}/endpoint/{endpoint_id}") { request, context in
            var request = request
            let body = try await request.decodeJSON(EndpointIn.self, limit: routes.maxBodyBytes)
            let (endpoint, created) = try await routes.gateway.upsertEndpoint(
                appIdOrUid: try context.parameters.path("app_id"), try context.parameters.path("endpoint_id"), with: body.draft)
            return try JSONCoding.response(created ? .created : .ok, EndpointOut(endpoint))
        }
        group.patch("app/{app_id}/endpoint/{endpoint_id}") { request, context in
            var request = request
            let body = try await request.decodeJSON(EndpointPatchIn.self, limit: routes.maxBodyBytes)
            let endpoint = try await routes.gateway.patchEndpoint(
                appIdOrUid: try context.parameters.path("app_id"), try context.parameters.path("endpoint_id"), body.patch)
            return try JSONCoding.response(.ok, EndpointOut(endpoint))
        }
        group.delete("app/{app_id}/endpoint/{endpoint_id}") { _, context in
            try await routes.gateway.deleteEndpoint(
                appIdOrUid: try context.parameters.path("app_id"), try context.parameters.path("endpoint_id"))
            return Response(status: .noContent)
        }
        group.get("app/{app_id}/endpoint/{endpoint_id}/secret") { _, context in
            let endpoint = try await lookup(context)
            return try JSONCoding.response(.ok, EndpointSecretOut(key: endpoint.secret.encoded))
        }
        group.get("app/{app_id}/endpoint/{endpoint_id}/msg") { request, context in
            let withContent = try request.queryFlag("with_content", default: true)
            let page = try await routes.gateway.endpointMessages(
                appIdOrUid: try context.parameters.path("app_id"), endpointIdOrUid: try context.parameters.path("endpoint_id"),
                try request.pageRequest(), filter: try request.listFilter(), status: try request.statusFilter().map(DeliveryState.init(status:)))
            return MessageJSON.list(page, withContent: withContent)
        }
        group.post("app/{app_id}/endpoint/{endpoint_id}/send-example") { request, context in
            var request = request
            let body = try await request.decodeJSON(EventExampleIn.self, limit: routes.maxBodyBytes)
            let message = try await routes.gateway.sendExample(
                appIdOrUid: try context.parameters.path("app_id"), endpointIdOrUid: try context.parameters.path("endpoint_id"),
                eventType: body.eventType)
            return try JSONCoding.response(.ok, MessageOut(message), payload: message.payload)
        }
    }

    private func lookup(_ context: BasicRequestContext) async throws -> Endpoint {
        try await routes.gateway.endpoint(appIdOrUid: try context.parameters.path("app_id"), try context.parameters.path("endpoint_id"))
    }
}

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
