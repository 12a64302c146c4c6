import Crypto
import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Standard Webhooks over HTTP with a live timestamp, and source secret rotation with a grace period.
@Suite(.timeLimit(.minutes(3))) struct InboundRotationTests {
    static func signed(_ body: Data, secret: String, id: String) -> [(String, String)] {
        let timestamp = Int(Date().timeIntervalSince1970)
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let key = StandardWebhooksVerifier.key(secret) ?? []
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", "v1," + Data(mac).base64EncodedString())]
    }

    @Test func rotatedSecretIsAcceptedDuringItsGrace() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Rotation"]).json["id"] as? String)
            let old = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            let created = try await api.call(
                "POST", "/api/v1/source",
                json: [
                    "name": "Svix", "uid": "svix-in", "app": appId, "verification": ["scheme": "standard-webhooks"], "secret": old,
                ])
            #expect(created.status == 201)
            let inbound = InboundClient(node: node)
            let body = Data(#"{"type":"user.created","data":{}}"#.utf8)
            #expect(try await inbound.send("/in/svix-in", body: body, headers: Self.signed(body, secret: old, id: "msg_1")).status == 200)

            let new = "whsec_" + Data(repeating: 9, count: 32).base64EncodedString()
            let patched = try await api.call("PATCH", "/api/v1/source/svix-in", json: ["secret": new, "secretGracePeriodSeconds": 3600])
            #expect(patched.status == 200 && patched.json["previousSecretCount"] as? Int == 1)
            #expect(
                try await inbound.send("/in/svix-in", body: body, headers: Self.signed(body, secret: old, id: "msg_2")).status == 200,
                "old secret during grace")
            #expect(
                try await inbound.send("/in/svix-in", body: body, headers: Self.signed(body, secret: new, id: "msg_3")).status == 200, "new secret")
            let repeatReply = try await inbound.send("/in/svix-in", body: body, headers: Self.signed(body, secret: new, id: "msg_3"))
            #expect(repeatReply.json["duplicate"] as? Bool == true, "webhook-id is the default dedup key")

            let newer = "whsec_" + Data(repeating: 5, count: 32).base64EncodedString()
            #expect(try await api.call("PATCH", "/api/v1/source/svix-in", json: ["secret": newer, "secretGracePeriodSeconds": 0]).status == 200)
            let stale = try await inbound.send("/in/svix-in", body: body, headers: Self.signed(body, secret: new, id: "msg_4"))
            #expect(stale.status == 401, "without grace the replaced secret is refused at once")
            #expect(
                try await inbound.send("/in/svix-in", body: body, headers: Self.signed(body, secret: old, id: "msg_5")).status == 200,
                "the first grace still runs")
            let invalid = try await api.call("PATCH", "/api/v1/source/svix-in", json: ["secret": "not base64!"])
            #expect(invalid.status == 422)
        }
    }
}
