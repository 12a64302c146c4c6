import HooklineCore
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /api/v1/stream`, `GET /api/v1/app/{app_id}/stream` (Server-Sent Events) and `POST /api/v1/stream/token`.
///
/// A request carrying `?token=` reaches these handlers without the admin key (see `AuthMiddleware`);
/// the token is checked here against the requested application.
struct StreamRoutes<Store: HooklineStore, Clock: HooklineClock> {
    let routes: RouteContext<Store, Clock>
    let live: LiveServices<Store, Clock>

    /// Whether `request` is a stream request authenticated by a token instead of the admin key.
    static func carriesToken(_ request: Request) -> Bool {
        request.method == .get && request.uri.path.hasSuffix("/stream") && request.uri.queryParameters.get("token") != nil
    }

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("stream") { request, _ in
            try await stream(request, appIdOrUid: nil)
        }
        group.get("app/{app_id}/stream") { request, context in
            try await stream(request, appIdOrUid: try context.parameters.path("app_id"))
        }
        group.post("stream/token") { request, _ in
            var request = request
            let body = try await request.decodeJSON(StreamTokenIn.self, limit: routes.maxBodyBytes, allowEmpty: true)
            var appId: String?
            if let requested = body?.appId { appId = try await routes.gateway.application(requested).id }
            if let portal = PortalScope.token {
                // A portal token gets stream tokens for its own application only.
                guard appId == nil || appId == portal.appId else {
                    throw HooklineError(.forbidden, "this portal token reaches only its own application")
                }
                appId = portal.appId
            }
            let lifetime = Duration.seconds(body?.ttlSeconds ?? 300)
            let (token, scope) = try live.signer.issue(appId: appId, lifetime: lifetime, now: routes.gateway.clock.now())
            return try JSONCoding.response(.created, StreamTokenOut(token: token, appId: scope.appId, expiresAt: scope.expiresAt))
        }
    }

    private func stream(_ request: Request, appIdOrUid: String?) async throws -> Response {
        var appId: String?
        if let appIdOrUid { appId = try await routes.gateway.application(appIdOrUid).id }
        var filter = try request.streamFilter(appId: appId)
        if let token = request.nonEmpty("token") {
            let scope = try live.signer.verify(token, now: routes.gateway.clock.now())
            if filter.appId == nil { filter.appId = scope.appId }
            guard scope.permits(appId: filter.appId) else {
                throw HooklineError(.unauthorized, "the stream token does not cover this application")
            }
        }
        let session = StreamSession(broadcaster: live.broadcaster, filter: filter, lastEventId: try request.lastEventId())
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", .connection: "close", .accelBuffering: "no",
        ]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let subscription = try await session.open()
                // The feed ends when the client hangs up (noticed without a write), or on graceful shutdown.
                try await request.body.consumeWithInboundCloseHandler { _ in
                    try await withGracefulShutdownHandler {
                        try await session.run(subscription) { frames in
                            // One write per batch: a busy feed is one socket write per batch of events, not one per event.
                            var buffer = ByteBuffer()
                            for frame in frames { buffer.writeString(frame.sseText()) }
                            try await writer.write(buffer)
                        }
                    } onGracefulShutdown: {
                        subscription.close()
                    }
                } onInboundClosed: {
                    subscription.close()
                }
                try await writer.finish(nil)
            })
    }
}
