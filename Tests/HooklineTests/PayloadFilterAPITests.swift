import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Payload filters through the API: validation, storage, patching, and routing against a real receiver.
@Suite(.timeLimit(.minutes(3))) struct PayloadFilterAPITests {
    nonisolated(unsafe) static let bigOrVip: [String: Any] = [
        "or": [["path": "data.amount", "gte": 100], ["path": "customer.vip", "eq": true]]
    ]

    @Test func onlyMatchingMessagesCreateDeliveriesForAFilteredEndpoint() async throws {
        try await RecordingReceiver.with { receiver, url in
            try await TestNode.with { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Filters"]).json["id"] as? String)
                let plain = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": url + "/all"])
                let filtered = try await api.call(
                    "POST", "/api/v1/app/\(appId)/endpoint", json: ["url": url + "/big", "payloadFilter": Self.bigOrVip])
                #expect(filtered.status == 201)
                let filteredId = try #require(filtered.json["id"] as? String)
                let plainId = try #require(plain.json["id"] as? String)
                let echoed = try #require(filtered.json["payloadFilter"] as? [String: Any])
                #expect((echoed["or"] as? [Any])?.count == 2)
                #expect(plain.json["payloadFilter"] == nil, "no filter: the field is absent")

                let payloads: [[String: Any]] = [
                    ["data": ["amount": 500]], ["data": ["amount": 5]], ["customer": ["vip": true], "data": ["amount": 1]], ["other": "x"],
                ]
                var ids: [String] = []
                for payload in payloads {
                    let sent = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "order.paid", "payload": payload])
                    #expect(sent.status == 202)
                    ids.append(try #require(sent.json["id"] as? String))
                }
                let received = await receiver.waitFor(6)
                #expect(received.filter { $0.path == "/all" }.count == 4)
                #expect(Set(received.filter { $0.path == "/big" }.compactMap { $0.headers["webhook-id"] }) == [ids[0], ids[2]])
                for (index, id) in ids.enumerated() {
                    let endpoints = try await node.store.deliveries(messageId: id).map(\.endpointId)
                    let expected = index == 0 || index == 2 ? Set([plainId, filteredId]) : Set([plainId])
                    #expect(Set(endpoints) == expected, "message \(index): a filtered-out message has no delivery row")
                }
            }
        }
    }

    @Test func filtersAreValidatedPatchedAndCleared() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Validation"]).json["id"] as? String)
            let bad = try await api.call(
                "POST", "/api/v1/app/\(appId)/endpoint",
                json: ["url": "http://127.0.0.1:9/", "payloadFilter": ["and": [["path": "a", "eq": 1], ["path": "b", "between": [1, 2]]]]])
            #expect(bad.status == 422)
            let detail = try #require((bad.json["detail"] as? [[String: Any]])?.first)
            #expect((detail["msg"] as? String)?.contains("payloadFilter.and[1]: unknown operator 'between'") == true)
            #expect(detail["loc"] as? [String] == ["body", "payloadFilter", "and", "1"])

            let created = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": "http://127.0.0.1:9/"])
            let endpointId = try #require(created.json["id"] as? String)
            let path = "/api/v1/app/\(appId)/endpoint/\(endpointId)"
            let patched = try await api.call("PATCH", path, json: ["payloadFilter": ["path": "type", "in": ["a", "b"]]])
            #expect(patched.status == 200)
            #expect((patched.json["payloadFilter"] as? [String: Any])?["path"] as? String == "type")
            let badPatch = try await api.call("PATCH", path, json: ["payloadFilter": ["path": "type", "gt": "ten"]])
            #expect(badPatch.status == 422)
            let kept = try await api.call("PATCH", path, json: ["description": "still filtered"])
            #expect((kept.json["payloadFilter"] as? [String: Any])?["in"] as? [String] == ["a", "b"], "a patch without the field keeps it")
            let stored = try await node.store.endpoint(appId: appId, idOrUid: endpointId)
            #expect(stored?.payloadFilter?.json == .object(["path": .string("type"), "in": .array([.string("a"), .string("b")])]))
            let cleared = try await api.call("PATCH", path, json: ["payloadFilter": NSNull()])
            #expect(cleared.json["payloadFilter"] == nil)
            #expect(try await node.store.endpoint(appId: appId, idOrUid: endpointId)?.payloadFilter == nil)
        }
    }
}
