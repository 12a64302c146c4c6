import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct ManagementAPITests {
    @Test func patchChangesOnlyTheFieldsSent() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let app = try await api.call("POST", "/api/v1/app", json: ["name": "Before", "uid": "patchme", "metadata": ["a": "1"]])
            #expect(app.status == 201)
            let patched = try await api.call("PATCH", "/api/v1/app/patchme", json: ["name": "After"])
            #expect(patched.status == 200)
            #expect(patched.json["name"] as? String == "After")
            #expect(patched.json["uid"] as? String == "patchme")
            #expect(patched.json["metadata"] as? [String: String] == ["a": "1"])
            let cleared = try await api.call("PATCH", "/api/v1/app/patchme", json: ["uid": NSNull()])
            #expect(cleared.status == 200)
            #expect(cleared.json["uid"] == nil)
            let appId = try #require(app.json["id"] as? String)
            #expect(try await api.call("PATCH", "/api/v1/app/\(appId)", json: ["name": 5]).status == 422)
            #expect(try await api.call("PATCH", "/api/v1/app/\(appId)", json: ["uid": "bad uid"]).status == 422)

            let endpoint = try await api.call(
                "POST", "/api/v1/app/\(appId)/endpoint",
                json: ["url": "http://127.0.0.1:9/a", "uid": "ep-one", "description": "first", "filterTypes": ["a.b"]])
            let secret = try await api.call("GET", "/api/v1/app/\(appId)/endpoint/ep-one/secret").json["key"] as? String
            let disabled = try await api.call("PATCH", "/api/v1/app/\(appId)/endpoint/ep-one", json: ["disabled": true])
            #expect(disabled.status == 200)
            #expect(disabled.json["disabled"] as? Bool == true)
            #expect(disabled.json["description"] as? String == "first")
            #expect(disabled.json["url"] as? String == "http://127.0.0.1:9/a")
            #expect(disabled.json["eventTypes"] as? [String] == ["a.b"])
            #expect(try await api.call("GET", "/api/v1/app/\(appId)/endpoint/ep-one/secret").json["key"] as? String == secret, "the secret is kept")
            let all = try await api.call(
                "PATCH", "/api/v1/app/\(appId)/endpoint/\(try #require(endpoint.json["id"] as? String))", json: ["eventTypes": NSNull()])
            #expect(all.json["eventTypes"] == nil)
            #expect(try await api.call("PATCH", "/api/v1/app/\(appId)/endpoint/ep-one", json: ["url": "ftp://x"]).status == 422)
            #expect(try await api.call("PATCH", "/api/v1/app/\(appId)/endpoint/nope", json: ["disabled": false]).status == 404)
        }
    }

    @Test func headersCanBeReadReplacedAndPatched() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "H"]).json["id"] as? String)
            _ = try await api.call(
                "POST", "/api/v1/app/\(appId)/endpoint", json: ["url": "http://127.0.0.1:9/a", "uid": "h", "headers": ["x-a": "1"]])
            let path = "/api/v1/app/\(appId)/endpoint/h/headers"
            #expect(try await api.call("GET", path).json["headers"] as? [String: String] == ["x-a": "1"])
            #expect(try await api.call("PUT", path, json: ["headers": ["x-b": "2"]]).status == 204)
            #expect(try await api.call("GET", path).json["headers"] as? [String: String] == ["x-b": "2"])
            #expect(try await api.call("PATCH", path, json: ["headers": ["x-c": "3"], "deleteHeaders": ["x-b"]]).status == 204)
            let final = try await api.call("GET", path)
            #expect(final.json["headers"] as? [String: String] == ["x-c": "3"])
            #expect(final.json["sensitive"] as? [String] == [])
            #expect(try await api.call("PUT", path, json: ["headers": ["bad name": "x"]]).status == 422)
        }
    }

    @Test func messageListsFilterAndPageBothWays() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "F"]).json["id"] as? String)
            var ids: [String] = []
            for index in 0..<5 {
                let body: [String: Any] = [
                    "eventType": index.isMultiple(of: 2) ? "even" : "odd", "payload": ["n": index],
                    "channels": index < 2 ? ["early"] : ["late"],
                ]
                ids.append(try #require(try await api.call("POST", "/api/v1/app/\(appId)/msg", json: body).json["id"] as? String))
            }
            func listed(_ query: String) async throws -> APIClient.Reply {
                try await api.call("GET", "/api/v1/app/\(appId)/msg?\(query)")
            }
            func idsOf(_ reply: APIClient.Reply) -> [String] {
                (reply.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(idsOf(try await listed("event_types=even")) == [ids[4], ids[2], ids[0]])
            #expect(idsOf(try await listed("event_types=odd,even&channel=early")) == [ids[1], ids[0]])
            let future = Date().addingTimeInterval(3600).formatted(.iso8601).replacingOccurrences(of: "Z", with: "")
            #expect(idsOf(try await listed("before=\(future)")).count == 5, "a datetime without a zone is UTC")
            #expect(idsOf(try await listed("after=\(future)")).isEmpty)
            #expect(try await listed("before=yesterday").status == 422)
            #expect(try await listed("order=ascending&with_content=false&include_archived=true").status == 200, "unknown SDK parameters are ignored")

            let first = try await listed("limit=2")
            #expect(idsOf(first) == [ids[4], ids[3]])
            #expect(first.json["prevIterator"] as? String == "-" + ids[4])
            let second = try await listed("limit=2&iterator=\(try #require(first.json["iterator"] as? String))")
            #expect(idsOf(second) == [ids[2], ids[1]])
            let back = try await listed("limit=2&iterator=\(try #require(second.json["prevIterator"] as? String))")
            #expect(idsOf(back) == [ids[4], ids[3]])
            #expect(back.json["done"] as? Bool == true)
            let last = try await listed("limit=2&iterator=\(try #require(second.json["iterator"] as? String))")
            #expect(idsOf(last) == [ids[0]])
            #expect(last.json["done"] as? Bool == true)
            let empty = try await listed("event_types=none")
            #expect(empty.json.keys.contains("iterator") && empty.json["iterator"] is NSNull)
        }
    }
}
