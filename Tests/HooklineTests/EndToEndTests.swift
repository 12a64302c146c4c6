import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct EndToEndTests {
    @Test func messageArrivesSignedAfterRetriesAndAttemptsAreListed() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            try await TestNode.with { node in
                let api = APIClient(baseURL: node.baseURL)
                let app = try await api.call("POST", "/api/v1/app", json: ["name": "Shop", "uid": "shop"])
                #expect(app.status == 201)
                let appId = try #require(app.json["id"] as? String)
                #expect(appId.hasPrefix("app_"))
                let endpoint = try await api.call("POST", "/api/v1/app/shop/endpoint", json: ["url": receiverURL + "/hook"])
                #expect(endpoint.status == 201)
                let endpointId = try #require(endpoint.json["id"] as? String)
                let secret = try #require(try await api.call("GET", "/api/v1/app/\(appId)/endpoint/\(endpointId)/secret").json["key"] as? String)

                receiver.failNext(2)
                let sent = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "order.paid", "payload": ["total": 42]])
                #expect(sent.status == 202)
                let messageId = try #require(sent.json["id"] as? String)

                let received = await receiver.waitFor(3)
                #expect(received.count == 3)
                for delivery in received {
                    #expect(delivery.headers["webhook-id"] == messageId)
                    let timestamp = try #require(delivery.headers["webhook-timestamp"].flatMap { Int64($0) })
                    #expect(abs(Double(timestamp) - Date().timeIntervalSince1970) < 300)
                    let expected = WebhookSigner().signature(
                        id: messageId, timestamp: timestamp, body: delivery.body, secrets: [try EndpointSecret(secret)])
                    #expect(delivery.headers["webhook-signature"] == expected)
                    #expect(delivery.headers["svix-id"] == messageId)
                    #expect(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Int] == ["total": 42])
                }

                @Sendable func statuses() async throws -> [Int] {
                    let list = try await api.call("GET", "/api/v1/app/\(appId)/attempt/msg/\(messageId)")
                    return (list.json["data"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? Int }
                }
                #expect(await node.waitUntil(timeout: .seconds(10)) { try await statuses().count == 3 })
                let statuses = try await statuses()
                #expect(statuses == [0, 2, 2], "newest first: one success after two failures")
                let byEndpoint = try await api.call("GET", "/api/v1/app/\(appId)/attempt/endpoint/\(endpointId)?limit=1")
                #expect((byEndpoint.json["data"] as? [Any])?.count == 1)
                #expect(byEndpoint.json["done"] as? Bool == false)
                #expect(byEndpoint.json["iterator"] is String)
                let failed = try await api.call("GET", "/api/v1/app/\(appId)/attempt/endpoint/\(endpointId)?status=2")
                #expect((failed.json["data"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? Int } == [2, 2])
                // No attempt is ever recorded as pending: the answer is empty and final.
                let pending = try await api.call("GET", "/api/v1/app/\(appId)/attempt/endpoint/\(endpointId)?status=1")
                #expect((pending.json["data"] as? [Any])?.isEmpty == true && pending.json["done"] as? Bool == true)
            }
        }
    }

    @Test func exhaustedMessageIsKeptAsFailed() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            try await TestNode.with(retrySchedule: [.milliseconds(20)]) { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "A"]).json["id"] as? String)
                _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL])
                receiver.failNext(10, status: 302)
                let messageId = try #require(
                    try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "payload": [:]]).json["id"] as? String)
                #expect(await receiver.waitFor(2).count == 2)
                #expect(await node.waitUntil(timeout: .seconds(10)) { try await node.store.deliveries(messageId: messageId).first?.state == .failed })
                let attempts = try await api.call("GET", "/api/v1/app/\(appId)/attempt/msg/\(messageId)")
                let codes = (attempts.json["data"] as? [[String: Any]] ?? []).compactMap { $0["responseStatusCode"] as? Int }
                #expect(codes == [302, 302], "redirects are failures and are not followed")
                #expect(try await api.call("GET", "/api/v1/app/\(appId)/msg/\(messageId)").status == 200)
            }
        }
    }

    @Test func applicationsPageWithIterator() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            for index in 0..<5 { _ = try await api.call("POST", "/api/v1/app/", json: ["name": "app \(index)"]) }
            var seen: [String] = []
            var iterator = ""
            for _ in 0..<5 {
                let page = try await api.call("GET", "/api/v1/app?limit=2" + (iterator.isEmpty ? "" : "&iterator=\(iterator)"))
                seen += (page.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                if page.json["done"] as? Bool == true { break }
                iterator = try #require(page.json["iterator"] as? String)
            }
            #expect(seen.count == 5 && Set(seen).count == 5)
        }
    }
}
