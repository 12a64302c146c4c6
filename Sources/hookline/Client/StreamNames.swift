import Foundation
import HooklineCore

/// Application uids by id for `tail`, read from the server once per application and remembered.
struct ApplicationNames {
    /// The server to ask.
    let client: ServerClient
    /// The uids found so far (an application without a uid, or one that could not be read, maps to its id).
    private(set) var uids: [String: String] = [:]

    /// A client-backed lookup with nothing cached.
    init(client: ServerClient) {
        self.client = client
    }

    /// The known names after looking up the application of an event frame (its `appId`).
    mutating func lookup(_ frame: EventStreamParser.Frame) async -> [String: String] {
        guard let text = frame.data, let data = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
            let appId = data.string("appId"), uids[appId] == nil
        else { return uids }
        let app = try? await client.call(.GET, "/api/v1/app/\(appId)")
        uids[appId] = app?.string("uid") ?? appId
        return uids
    }
}
