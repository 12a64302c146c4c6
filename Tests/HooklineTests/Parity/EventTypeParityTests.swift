import Foundation
import Testing

/// Event types as Svix serves them: details, create-unarchives, PUT upsert, PATCH, DELETE archives or expunges.
@Suite(.timeLimit(.minutes(3))) struct EventTypeParityTests {
    @Test func lifecycleFollowsSvix() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let schemas: [String: Any] = ["1": ["type": "object", "examples": [["id": 7]]]]
            let created = try await api.call(
                "POST", "/api/v1/event-type",
                json: [
                    "name": "invoice.paid", "description": "paid", "schemas": schemas, "deprecated": true, "featureFlag": "beta",
                    "groupName": "billing",
                ])
            #expect(created.status == 201)
            #expect(created.json["deprecated"] as? Bool == true && created.json["featureFlag"] as? String == "beta")
            #expect(created.json["groupName"] as? String == "billing" && (created.json["schemas"] as? [String: Any])?["1"] != nil)
            #expect(try await api.call("POST", "/api/v1/event-type", json: ["name": "invoice.paid", "description": "again"]).status == 409)

            let listed = try await api.call("GET", "/api/v1/event-type")
            let first = try #require((listed.json["data"] as? [[String: Any]])?.first)
            #expect(first["name"] as? String == "invoice.paid" && first["schemas"] == nil, "lists leave schemas out by default")
            let withContent = try await api.call("GET", "/api/v1/event-type?with_content=true")
            #expect(((withContent.json["data"] as? [[String: Any]])?.first?["schemas"] as? [String: Any]) != nil)

            #expect(try await api.call("DELETE", "/api/v1/event-type/invoice.paid").status == 204)
            #expect((try await api.call("GET", "/api/v1/event-type").json["data"] as? [Any])?.isEmpty == true, "archived types are not listed")
            #expect((try await api.call("GET", "/api/v1/event-type?include_archived=true").json["data"] as? [Any])?.count == 1)
            #expect(try await api.call("GET", "/api/v1/event-type/invoice.paid").json["archived"] as? Bool == true)

            let app = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "a"]).json["id"] as? String)
            let refused = try await api.call(
                "POST", "/api/v1/app/\(app)/endpoint", json: ["url": "http://127.0.0.1:9/", "eventTypes": ["invoice.paid"]])
            #expect(refused.status == 422, "an endpoint cannot start filtering on an archived type")

            let revived = try await api.call("POST", "/api/v1/event-type", json: ["name": "invoice.paid", "description": "back"])
            #expect(revived.status == 201 && revived.json["archived"] as? Bool == false && revived.json["description"] as? String == "back")
            let endpoint = try await api.call(
                "POST", "/api/v1/app/\(app)/endpoint", json: ["url": "http://127.0.0.1:9/", "eventTypes": ["invoice.paid"]])
            #expect(endpoint.status == 201)
            let endpointId = try #require(endpoint.json["id"] as? String)
            #expect(try await api.call("DELETE", "/api/v1/event-type/invoice.paid").status == 204)
            let kept = try await api.call("PATCH", "/api/v1/app/\(app)/endpoint/\(endpointId)", json: ["description": "still filtering"])
            #expect(kept.status == 200 && kept.json["eventTypes"] as? [String] == ["invoice.paid"], "an endpoint keeps a type archived later")

            let upserted = try await api.call("PUT", "/api/v1/event-type/user.new", json: ["description": "made by PUT"])
            #expect(upserted.status == 201)
            let updated = try await api.call("PUT", "/api/v1/event-type/user.new", json: ["description": "changed", "deprecated": true])
            #expect(updated.status == 200 && updated.json["deprecated"] as? Bool == true)
            let patched = try await api.call("PATCH", "/api/v1/event-type/user.new", json: ["featureFlag": "flag-1", "schemas": NSNull()])
            #expect(
                patched.status == 200 && patched.json["featureFlag"] as? String == "flag-1" && patched.json["description"] as? String == "changed")
            #expect(try await api.call("PATCH", "/api/v1/event-type/no.such", json: ["description": "x"]).status == 404)
            #expect(try await api.call("PATCH", "/api/v1/event-type/user.new", json: ["schemas": [1, 2]]).status == 422)

            #expect(try await api.call("DELETE", "/api/v1/event-type/user.new?expunge=true").status == 204)
            #expect(try await api.call("GET", "/api/v1/event-type/user.new").status == 404)
            #expect(try await api.call("GET", "/api/v1/event-type?include_archived=true").json["data"] as? [Any] != nil)
        }
    }
}
