import HooklineCore

/// Endpoint uids by id, so tables can name endpoints the way users created them.
enum EndpointNames {
    /// The uids of the application's endpoints (up to 250), keyed by endpoint id; endpoints without a uid are left out.
    static func fetch(app: String, client: ServerClient) async throws -> [String: String] {
        let page = try await client.call(.GET, "/api/v1/app/\(app)/endpoint", query: ["limit": "250"])
        guard case .array(let endpoints)? = page["data"] else { return [:] }
        var names: [String: String] = [:]
        for endpoint in endpoints {
            if let id = endpoint.string("id"), let uid = endpoint.string("uid") { names[id] = uid }
        }
        return names
    }
}
