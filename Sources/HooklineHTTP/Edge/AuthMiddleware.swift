import HooklineCore
import Hummingbird

/// Requires `Authorization: Bearer <admin key>` (any case of the scheme) on every route except the public ones.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiKey: String
    let publicPaths: Set<String>
    /// Path prefixes open without the admin key (ingest URLs, which carry their own credentials).
    var publicPrefixes: [String] = []
    /// Requests let through to a handler that authenticates them itself (stream requests with `?token=`).
    var bypass: @Sendable (Request) -> Bool = { _ in false }
    /// Checks tenant-portal tokens; without it only the admin key is accepted.
    var portal: PortalGate? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if publicPaths.contains(path) || publicPaths.contains(path + "/") || publicPrefixes.contains(where: { path.hasPrefix($0) })
            || bypass(request)
        {
            return try await next(request, context)
        }
        // The scheme is case-insensitive (RFC 9110 §11.1): `bearer` works as well as `Bearer`.
        guard let header = request.headers[.authorization], header.prefix(7).lowercased() == "bearer " else {
            throw HooklineError(.unauthorized, "missing or invalid API key")
        }
        let credential = header.dropFirst(7)
        if !ConstantTime.equal(credential.utf8, apiKey.utf8) {
            // Not the admin key: a tenant-portal token, confined to its application by the gate.
            guard let portal, credential.hasPrefix(PortalToken.prefix) else {
                throw HooklineError(.unauthorized, "missing or invalid API key")
            }
            return try await portal.handle(credential: credential, request) { try await next(request, context) }
        }
        return try await next(request, context)
    }
}
