import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Ordered endpoints, priority and the API fields behind them, on a real node and a real receiver.
@Suite(.timeLimit(.minutes(3))) struct OrderedDeliveryTests {
    @Test func orderedEndpointReceivesMessagesInOrderDespiteFailures() async throws {
        try await RecordingReceiver.with { receiver, url in
            try await RecordingReceiver.with { other, otherURL in
                try await TestNode.with(retrySchedule: Array(repeating: .milliseconds(30), count: 5)) { node in
                    let api = APIClient(baseURL: node.baseURL)
                    let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Ordered"]).json["id"] as? String)
                    let created = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": url + "/ordered", "ordered": true])
                    #expect(created.status == 201 && created.json["ordered"] as? Bool == true)
                    _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": otherURL + "/plain"])
                    let count = 12
                    receiver.failFirstAttempt(ofBodiesContaining: ["\"m0\"", "\"m3\"", "\"m4\"", "\"m9\""])
                    for index in 0..<count {
                        let reply = try await api.call(
                            "POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "order.step", "payload": ["seq": index, "tag": "m\(index)"]])
                        #expect(reply.status == 202)
                    }
                    let received = await receiver.waitFor(count + 4, timeout: .seconds(20))
                    #expect(received.count == count + 4, "every message once plus one failed first attempt for four of them")
                    let sequence = try received.map { request -> Int in
                        let object = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
                        return try #require(object["seq"] as? Int)
                    }
                    let expected = (0..<count).flatMap { [0, 3, 4, 9].contains($0) ? [$0, $0] : [$0] }
                    #expect(sequence == expected, "FIFO, each failure retried before the next message: \(sequence)")
                    #expect(await other.waitFor(count).count == count, "the plain endpoint gets everything too")
                }
            }
        }
    }

    @Test func priorityAndOrderedRoundTripThroughTheAPI() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Priority"]).json["id"] as? String)
            let high = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "p", "payload": [:], "priority": "high"])
            #expect(high.status == 202 && high.json["priority"] as? Int == 8)
            let seven = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "p", "payload": [:], "priority": 7])
            #expect(seven.json["priority"] as? Int == 7)
            let plain = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "p", "payload": [:]])
            #expect(plain.json["priority"] as? Int == 5)
            let id = try #require(seven.json["id"] as? String)
            #expect(try await api.call("GET", "/api/v1/app/\(appId)/msg/\(id)").json["priority"] as? Int == 7)
            for bad: Any in [10, -1, "urgent", true] {
                let reply = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "p", "payload": [:], "priority": bad])
                #expect(reply.status == 422, "priority \(bad) is refused")
                let detail = (reply.json["detail"] as? [[String: Any]])?.first
                #expect(detail?["loc"] as? [String] == ["body", "priority"])
                #expect((detail?["msg"] as? String)?.contains("priority") == true)
            }
            let endpoint = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": "http://127.0.0.1:9/x"])
            #expect(endpoint.json["ordered"] as? Bool == false)
            let endpointId = try #require(endpoint.json["id"] as? String)
            let patched = try await api.call("PATCH", "/api/v1/app/\(appId)/endpoint/\(endpointId)", json: ["ordered": true])
            #expect(patched.json["ordered"] as? Bool == true)
            let renamed = try await api.call("PATCH", "/api/v1/app/\(appId)/endpoint/\(endpointId)", json: ["description": "kept"])
            #expect(renamed.json["ordered"] as? Bool == true, "a patch without the field keeps it")
        }
    }
}
