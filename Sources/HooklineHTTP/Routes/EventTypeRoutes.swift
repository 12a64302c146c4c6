import HooklineCore
import Hummingbird

/// `/api/v1/event-type…`.
struct EventTypeRoutes<Store: HooklineStore, Clock: HooklineClock> {
    let routes: RouteContext<Store, Clock>

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("event-type") { request, _ in
            var request = request
            let body = try await request.decodeJSON(EventTypeIn.self, limit: routes.maxBodyBytes)
            let eventType = try await routes.gateway.createEventType(name: body.name, description: body.description, archived: body.archived ?? false)
            return try JSONCoding.response(.created, EventTypeOut(eventType))
        }
        group.get("event-type") { request, _ in
            let page = try await routes.gateway.eventTypes(try request.pageRequest())
            return try JSONCoding.response(.ok, ListOut(page, transform: EventTypeOut.init))
        }
        group.get("event-type/{name}") { _, context in
            let eventType = try await routes.gateway.eventType(named: try context.parameters.path("name"))
            return try JSONCoding.response(.ok, EventTypeOut(eventType))
        }
    }
}
