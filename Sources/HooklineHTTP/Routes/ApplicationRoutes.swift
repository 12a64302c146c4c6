import HooklineCore
import Hummingbird

/// `/api/v1/app` and `/api/v1/app/{app_id}`.
struct ApplicationRoutes<Store: HooklineStore, Clock: HooklineClock> {
    let routes: RouteContext<Store, Clock>

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("app") { request, _ in
            var request = request
            let body = try await request.decodeJSON(ApplicationIn.self, limit: routes.maxBodyBytes)
            let getIfExists = try request.queryFlag("get_if_exists", default: false)
            let (application, created) = try await routes.gateway.createApplication(body.draft, getIfExists: getIfExists)
            return try JSONCoding.response(created ? .created : .ok, ApplicationOut(application))
        }
        group.get("app") { request, _ in
            let page = try await routes.gateway.applications(try request.pageRequest())
            return try JSONCoding.response(.ok, ListOut(page, transform: ApplicationOut.init))
        }
        group.get("app/{app_id}") { _, context in
            let application = try await routes.gateway.application(try context.parameters.path("app_id"))
            return try JSONCoding.response(.ok, ApplicationOut(application))
        }
        group.put("app/{app_id}") { request, context in
            var request = request
            let body = try await request.decodeJSON(ApplicationIn.self, limit: routes.maxBodyBytes)
            let (application, created) = try await routes.gateway.upsertApplication(try context.parameters.path("app_id"), with: body.draft)
            return try JSONCoding.response(created ? .created : .ok, ApplicationOut(application))
        }
        group.patch("app/{app_id}") { request, context in
            var request = request
            let body = try await request.decodeJSON(ApplicationPatchIn.self, limit: routes.maxBodyBytes)
            let application = try await routes.gateway.patchApplication(try context.parameters.path("app_id"), body.patch)
            return try JSONCoding.response(.ok, ApplicationOut(application))
        }
        group.delete("app/{app_id}") { _, context in
            try await routes.gateway.deleteApplication(try context.parameters.path("app_id"))
            return Response(status: .noContent)
        }
    }
}

/// `POST /api/v1/auth/app-portal-access/{app_id}`, `POST /api/v1/auth/logout`, and the portal's own reads
/// `GET /api/v1/auth/portal-session` and `GET /api/v1/auth/portal-event-types` (Hookline extensions).
///
/// Issuing needs the admin key (the portal policy refuses it to portal tokens); logout and the session
/// read need a portal token, which `AuthMiddleware` has verified and put in `PortalScope.token`.
struct PortalAccessRoutes<Store: HooklineStore, Clock: HooklineClock> {
    /// The gateway and edge limits.
    let routes: RouteContext<Store, Clock>
    /// Where portal links point.
    let portal: HooklineServer.Configuration.Portal

    /// Adds the routes to `group` (`/api/v1`).
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("auth/app-portal-access/{app_id}") { request, context in
            var request = request
            let body = try await request.decodeJSON(AppPortalAccessIn.self, limit: routes.maxBodyBytes, allowEmpty: true)
            let (secret, _) = try await routes.gateway.issuePortalToken(
                appIdOrUid: try context.parameters.path("app_id"), body?.draft ?? PortalAccessDraft())
            let base = portal.publicURL ?? "http://\(request.head.authority ?? "localhost")"
            let url = base.trimmingSuffix("/") + "/portal#token=" + secret
            return try JSONCoding.response(.ok, AppPortalAccessOut(url: url, token: secret))
        }
        group.post("auth/app/{app_id}/expire-all") { request, context in
            var request = request
            let body = try await request.decodeJSON(ApplicationTokenExpireIn.self, limit: routes.maxBodyBytes, allowEmpty: true)
            try await routes.gateway.expirePortalTokens(
                appIdOrUid: try context.parameters.path("app_id"), sessionIds: body?.sessionIds, in: body?.expiry ?? 0)
            return Response(status: .noContent)
        }
        group.post("auth/logout") { _, _ in
            guard let token = PortalScope.token else {
                throw HooklineError(.forbidden, "only a portal token can log out; the admin key cannot be revoked")
            }
            _ = try await routes.gateway.store.revokePortalToken(digest: token.digest, now: routes.gateway.clock.now())
            return Response(status: .noContent)
        }
        group.get("auth/portal-event-types") { _, _ in
            guard let token = PortalScope.token else { throw HooklineError(.forbidden, "this call needs a portal token") }
            let visible = try await portalEventTypes(flags: Set(token.featureFlags))
            return try JSONCoding.response(.ok, ListOut(Page(items: visible, iterator: nil, done: true)) { EventTypeOut($0, withSchemas: true) })
        }
        group.get("auth/portal-session") { _, _ in
            guard let token = PortalScope.token else { throw HooklineError(.forbidden, "this call needs a portal token") }
            let application = try await routes.gateway.application(token.appId)
            return try JSONCoding.response(.ok, PortalSessionOut(token, application: application))
        }
    }
}

extension PortalAccessRoutes {
    /// The catalogue a portal token sees: unarchived types without feature flags, or with one of the token's.
    func portalEventTypes(flags: Set<String>) async throws -> [EventType] {
        var visible: [EventType] = []
        var iterator: String?
        repeat {
            let page = try await routes.gateway.eventTypes(PageRequest(limit: 250, iterator: iterator))
            visible += page.items.filter { type in (type.featureFlags ?? []).isEmpty || !flags.isDisjoint(with: type.featureFlags ?? []) }
            iterator = page.done ? nil : page.iterator
        } while iterator != nil
        return visible
    }
}

extension String {
    /// The string without trailing copies of `suffix`.
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while !suffix.isEmpty, text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
