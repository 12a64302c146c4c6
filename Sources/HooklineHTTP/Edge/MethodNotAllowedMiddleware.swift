import HooklineCore
import Hummingbird

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
