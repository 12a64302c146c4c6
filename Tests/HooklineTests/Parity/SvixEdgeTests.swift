import Foundation
import HooklineTesting
import Testing

/// Svix parity at the edge: empty lists read as absent, 405 for a wrong method, any case of `Bearer`, ping.
@Suite(.timeLimit(.minutes(3))) struct SvixEdgeTests {
    @Test func emptyFilterListsReadAsNullOnEveryPath() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let app = try await api.call("POST", "/api/v1/app", json: ["name": "a"]).json
            let appId = try #require(app["id"] as? String)
            let created = try await api.call(
                "POST", "/api/v1/app/\(appId)/endpoint", json: ["url": "http://127.0.0.1:9/x", "channels": [String](), "eventTypes": [String]()])
            let endpointId = try #require(created.json["id"] as? String)
            let patched = try await api.call(
                "PATCH", "/api/v1/app/\(appId)/endpoint/\(endpointId)",
                json: ["channels": [String](), "eventTypes": [String](), "filterTypes": [String]()])
            let replaced = try await api.call(
                "PUT", "/api/v1/app/\(appId)/endpoint/\(endpointId)", json: ["url": "http://127.0.0.1:9/y", "channels": [String]()])
            let read = try await api.call("GET", "/api/v1/app/\(appId)/endpoint/\(endpointId)")
            let listed = try #require((try await api.call("GET", "/api/v1/app/\(appId)/endpoint").json["data"] as? [[String: Any]])?.first)
            for (name, object) in [("create", created.json), ("patch", patched.json), ("put", replaced.json), ("get", read.json), ("list", listed)] {
                for key in ["channels", "eventTypes", "filterTypes"] {
                    #expect(object[key] == nil || object[key] is NSNull, "\(name) answers \(key) = \(String(describing: object[key]))")
                }
            }
            #expect(patched.status == 200 && read.json["url"] as? String == "http://127.0.0.1:9/y")
            let message = try await api.call(
                "POST", "/api/v1/app/\(appId)/msg",
                json: ["eventType": "a.b", "payload": [String: Any](), "channels": [String](), "tags": [String]()])
            #expect(message.status == 202 && message.json["channels"] == nil && message.json["tags"] == nil)
            let six = (1...6).map { "c\($0)" }
            #expect(
                try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a.b", "payload": [String: Any](), "channels": six]).status
                    == 422)
            let repeated = try await api.call(
                "POST", "/api/v1/app/\(appId)/msg",
                json: ["eventType": "a.b", "payload": [String: Any](), "channels": Array(six.dropLast()) + ["c1"]])
            #expect(repeated.status == 202 && (repeated.json["channels"] as? [String])?.count == 5, "a set of 5, read without the repeat")
            let eleven = (1...11).map { "c\($0)" }
            #expect(
                try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": "http://127.0.0.1:9/z", "channels": eleven]).status == 422)
        }
    }

    @Test func knownPathWithWrongMethodIs405WithTheJSONErrorShape() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let wrong = try await api.call("PUT", "/api/v1/app")
            #expect(wrong.status == 405)
            #expect(wrong.json["code"] as? String == "method_not_allowed" && wrong.json["detail"] is String)
            #expect(wrong.headers["allow"] == "GET, POST")
            let templated = try await api.call("POST", "/api/v1/app/app_x/msg/msg_y")
            #expect(templated.status == 405 && templated.headers["allow"] == "GET")
            let unknown = try await api.call("GET", "/api/v1/no-such-thing")
            #expect(unknown.status == 404 && unknown.json["code"] as? String == "not_found")
            let anonymous = try await node.api(apiKey: nil).call("PUT", "/api/v1/app")
            #expect(anonymous.status == 401, "the method check does not reveal routes before authentication")
        }
    }

    @Test func authorizationSchemeIsCaseInsensitive() async throws {
        try await TestNode.with(.router) { node in
            let anonymous = node.api(apiKey: nil)
            for scheme in ["bearer", "BEARER", "Bearer", "bEaReR"] {
                let reply = try await anonymous.call("GET", "/api/v1/app", headers: ["authorization": "\(scheme) \(TestNode.apiKey)"])
                #expect(reply.status == 200, "scheme \(scheme)")
            }
            let wrong = try await anonymous.call("GET", "/api/v1/app", headers: ["authorization": "bearer nope"])
            #expect(wrong.status == 401)
            let basic = try await anonymous.call("GET", "/api/v1/app", headers: ["authorization": "Basic \(TestNode.apiKey)"])
            #expect(basic.status == 401)
        }
    }

    @Test func pingAnswers204WithoutCredentials() async throws {
        try await TestNode.with(.router) { node in
            let anonymous = node.api(apiKey: nil)
            let get = try await anonymous.call("GET", "/api/v1/health/ping")
            #expect(get.status == 204 && get.body.isEmpty)
            let head = try await anonymous.call("HEAD", "/api/v1/health/ping")
            #expect(head.status == 204)
        }
    }
}
