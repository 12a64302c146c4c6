import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct RecoveryTests {
    @Test func resendRecoverAndStats() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            try await TestNode.with(retrySchedule: []) { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Rec"]).json["id"] as? String)
                let endpointId = try #require(
                    try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook", "uid": "rec"]).json["id"]
                        as? String)
                receiver.failNext(3)
                var sent: [String] = []
                for index in 0..<3 {
                    sent.append(
                        try #require(
                            try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "payload": ["n": index]]).json["id"]
                                as? String))
                }
                let ids = sent
                #expect(await receiver.waitFor(3).count == 3)
                @Sendable func stats() async throws -> [String: Int] {
                    // The counts; `circuit` (the breaker's state, an object) is checked in CircuitStatsTests.
                    try await api.call("GET", "/api/v1/app/\(appId)/endpoint/rec/stats").json.compactMapValues { $0 as? Int }
                }
                #expect(await node.waitUntil(timeout: .seconds(10)) { try await stats()["fail"] == 3 })
                #expect(try await stats() == ["success": 0, "pending": 0, "sending": 0, "fail": 3, "canceled": 0])
                let failedMessages = try await api.call("GET", "/api/v1/app/\(appId)/msg?status=2")
                #expect((failedMessages.json["data"] as? [Any])?.count == 3, "message lists filter by delivery status")
                #expect(try await api.call("GET", "/api/v1/app/\(appId)/msg?status=0").json["data"] as? [Any] != nil)
                #expect(try await api.call("GET", "/api/v1/app/\(appId)/msg?status=9").status == 422)

                let resent = try await api.call("POST", "/api/v1/app/\(appId)/msg/\(ids[0])/endpoint/rec/resend")
                #expect(resent.status == 202)
                #expect(resent.json.isEmpty && String(decoding: resent.body, as: UTF8.self) == "{}")
                #expect(await receiver.waitFor(4).count == 4)
                #expect(receiver.received[3].headers["webhook-id"] == ids[0])
                @Sendable func triggers(_ messageId: String) async throws -> [Int] {
                    let list = try await api.call("GET", "/api/v1/app/\(appId)/attempt/msg/\(messageId)")
                    return (list.json["data"] as? [[String: Any]] ?? []).compactMap { $0["triggerType"] as? Int }
                }
                #expect(await node.waitUntil(timeout: .seconds(10)) { try await triggers(ids[0]) == [1, 0] })
                #expect(try await api.call("POST", "/api/v1/app/\(appId)/msg/msg_nope/endpoint/rec/resend").status == 404)

                let since = Date().addingTimeInterval(-3600).formatted(.iso8601)
                let recover = try await api.call("POST", "/api/v1/app/\(appId)/endpoint/\(endpointId)/recover", json: ["since": since])
                #expect(recover.status == 202)
                #expect(recover.json["task"] as? String == "endpoint.recover")
                #expect(["running", "finished"].contains(recover.json["status"] as? String ?? ""))
                let taskId = try #require(recover.json["id"] as? String)
                #expect(taskId.hasPrefix("qtask_"))
                #expect(recover.json["updatedAt"] is String)
                @Sendable func task() async throws -> [String: Any] { try await api.call("GET", "/api/v1/background-task/\(taskId)").json }
                #expect(await node.waitUntil(timeout: .seconds(10)) { try await task()["status"] as? String == "finished" })
                #expect((try await task()["data"] as? [String: Int])?["messagesSent"] == 2, "the resent message had succeeded")
                let all = await receiver.waitFor(6)
                #expect(Set(all.dropFirst(4).compactMap { $0.headers["webhook-id"] }) == Set(ids[1...2]))
                #expect(await node.waitUntil(timeout: .seconds(10)) { try await stats()["success"] == 3 })
                #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint/rec/recover", json: ["until": since]).status == 422)
                #expect(try await api.call("GET", "/api/v1/background-task/qtask_nope").status == 404)
            }
        }
    }
}
