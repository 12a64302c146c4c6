import Foundation
import HooklineCore

/// Application and endpoint uids by id for `tail`, read from the server once per id and remembered.
struct StreamNames {
    /// The server to ask.
    let client: ServerClient
    /// The uids found so far (one without a uid, or that could not be read, maps to its id).
    private(set) var uids: [String: String] = [:]

    /// A client-backed lookup with nothing cached.
    init(client: ServerClient) {
        self.client = client
    }

    /// The known names after looking up the application and endpoint an event frame names (`appId`, `endpointId`).
    mutating func lookup(_ frame: EventStreamParser.Frame) async -> [String: String] {
        guard let text = frame.data, let data = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
            let appId = data.string("appId")
        else { return uids }
        if uids[appId] == nil {
            uids[appId] = (try? await client.call(.GET, "/api/v1/app/\(appId)"))?.string("uid") ?? appId
        }
        if let endpointId = data.string("endpointId"), uids[endpointId] == nil {
            uids[endpointId] = (try? await client.call(.GET, "/api/v1/app/\(appId)/endpoint/\(endpointId)"))?.string("uid") ?? endpointId
        }
        return uids
    }
}
