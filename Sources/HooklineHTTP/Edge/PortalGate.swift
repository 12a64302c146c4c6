import HooklineCore
import Hummingbird

/// The portal token behind the current request, set by `AuthMiddleware` for the handlers it runs.
enum PortalScope {
    /// The verified token of the request being handled; `nil` under the admin key.
    @TaskLocal static var token: PortalToken?
}

/// Authenticates portal bearer tokens and applies `PortalPolicy` plus the token's application scope.
struct PortalGate: Sendable {
    /// The usable token behind a bearer string; throws `unauthorized` otherwise.
    let verify: @Sendable (String) async throws -> PortalToken
    /// The id of the application with this id or uid, if it exists.
    let applicationId: @Sendable (String) async throws -> String?

    /// A gate over a gateway's store and clock.
    init<Store: HooklineStore, Clock: HooklineClock>(gateway: Gateway<Store, Clock>) {
        verify = { secret in try await gateway.portalToken(secret: secret) }
        applicationId = { idOrUid in try await gateway.store.application(idOrUid)?.id }
    }

    /// Runs `next` with `PortalScope.token` set when `credential` is a usable token allowed to make `request`.
    func handle(credential: Substring, _ request: Request, next: () async throws -> Response) async throws -> Response {
        let token = try await verify(String(credential))
        switch PortalPolicy.decide(method: request.method, path: request.uri.path, readOnly: token.readOnly) {
        case .deny(let reason):
            throw HooklineError(.forbidden, reason)
        case .allow(let segment):
            if let segment, segment != token.appId, try await applicationId(segment) != token.appId {
                throw HooklineError(.forbidden, "this portal token reaches only its own application")
            }
        }
        return try await PortalScope.$token.withValue(token) { try await next() }
    }
}
