import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Skipped deliveries and operational webhooks through a real node and real receivers on 127.0.0.1.
@Suite(.timeLimit(.minutes(3))) struct DisableIntegrationTests {
    @Test func messagesSentWhileDisabledArriveAfterEnableAndRecover() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            try await TestNode.with { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Paused"]).json["id"] as? String)
                let created = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook", "uid": "paused"])
                let endpointId = try #require(created.json["id"] as? String)
                #expect(try await api.call("PATCH", "/api/v1/app/\(appId)/endpoint/paused", json: ["disabled": true]).status == 200)
                var sent: [String] = []
                for index in 0..<2 {
                    let reply = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "payload": ["n": index]])
                    sent.append(try #require(reply.json["id"] as? String))
                }
                let ids = sent
                for id in ids {
                    #expect(try await node.store.deliveries(messageId: id).map(\.state) == [.skipped], "kept as skipped, not dropped")
                }
                let stats = try await api.call("GET", "/api/v1/app/\(appId)/endpoint/paused/stats").json
                #expect(stats["fail"] as? Int == 2, "skipped deliveries are reported as fail, as Svix reports undelivered messages")
                #expect((try await api.call("GET", "/api/v1/app/\(appId)/msg?status=2").json["data"] as? [Any])?.count == 2)
                // Skipped deliveries are not due: the engine has nothing to send (rather than "nothing arrived within N ms").
                #expect(try await node.store.nextDueTime() == nil, "nothing is due while disabled")
                #expect(receiver.received.isEmpty, "nothing was sent")

                #expect(try await api.call("PATCH", "/api/v1/app/\(appId)/endpoint/paused", json: ["disabled": false]).status == 200)
                let since = Date().addingTimeInterval(-3600).formatted(.iso8601)
                #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint/\(endpointId)/recover", json: ["since": since]).status == 202)
                let received = await receiver.waitFor(2)
                #expect(Set(received.compactMap { $0.headers["webhook-id"] }) == Set(ids))
                #expect(
                    await node.waitUntil(timeout: .seconds(10)) {
                        try await api.call("GET", "/api/v1/app/\(appId)/endpoint/paused/stats").json["success"] as? Int == 2
                    })
            }
        }
    }

    @Test func exhaustedDeliveryPostsASignedOperationalWebhookAndStreamsIt() async throws {
        let secret = EndpointSecret.random()
        try await RecordingReceiver.with { operations, operationsURL in
            try await RecordingReceiver.with { failing, failingURL in
                try await TestNode.with(retrySchedule: [.milliseconds(50)]) { configuration in
                    configuration.operational = .init(url: operationsURL + "/ops", secret: secret, idlePollInterval: .milliseconds(100))
                } _: { node in
                    let api = APIClient(baseURL: node.baseURL)
                    failing.failNext(100, status: 503)
                    let stream = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/stream?kinds=message.attempt.exhausted")
                    defer { stream.close() }
                    let app = try await api.call("POST", "/api/v1/app", json: ["name": "Flaky", "uid": "flaky"])
                    let appId = try #require(app.json["id"] as? String)
                    let endpoint = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": failingURL + "/hook"])
                    let endpointId = try #require(endpoint.json["id"] as? String)
                    // The forwarder starts at the end of the log: let it get there before the event it must forward.
                    #expect(await node.waitForOperationalForwarder(), "the operational forwarder is running")
                    let message = try await api.call(
                        "POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "order.paid", "eventId": "order-42", "payload": ["n": 1]])
                    let messageId = try #require(message.json["id"] as? String)

                    let frames = await stream.waitForEvents(1, kind: "message.attempt.exhausted")
                    #expect(frames.first?.json["msgId"] as? String == messageId && frames.first?.json["endpointId"] as? String == endpointId)

                    let posted = try #require(await operations.waitFor(1).first)
                    #expect(posted.path == "/ops")
                    let body = try #require(try JSONSerialization.jsonObject(with: posted.body) as? [String: Any])
                    #expect(body["type"] as? String == "message.attempt.exhausted")
                    #expect(body["timestamp"] is String)
                    let data = try #require(body["data"] as? [String: Any])
                    #expect(data["appId"] as? String == appId && data["appUid"] as? String == "flaky")
                    #expect(data["endpointId"] as? String == endpointId && data["msgId"] as? String == messageId)
                    #expect(data["msgEventId"] as? String == "order-42")
                    let last = try #require(data["lastAttempt"] as? [String: Any])
                    #expect(last["responseStatusCode"] as? Int == 503 && (last["id"] as? String)?.hasPrefix("atmpt_") == true)

                    let id = try #require(posted.headers["webhook-id"])
                    let timestamp = try #require(posted.headers["webhook-timestamp"].flatMap { Int64($0) })
                    let expected = WebhookSigner().signature(id: id, timestamp: timestamp, body: posted.body, secrets: [secret])
                    #expect(posted.headers["webhook-signature"] == expected, "signed like any delivery")
                    #expect(failing.received.count == 2, "the failing endpoint got its two attempts")
                    // Once the forwarder is past the exhaustion (and everything after it), nothing more is coming.
                    let exhaustedId = try #require(frames.first?.id)
                    #expect(await node.waitForOperationalForwarder(through: exhaustedId))
                    let listed = try await api.call("GET", "/api/v1/app/hookline-operational/msg").json["data"] as? [Any]
                    #expect(listed?.count == 1 && operations.received.count == 1, "one event, one operational webhook")
                }
            }
        }
    }

    @Test func failuresOfTheOperationalEndpointDoNotLoop() async throws {
        try await RecordingReceiver.with { operations, operationsURL in
            try await RecordingReceiver.with { failing, failingURL in
                try await TestNode.with(retrySchedule: [.milliseconds(50)]) { configuration in
                    configuration.operational = .init(url: operationsURL, secret: .random(), idlePollInterval: .milliseconds(100))
                } _: { node in
                    let api = APIClient(baseURL: node.baseURL)
                    failing.failNext(100)
                    operations.failNext(100)
                    let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Flaky"]).json["id"] as? String)
                    _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": failingURL])
                    #expect(await node.waitForOperationalForwarder(), "the operational forwarder is running")
                    _ = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "payload": [:] as [String: Int]])
                    // No timing is asserted here: the wait is bounded by the suite's time limit, not a guessed 10 s (at the start
                    // of a full run ~300 tests start at once, and each commit in the exhaust-forward-retry chain can take seconds).
                    let posted = await operations.waitFor(2, timeout: .seconds(150))
                    let kinds = try await node.store.events(after: 0, limit: 1000).map { "\($0.kind)@\($0.draft.createdAt.timeIntervalSince1970)" }
                    #expect(
                        posted.count == 2,
                        "the operational message is retried like any delivery: \(posted.map(\.receivedAt.timeIntervalSince1970)) \(kinds)")
                    @Sendable func exhaustedEvents() async throws -> [Int64] {
                        try await node.store.events(after: 0, limit: 1000).filter { $0.kind == .messageAttemptExhausted }.map(\.id)
                    }
                    #expect(await node.waitUntil(timeout: .seconds(5)) { try await exhaustedEvents().count == 2 }, "both exhaustions are logged")
                    // Once the forwarder is past its own endpoint's exhaustion, it has decided: nothing more is posted.
                    let lastExhausted = try #require(try await exhaustedEvents().max())
                    #expect(await node.waitForOperationalForwarder(through: lastExhausted))
                    let operational = try await api.call("GET", "/api/v1/app/hookline-operational/msg")
                    #expect((operational.json["data"] as? [Any])?.count == 1, "its own exhaustion is not forwarded")
                    #expect(operations.received.count == 2, "so nothing beyond the operational message's two attempts is posted")
                }
            }
        }
    }
}
