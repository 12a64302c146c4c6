import HooklineCore
import Hummingbird

/// Svix's per-message calls beyond create/list/get: one attempt, content expunging, and the message's destinations.
struct MessageContentRoutes<Store: HooklineStore, Clock: HooklineClock> {
    let routes: RouteContext<Store, Clock>

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("app/{app_id}/msg/{msg_id}/attempt/{attempt_id}") { _, context in
            let attempt = try await routes.gateway.attempt(
                appIdOrUid: try context.parameters.path("app_id"), messageId: try context.parameters.path("msg_id"),
                id: try context.parameters.path("attempt_id"))
            return try JSONCoding.response(.ok, MessageAttemptOut(attempt))
        }
        group.delete("app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content") { _, context in
            try await routes.gateway.expungeAttemptContent(
                appIdOrUid: try context.parameters.path("app_id"), messageId: try context.parameters.path("msg_id"),
                attemptId: try context.parameters.path("attempt_id"))
            return Response(status: .noContent)
        }
        group.delete("app/{app_id}/msg/{msg_id}/content") { _, context in
            try await routes.gateway.expungeContent(
                appIdOrUid: try context.parameters.path("app_id"), messageId: try context.parameters.path("msg_id"))
            return Response(status: .noContent)
        }
        group.get("app/{app_id}/msg/{msg_id}/endpoint") { request, context in
            let page = try await routes.gateway.messageDestinations(
                appIdOrUid: try context.parameters.path("app_id"), messageId: try context.parameters.path("msg_id"),
                try request.pageRequest())
            return try JSONCoding.response(.ok, ListOut(page, transform: MessageEndpointOut.init))
        }
    }
}
