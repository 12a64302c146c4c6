import HooklineCore
import Hummingbird
import Synchronization

/// `/api/v1/app/{app_id}/msg…` and the attempt lists.
struct MessageRoutes<Store: HooklineStore, Clock: HooklineClock> {
    let routes: RouteContext<Store, Clock>

    /// The 202 answer for a created message (also kept, before the commit, under an idempotency key).
    static func accepted(_ message: Message, withContent: Bool) throws -> Response {
        let payload = withContent ? message.payload : nil
        if let response = MessageFastPath.response(message, payload: payload) { return response }
        return try JSONCoding.response(.accepted, MessageOut(message), payload: payload)
    }

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("app/{app_id}/msg") { request, context in
            var request = request
            let bytes = try await request.collectBody(limit: routes.maxBodyBytes)
            let draft = try MessageFastPath.draft(body: bytes) ?? JSONCoding.decode(MessageIn.self, from: bytes).draft(body: bytes)
            let withContent = try request.queryFlag("with_content", default: true)
            // Under an idempotency key the answer is rendered once, kept with the message, and sent as kept.
            let kept = Mutex<IdempotentResponse?>(nil)
            let message = try await routes.gateway.createMessage(appIdOrUid: try context.parameters.path("app_id"), draft) { message in
                let response = try await KeptResponse.collect(try Self.accepted(message, withContent: withContent))
                kept.withLock { $0 = response }
                return response
            }
            if let response = kept.withLock({ $0 }) { return KeptResponse.response(response) }
            return try Self.accepted(message, withContent: withContent)
        }
        group.get("app/{app_id}/msg") { request, context in
            let withContent = try request.queryFlag("with_content", default: true)
            let page = try await routes.gateway.messages(
                appIdOrUid: try context.parameters.path("app_id"), try request.pageRequest(), filter: try request.listFilter(),
                status: try request.statusFilter())
            return MessageJSON.list(page, withContent: withContent)
        }
        group.get("app/{app_id}/msg/{msg_id}") { request, context in
            let withContent = try request.queryFlag("with_content", default: true)
            let message = try await routes.gateway.message(
                appIdOrUid: try context.parameters.path("app_id"), try context.parameters.path("msg_id"))
            return try JSONCoding.response(.ok, MessageOut(message), payload: MessageJSON.payload(message, withContent: withContent))
        }
        group.get("app/{app_id}/attempt/msg/{msg_id}") { request, context in
            let page = try await routes.gateway.attempts(
                appIdOrUid: try context.parameters.path("app_id"), messageId: try context.parameters.path("msg_id"),
                try request.attemptQuery())
            return MessageJSON.list(page)
        }
        group.get("app/{app_id}/attempt/endpoint/{endpoint_id}") { request, context in
            let page = try await routes.gateway.attempts(
                appIdOrUid: try context.parameters.path("app_id"), endpointIdOrUid: try context.parameters.path("endpoint_id"),
                try request.attemptQuery())
            return MessageJSON.list(page)
        }
    }
}
