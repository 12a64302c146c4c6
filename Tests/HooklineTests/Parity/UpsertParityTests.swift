import Foundation
import Testing

/// `PUT` on an application or endpoint that does not exist creates it, as Svix's server does.
@Suite(.timeLimit(.minutes(3))) struct UpsertParityTests {
    @Test func putCreatesMissingApplicationsAndEndpoints() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let created = try await api.call("PUT", "/api/v1/app/app_missing", json: ["name": "made by PUT", "uid": "put-app"])
            #expect(created.status == 201 && created.json["uid"] as? String == "put-app")
            let appId = try #require(created.json["id"] as? String)
            #expect(appId != "app_missing" && appId.hasPrefix("app_"), "a new id, as Svix")
            let replaced = try await api.call("PUT", "/api/v1/app/put-app", json: ["name": "renamed", "uid": "put-app"])
            #expect(replaced.status == 200 && replaced.json["id"] as? String == appId && replaced.json["name"] as? String == "renamed")

            let endpoint = try await api.call(
                "PUT", "/api/v1/app/\(appId)/endpoint/ep_missing", json: ["url": "http://127.0.0.1:9/a", "uid": "put-ep"])
            #expect(endpoint.status == 201 && endpoint.json["uid"] as? String == "put-ep")
            let again = try await api.call("PUT", "/api/v1/app/\(appId)/endpoint/put-ep", json: ["url": "http://127.0.0.1:9/b", "uid": "put-ep"])
            #expect(
                again.status == 200 && again.json["id"] as? String == endpoint.json["id"] as? String
                    && again.json["url"] as? String == "http://127.0.0.1:9/b")
            #expect(
                try await api.call("PUT", "/api/v1/app/nope/endpoint/ep_x", json: ["url": "http://127.0.0.1:9/"]).status == 404,
                "the application must exist")
        }
    }
}
