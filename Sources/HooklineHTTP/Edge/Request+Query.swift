import HooklineCore
import Hummingbird

extension Request {
    /// The `limit` and `iterator` query parameters as a page request (limit 1–250, default 50).
    func pageRequest() throws -> PageRequest {
        let query = uri.queryParameters
        var limit = 50
        if let text = query.get("limit") {
            guard let value = Int(text) else {
                throw HooklineError(.validation, "limit must be an integer", field: ["query", "limit"])
            }
            limit = value
        }
        try Validation.limit(limit)
        let iterator = query.get("iterator").flatMap { $0.isEmpty ? nil : $0 }
        return PageRequest(limit: limit, iterator: iterator)
    }

    /// A boolean query parameter (`true`/`false`), or `defaultValue` when absent.
    func queryFlag(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let text = uri.queryParameters.get(name) else { return defaultValue }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw HooklineError(.validation, "\(name) must be true or false", field: ["query", name])
        }
    }
}

extension Parameters {
    /// A path parameter known to be in the route.
    func path(_ name: String) throws -> String {
        try require(name)
    }
}
