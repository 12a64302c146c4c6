import HooklineCore
import Hummingbird

/// `/api/v1/event-type…` with Svix's semantics: create unarchives, PUT upserts, DELETE archives (or expunges).
struct EventTypeRoutes<Store: HooklineStore, Clock: HooklineClock> {
    let routes: RouteContext<Store, Clock>

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("event-type") { request, _ in
            var request = request
            let body = try await request.decodeJSON(EventTypeIn.self, limit: routes.maxBodyBytes)
            let eventType = try await routes.gateway.createEventType(name: body.name, body.fields.draft)
            return try JSONCoding.response(.created, EventTypeOut(eventType))
        }
        group.get("event-type") { request, _ in
            let withContent = try request.queryFlag("with_content", default: false)
            let page = try await routes.gateway.eventTypes(
                try request.pageRequest(), includeArchived: try request.queryFlag("include_archived", default: false))
            return try JSONCoding.response(.ok, ListOut(page) { EventTypeOut($0, withSchemas: withContent) })
        }
        group.get("event-type/{name}") { _, context in
            let eventType = try await routes.gateway.eventType(named: try context.parameters.path("name"))
            return try JSONCoding.response(.ok, EventTypeOut(eventType))
        }
        group.put("event-type/{name}") { request, context in
            var request = request
            let body = try await request.decodeJSON(EventTypeUpdateIn.self, limit: routes.maxBodyBytes)
            let (eventType, created) = try await routes.gateway.replaceEventType(name: try context.parameters.path("name"), body.draft)
            return try JSONCoding.response(created ? .created : .ok, EventTypeOut(eventType))
        }
        group.patch("event-type/{name}") { request, context in
            var request = request
            let body = try await request.decodeJSON(EventTypePatchIn.self, limit: routes.maxBodyBytes)
            let eventType = try await routes.gateway.patchEventType(name: try context.parameters.path("name"), body.patch)
            return try JSONCoding.response(.ok, EventTypeOut(eventType))
        }
        group.delete("event-type/{name}") { request, context in
            try await routes.gateway.deleteEventType(
                name: try context.parameters.path("name"), expunge: try request.queryFlag("expunge", default: false))
            return Response(status: .noContent)
        }
    }
}
