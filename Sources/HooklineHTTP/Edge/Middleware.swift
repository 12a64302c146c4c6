import Foundation
import HTTPTypes
import HooklineCore
import Hummingbird
import NIOCore

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

/// Honours `idempotency-key` on POSTs: the first 2xx response is kept and replayed byte for byte to
/// repeats with the same key, credentials and URL; concurrent repeats wait for the first.
struct IdempotencyMiddleware<Context: RequestContext, Store: HooklineStore, Clock: HooklineClock>: RouterMiddleware {
    /// The request header that carries the caller's key.
    static var headerName: HTTPField.Name { HTTPField.Name("idempotency-key")! }

    /// The core single-flight gate and its store.
    let gate: IdempotencyGate<Store, Clock>

    /// Runs POSTs with a key through the gate; everything else passes straight on.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[Self.headerName], !key.isEmpty,
            !request.uri.path.hasPrefix(InboundRoutes<Store, Clock>.publicPrefix)
        else {
            return try await next(request, context)
        }
        let scope = IdempotencyGate<Store, Clock>.scope(
            credentials: request.headers[.authorization] ?? "", method: "POST", url: request.uri.description, key: key)
        let (kept, replayed) = try await gate.perform(scope: scope, createsMessage: Self.createsMessage(request.uri.path)) {
            try await KeptResponse.collect(try await next(request, context))
        }
        var response = KeptResponse.response(kept)
        if replayed { response.headers[HTTPField.Name("idempotent-replayed")!] = "true" }
        return response
    }
}

extension IdempotencyMiddleware {
    /// Whether `path` is the message-create route, `/api/v1/app/{app_id}/msg` (a trailing slash allowed), read without
    /// allocating; any other spelling answers false, so the gate then reads the key before the work.
    static func createsMessage(_ path: String) -> Bool {
        let prefix = "/api/v1/app/".utf8
        guard path.utf8.starts(with: prefix) else { return false }
        var rest = path.utf8.dropFirst(prefix.count)
        if rest.last == UInt8(ascii: "/") { rest = rest.dropLast() }
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")), slash != rest.startIndex else { return false }
        return rest[rest.index(after: slash)...].elementsEqual("msg".utf8)
    }
}

/// Responses as an idempotency key keeps them.
enum KeptResponse {
    /// The response with its body read into memory.
    static func collect(_ response: Response) async throws -> IdempotentResponse {
        let collector = BodyCollector()
        try await response.body.write(collector)
        return IdempotentResponse(status: Int(response.status.code), contentType: response.headers[.contentType], body: collector.data)
    }

    /// The response `kept` describes: its status, content type and body bytes.
    static func response(_ kept: IdempotentResponse) -> Response {
        var headers: HTTPFields = [:]
        if let contentType = kept.contentType { headers[.contentType] = contentType }
        return Response(
            status: HTTPResponse.Status(code: kept.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: kept.body)))
    }
}

/// The routes' path patterns with the methods each takes, to tell "no such path" (404) from "wrong method" (405).
struct RouteMethodTable: Sendable {
    private let patterns: [(segments: [Substring], methods: Set<HTTPRequest.Method>)]

    /// Builds the table from the router's routes (`/api/v1/app/{app_id}` style patterns).
    init(_ routes: [Router<BasicRequestContext>.RouteDescription]) {
        var byPath: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes { byPath[route.path.description, default: []].insert(route.method) }
        patterns = byPath.map { (Self.segments($0.key), $0.value) }
    }

    /// The methods some route takes at `path`; empty when no route pattern matches it.
    func methods(for path: String) -> Set<HTTPRequest.Method> {
        let wanted = Self.segments(path)
        var methods: Set<HTTPRequest.Method> = []
        for pattern in patterns where Self.matches(pattern.segments, wanted) { methods.formUnion(pattern.methods) }
        return methods
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        if pattern.last == "**" { return path.count >= pattern.count - 1 && zip(pattern.dropLast(), path).allSatisfy(segmentMatches) }
        return pattern.count == path.count && zip(pattern, path).allSatisfy(segmentMatches)
    }

    private static func segmentMatches(_ pair: (Substring, Substring)) -> Bool {
        let (pattern, segment) = pair
        return pattern == segment || pattern == "*" || pattern.hasPrefix("{") || pattern.hasPrefix(":")
    }
}

/// Answers 405 with the JSON error shape and an `Allow` header when the path is known but not the method.
///
/// Added after every route, so it wraps only the router's not-found responder.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: RouteMethodTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = table.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let names = allowed.map(\.rawValue).sorted()
            var response = ErrorBody.response(
                for: HooklineError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; allowed: \(names.joined(separator: ", "))"))
            response.headers[.allow] = names.joined(separator: ", ")
            return response
        }
    }
}
