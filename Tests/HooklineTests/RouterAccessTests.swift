import Foundation
import Synchronization
import Testing

/// The in-process router access answers as the real server does, so route-level suites may use it.
@Suite(.timeLimit(.minutes(3))) struct RouterAccessTests {
    /// One request and the parts of its answer that do not depend on ids or clocks.
    struct Exchange: Equatable {
        var status: Int
        var contentType: String?
        var allow: String?
        var body: String
    }

    /// The same requests, in order, against a fresh node reached through `access`.
    static func exchanges(_ access: TestNode.Access) async throws -> [Exchange] {
        let answered = Mutex<[Exchange]>([])
        try await TestNode.with(access) { node in
            let api = node.api()
            let anonymous = node.api(apiKey: nil)
            let replies = [
                try await anonymous.call("GET", "/api/v1/health"),
                try await anonymous.call("GET", "/api/v1/app"),
                try await api.call("GET", "/api/v1/app/app_missing"),
                try await api.call("PUT", "/api/v1/app"),
                try await api.call("POST", "/api/v1/app", raw: "{not json"),
                try await api.call("POST", "/api/v1/app", json: ["name": 5]),
                try await api.call("GET", "/api/v1/app?limit=1000"),
                try await anonymous.call("HEAD", "/api/v1/health/ping"),
            ]
            let created = try await api.call("POST", "/api/v1/app", json: ["name": "same", "uid": "same"])
            let listed = try await api.call("GET", "/api/v1/app")
            var exchanges = replies.map { reply in
                Exchange(
                    status: reply.status, contentType: reply.headers["content-type"], allow: reply.headers["allow"],
                    body: Self.canonical(reply.body))
            }
            // Ids and timestamps differ between nodes: compare what the answers hold, not the values.
            for reply in [created, listed] {
                exchanges.append(
                    Exchange(
                        status: reply.status, contentType: reply.headers["content-type"], allow: nil,
                        body: reply.json.keys.sorted().joined(separator: ",")))
            }
            answered.withLock { $0 = exchanges }
        }
        return answered.withLock { $0 }
    }

    /// A JSON body with its keys sorted (the encoder's member order varies), any other body as text.
    static func canonical(_ body: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: body),
            let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return String(decoding: body, as: UTF8.self) }
        return String(decoding: sorted, as: UTF8.self)
    }

    @Test func routerAnswersLikeTheSocket() async throws {
        let socket = try await Self.exchanges(.socket)
        let router = try await Self.exchanges(.router)
        #expect(socket.map(\.status) == [200, 401, 404, 405, 400, 422, 422, 204, 201, 200], "the socket node answers as documented")
        #expect(router == socket)
    }
}
