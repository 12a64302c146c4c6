import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct APIErrorTests {
    @Test func everyErrorIsJSON() async throws {
        try await TestNode.with(.router, maxBodyBytes: 4096) { node in
            let api = node.api()
            let anonymous = node.api(apiKey: nil)
            let wrongKey = node.api(apiKey: "nope")

            #expect(try await anonymous.call("GET", "/api/v1/health").status == 200, "health needs no key")
            let missing = try await anonymous.call("GET", "/api/v1/app")
            #expect(missing.status == 401)
            #expect(missing.json["code"] as? String == "authentication_failed")
            #expect(try await wrongKey.call("GET", "/api/v1/app").status == 401)

            let unknown = try await api.call("GET", "/api/v1/app/app_doesnotexist")
            #expect(unknown.status == 404)
            #expect(unknown.json["code"] as? String == "not_found")
            #expect(unknown.headers["content-type"] == "application/json")
            #expect(try await api.call("GET", "/api/v1/nowhere").json["code"] as? String == "not_found")

            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Errors"]).json["id"] as? String)

            let notObject = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "payload": [1, 2]])
            #expect(notObject.status == 422)
            let detail = try #require((notObject.json["detail"] as? [[String: Any]])?.first)
            #expect(detail["loc"] as? [String] == ["body", "payload"])

            let missingField = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["payload": [:]])
            #expect(missingField.status == 422)
            #expect(((missingField.json["detail"] as? [[String: Any]])?.first?["loc"] as? [String]) == ["body", "eventType"])

            let malformed = try await api.call("POST", "/api/v1/app/\(appId)/msg", raw: "{not json")
            #expect(malformed.status == 400)
            #expect(malformed.json["code"] as? String == "invalid_json")

            let badName = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "has space", "payload": [:]])
            #expect(badName.status == 422)

            let tooLarge = try await api.call(
                "POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "payload": ["x": String(repeating: "y", count: 8000)]])
            #expect(tooLarge.status == 413)
            #expect(tooLarge.json["code"] as? String == "payload_too_large")

            #expect(try await api.call("GET", "/api/v1/app?limit=251").status == 422)
            #expect(try await api.call("POST", "/api/v1/app", json: ["name": "x", "uid": "app_taken"]).status == 422)
            #expect(try await api.call("POST", "/api/v1/app", json: ["name": "x", "uid": "dup"]).status == 201)
            #expect(try await api.call("POST", "/api/v1/app", json: ["name": "x", "uid": "dup"]).json["code"] as? String == "conflict")

            let privateURL = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": "http://10.0.0.1/hook"])
            #expect(privateURL.status == 422, "private addresses are refused unless allowed")
            #expect(
                try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": "http://127.0.0.1:1/x", "secret": "whsec_short"]).status
                    == 422)

            let messages = try await api.call("GET", "/api/v1/app/\(appId)/msg")
            #expect((messages.json["data"] as? [Any])?.isEmpty == true, "rejected requests wrote nothing")
            #expect(messages.json.keys.contains("iterator"), "iterator is always present")
        }
    }

    @Test func eventIdIsUniquePerApplication() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "E"]).json["id"] as? String)
            let first = try await api.call(
                "POST", "/api/v1/app/\(appId)/msg?with_content=false", json: ["eventType": "a", "eventId": "evt-1", "payload": ["a": 1]])
            #expect(first.status == 202)
            #expect((first.json["payload"] as? [String: Any])?.isEmpty == true, "with_content=false returns an empty payload")
            let second = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "eventId": "evt-1", "payload": ["a": 1]])
            #expect(second.status == 409)
            let byEventId = try await api.call("GET", "/api/v1/app/\(appId)/msg/evt-1")
            #expect(byEventId.json["id"] as? String == first.json["id"] as? String, "a message is addressable by its eventId")
        }
    }
}
