import HTTPTypes
import HooklineCore
import Hummingbird

/// The operations a tenant-portal token may call: an allow-list of the API calls the portal makes.
///
/// Every allowed path is either the portal's own (`auth/…`, `stream/token`) or under `app/{app_id}`,
/// whose application the caller must then check against the token's. Anything else is refused.
struct PortalPolicy: Sendable {
    /// What the policy says about one request.
    enum Decision: Equatable, Sendable {
        /// Allowed, provided the path's application (if any) is the token's.
        case allow(appSegment: String?)
        /// Refused, with the reason given to the caller.
        case deny(String)
    }

    /// One allowed operation: a method, a pattern (`{app}` marks the application, `*` any one segment), whether it writes.
    struct Rule: Sendable {
        /// The HTTP method.
        let method: HTTPRequest.Method
        /// The path pattern's segments.
        let segments: [Substring]
        /// Whether the call changes state (refused to read-only tokens).
        let mutates: Bool

        /// A rule; by default every method but GET mutates.
        init(_ method: HTTPRequest.Method, _ pattern: String, mutates: Bool? = nil) {
            self.method = method
            self.segments = pattern.split(separator: "/")
            self.mutates = mutates ?? (method != .get)
        }
    }

    /// The allowed operations, relative to `/api/v1/`.
    static let rules: [Rule] = [
        Rule(.get, "app/{app}"),
        Rule(.get, "app/{app}/endpoint"), Rule(.post, "app/{app}/endpoint"),
        Rule(.get, "app/{app}/endpoint/*"), Rule(.put, "app/{app}/endpoint/*"), Rule(.patch, "app/{app}/endpoint/*"),
        Rule(.delete, "app/{app}/endpoint/*"),
        Rule(.get, "app/{app}/endpoint/*/secret"), Rule(.post, "app/{app}/endpoint/*/secret/rotate"),
        Rule(.get, "app/{app}/endpoint/*/headers"), Rule(.put, "app/{app}/endpoint/*/headers"),
        Rule(.patch, "app/{app}/endpoint/*/headers"),
        Rule(.get, "app/{app}/endpoint/*/stats"), Rule(.post, "app/{app}/endpoint/*/recover"),
        Rule(.post, "app/{app}/endpoint/*/send-example"), Rule(.get, "app/{app}/endpoint/*/msg"),
        Rule(.get, "app/{app}/msg"), Rule(.get, "app/{app}/msg/*"), Rule(.get, "app/{app}/msg/*/endpoint"),
        Rule(.get, "app/{app}/msg/*/attempt/*"), Rule(.post, "app/{app}/msg/*/endpoint/*/resend"),
        Rule(.get, "app/{app}/attempt/msg/*"), Rule(.get, "app/{app}/attempt/endpoint/*"),
        Rule(.get, "app/{app}/stream"),
        // The event-type catalogue through `auth/portal-event-types` only: it hides types behind flags the token lacks.
        Rule(.get, "auth/portal-event-types"),
        Rule(.post, "stream/token", mutates: false), Rule(.get, "auth/portal-session"), Rule(.post, "auth/logout", mutates: false),
    ]

    /// The API prefix every rule is relative to.
    static let apiPrefix = "/api/v1/"

    /// The decision for `method` on `path` by a token that is `readOnly` or not.
    static func decide(method: HTTPRequest.Method, path: String, readOnly: Bool) -> Decision {
        guard path.hasPrefix(apiPrefix) else { return .deny("a portal token reaches only the API") }
        let segments = path.dropFirst(apiPrefix.count).split(separator: "/", omittingEmptySubsequences: true)
        for rule in rules where rule.method == method && rule.segments.count == segments.count {
            var app: String?
            let matches = zip(rule.segments, segments).allSatisfy { pattern, segment in
                if pattern == "{app}" { app = String(segment); return true }
                return pattern == "*" || pattern == segment
            }
            guard matches else { continue }
            if rule.mutates && readOnly { return .deny("this portal token is read-only") }
            return .allow(appSegment: app)
        }
        return .deny("a portal token cannot call \(method) \(path)")
    }
}

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
