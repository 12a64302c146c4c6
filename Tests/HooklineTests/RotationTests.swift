import Crypto
import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct RotationTests {
    /// Whether any `v1,` entry of `header` verifies with `secret`, as a Standard Webhooks receiver checks.
    static func verifies(_ header: String, secret: EndpointSecret, id: String, timestamp: String, body: Data) -> Bool {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let expected = "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: secret.key))).base64EncodedString()
        return header.split(separator: " ").contains { $0 == expected }
    }

    @Test func oldSecretVerifiesDuringTheGracePeriodOnly() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/db.sqlite", schedule: [])
        try await harness.run { harness in
            let (app, endpoint) = try await harness.seed()
            let old = endpoint.secret
            let rotated = try await harness.gateway.rotateSecret(appIdOrUid: app.id, endpoint.id, key: nil, gracePeriod: .seconds(3600))
            #expect(rotated.secret != old)

            func deliver(_ count: Int) async throws -> (header: String, id: String, timestamp: String, body: Data) {
                let message = try await harness.gateway.createMessage(
                    appIdOrUid: app.id, MessageDraft(eventType: "a", payload: .object(["n": .integer(Int64(count))])))
                #expect(await harness.transport.waitForRequests(count) == count)
                // Recorded before the clock moves on: past its lease, an unrecorded delivery would be due again.
                #expect(await harness.waitUntilIdle(), "its outcome is recorded")
                let request = harness.transport.requests[count - 1]
                let headers = Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                return (headers["webhook-signature"] ?? "", message.id, headers["webhook-timestamp"] ?? "", request.body)
            }
            let during = try await deliver(1)
            #expect(during.header.split(separator: " ").count == 2)
            #expect(
                Self.verifies(during.header, secret: old, id: during.id, timestamp: during.timestamp, body: during.body), "old secret still verifies")
            #expect(Self.verifies(during.header, secret: rotated.secret, id: during.id, timestamp: during.timestamp, body: during.body))

            harness.clock.advance(by: .seconds(3601))
            let after = try await deliver(2)
            #expect(after.header.split(separator: " ").count == 1)
            #expect(!Self.verifies(after.header, secret: old, id: after.id, timestamp: after.timestamp, body: after.body), "old secret expired")
            #expect(Self.verifies(after.header, secret: rotated.secret, id: after.id, timestamp: after.timestamp, body: after.body))
        }
    }

    @Test func rotateOverTheAPI() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "R"]).json["id"] as? String)
            _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": "http://127.0.0.1:9/a", "uid": "r"])
            let generated = try await api.call("POST", "/api/v1/app/\(appId)/endpoint/r/secret/rotate", raw: "")
            #expect(generated.status == 200)
            let key = try #require(generated.json["key"] as? String)
            #expect(key.hasPrefix("whsec_"))
            #expect(try await api.call("GET", "/api/v1/app/\(appId)/endpoint/r/secret").json["key"] as? String == key)
            let chosen = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()
            let named = try await api.call(
                "POST", "/api/v1/app/\(appId)/endpoint/r/secret/rotate", json: ["key": String(chosen.dropFirst(6)), "gracePeriodSeconds": 0])
            #expect(named.json["key"] as? String == chosen, "a key without the prefix is accepted")
            #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint/r/secret/rotate", json: ["key": "whsec_short"]).status == 422)
            #expect(
                try await api.call("POST", "/api/v1/app/\(appId)/endpoint/r/secret/rotate", json: ["gracePeriodSeconds": 999_999_999]).status == 422)
        }
    }
}
