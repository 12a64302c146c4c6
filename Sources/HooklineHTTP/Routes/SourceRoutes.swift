import HooklineCore
import Hummingbird

/// `/api/v1/source…`: inbound sources, their stored requests, and replay.
struct SourceRoutes<Store: HooklineStore, Clock: HooklineClock> {
    /// The inbound gateway.
    let routes: InboundRouteContext<Store, Clock>

    /// Adds the source routes to the API group.
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("source") { request, _ in
            var request = request
            let body = try await request.decodeJSON(SourceIn.self, limit: routes.maxBodyBytes)
            return try JSONCoding.response(.created, SourceOut(try await routes.inbound.createSource(body.draft)))
        }
        group.get("source") { request, _ in
            let page = try await routes.inbound.sources(try request.pageRequest())
            return try JSONCoding.response(.ok, ListOut(page, transform: SourceOut.init))
        }
        group.get("source/{source_id}") { _, context in
            try JSONCoding.response(.ok, SourceOut(try await routes.inbound.source(try context.parameters.path("source_id"))))
        }
        group.patch("source/{source_id}") { request, context in
            var request = request
            let body = try await request.decodeJSON(SourcePatchIn.self, limit: routes.maxBodyBytes)
            let source = try await routes.inbound.patchSource(try context.parameters.path("source_id"), body.patch)
            return try JSONCoding.response(.ok, SourceOut(source))
        }
        group.delete("source/{source_id}") { _, context in
            try await routes.inbound.deleteSource(try context.parameters.path("source_id"))
            return Response(status: .noContent)
        }
        group.get("source/{source_id}/request") { request, context in
            let status = try request.nonEmpty("status").map { text -> InboundStatus in
                guard let status = InboundStatus.allCases.first(where: { $0.label == text }) else {
                    throw HooklineError(.validation, "status must be pending, routed, duplicate, rejected or failed", field: ["query", "status"])
                }
                return status
            }
            let page = try await routes.inbound.requests(
                sourceIdOrUid: try context.parameters.path("source_id"), status: status, try request.pageRequest())
            return try JSONCoding.response(.ok, ListOut(page, transform: InboundRequestOut.init))
        }
        group.get("source/{source_id}/request/{request_id}") { _, context in
            let record = try await routes.inbound.request(
                sourceIdOrUid: try context.parameters.path("source_id"), try context.parameters.path("request_id"))
            return try JSONCoding.response(.ok, InboundRequestOut(record))
        }
        group.post("source/{source_id}/request/{request_id}/replay") { _, context in
            let record = try await routes.inbound.replay(
                sourceIdOrUid: try context.parameters.path("source_id"), try context.parameters.path("request_id"))
            return try JSONCoding.response(.accepted, InboundRequestOut(record))
        }
    }
}
