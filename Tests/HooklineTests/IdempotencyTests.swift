import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(3))) struct IdempotencyTests {
    @Test func repeatedPostReplaysTheFirstResponse() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let first = try await api.call("POST", "/api/v1/app", json: ["name": "Once"], headers: ["idempotency-key": "key-1"])
            let second = try await api.call("POST", "/api/v1/app", json: ["name": "Once"], headers: ["idempotency-key": "key-1"])
            #expect(first.status == 201)
            #expect(second.status == 201)
            #expect(second.body == first.body, "the same bytes")
            #expect(second.headers["idempotent-replayed"] == "true")
            #expect(first.headers["idempotent-replayed"] == nil)
            #expect(second.headers["content-type"] == "application/json")
            let other = try await api.call("POST", "/api/v1/app", json: ["name": "Once"], headers: ["idempotency-key": "key-2"])
            #expect(other.json["id"] as? String != first.json["id"] as? String, "another key is another request")
            let otherURL = try await api.call(
                "POST", "/api/v1/app?get_if_exists=false", json: ["name": "Once"], headers: ["idempotency-key": "key-1"])
            #expect(otherURL.json["id"] as? String != first.json["id"] as? String, "the key is scoped to the URL")
            let apps = try await api.call("GET", "/api/v1/app")
            #expect((apps.json["data"] as? [Any])?.count == 3)
        }
    }

    @Test func repeatedMessageCreateIsAnsweredFromTheMessagesTransaction() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try await api.call("POST", "/api/v1/app", json: ["name": "Msgs"]).json["id"] as? String ?? ""
            let body: [String: Any] = ["eventType": "order.paid", "payload": ["n": 1]]
            // The Svix SDKs send `.../msg/`; the key is scoped to the URL as sent.
            let path = "/api/v1/app/\(appId)/msg/"
            let first = try await api.call("POST", path, json: body, headers: ["idempotency-key": "auto_m1"])
            let second = try await api.call("POST", path, json: body, headers: ["idempotency-key": "auto_m1"])
            #expect(first.status == 202 && second.status == 202)
            #expect(second.body == first.body, "the same bytes")
            #expect(second.headers["idempotent-replayed"] == "true")
            #expect(first.headers["idempotent-replayed"] == nil)
            let other = try await api.call("POST", path, json: body, headers: ["idempotency-key": "auto_m2"])
            #expect(other.json["id"] as? String != first.json["id"] as? String, "another key is another message")
            let messages = try await api.call("GET", "/api/v1/app/\(appId)/msg")
            #expect((messages.json["data"] as? [Any])?.count == 2, "the repeat wrote nothing")
        }
    }

    @Test func failuresAreNotKept() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "F"]).json["id"] as? String)
            let path = "/api/v1/app/\(appId)/msg"
            let rejected = try await api.call("POST", path, json: ["eventType": "a", "payload": [1]], headers: ["idempotency-key": "k"])
            #expect(rejected.status == 422)
            let accepted = try await api.call("POST", path, json: ["eventType": "a", "payload": ["a": 1]], headers: ["idempotency-key": "k"])
            #expect(accepted.status == 202, "a rejected request does not use up its key")
            let repeated = try await api.call("POST", path, json: ["eventType": "a", "payload": ["a": 1]], headers: ["idempotency-key": "k"])
            #expect(repeated.body == accepted.body)
        }
    }

    @Test func concurrentDuplicatesWaitForTheFirst() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "C"]).json["id"] as? String)
            let replies = try await withThrowingTaskGroup(of: APIClient.Reply.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await api.call(
                            "POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "payload": ["a": 1]],
                            headers: ["idempotency-key": "burst"])
                    }
                }
                var replies: [APIClient.Reply] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            #expect(replies.allSatisfy { $0.status == 202 })
            #expect(Set(replies.map(\.body)).count == 1, "every duplicate got the first response")
            #expect(replies.filter { $0.headers["idempotent-replayed"] == nil }.count == 1, "the work ran once")
            let messages = try await api.call("GET", "/api/v1/app/\(appId)/msg")
            #expect((messages.json["data"] as? [Any])?.count == 1)
        }
    }

    @Test func keptResponsesExpireAfterTwelveHours() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/db.sqlite")
        let clock = ManualClock()
        let gate = IdempotencyGate(store: store, clock: clock)
        let runs = Atomic<Int>(0)
        @Sendable func work() async throws -> IdempotentResponse {
            let run = runs.add(1, ordering: .relaxed).newValue
            return IdempotentResponse(status: 201, contentType: "application/json", body: Data("{\"run\":\(run)}".utf8))
        }
        let scope = IdempotencyGate<SQLiteStore, ManualClock>.scope(credentials: "Bearer k", method: "POST", url: "/api/v1/app", key: "k")
        let first = try await gate.perform(scope: scope, work)
        clock.advance(by: .seconds(12 * 3600 - 1))
        let replay = try await gate.perform(scope: scope, work)
        #expect(!first.replayed && replay.replayed && replay.response == first.response)
        clock.advance(by: .seconds(1))
        let fresh = try await gate.perform(scope: scope, work)
        #expect(!fresh.replayed && runs.load(ordering: .relaxed) == 2, "after 12 h the key is new again")
        #expect(IdempotencyGate<SQLiteStore, ManualClock>.scope(credentials: "Bearer other", method: "POST", url: "/api/v1/app", key: "k") != scope)
    }

    @Test func keysSurviveARestart() async throws {
        let directory = try TemporaryDirectory()
        let arguments = ["--port", "0", "--api-key", TestNode.apiKey, "--data-dir", directory.path, "--log-level", "error"]
        let first = try HooklineProcess(arguments: arguments)
        let before = try await APIClient(baseURL: try await first.baseURL())
            .call("POST", "/api/v1/app", json: ["name": "Durable"], headers: ["idempotency-key": "restart"])
        #expect(before.status == 201)
        #expect(await first.terminate(SIGTERM) == 0)

        let second = try HooklineProcess(arguments: arguments)
        let api = APIClient(baseURL: try await second.baseURL())
        let after = try await api.call("POST", "/api/v1/app", json: ["name": "Durable"], headers: ["idempotency-key": "restart"])
        #expect(after.status == 201)
        #expect(after.body == before.body)
        #expect((try await api.call("GET", "/api/v1/app").json["data"] as? [Any])?.count == 1)
        #expect(await second.terminate(SIGTERM) == 0)
    }
}
