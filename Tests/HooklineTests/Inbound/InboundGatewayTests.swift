import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// The inbound gateway end to end: sources, /in/ verification, byte-identical forwarding, dedup, listing, replay.
@Suite(.timeLimit(.minutes(3))) struct InboundGatewayTests {
    static func setUp(_ api: APIClient, receiverURL: String, source: [String: Any]) async throws -> (appId: String, sourceId: String) {
        let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Inbound"]).json["id"] as? String)
        #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook"]).status == 201)
        var body = source
        body["app"] = appId
        let created = try await api.call("POST", "/api/v1/source", json: body)
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        return (appId, try #require(created.json["id"] as? String))
    }

    @Test func githubRequestIsVerifiedAcknowledgedAndForwardedByteForByte() async throws {
        try await TestNode.with { node in
            try await RecordingReceiver.with { receiver, receiverURL in
                let api = APIClient(baseURL: node.baseURL)
                let secret = "It's a Secret to Everybody"
                let (appId, sourceId) = try await Self.setUp(
                    api, receiverURL: receiverURL,
                    source: [
                        "name": "GitHub", "uid": "github", "verification": ["scheme": "github"], "secret": secret,
                        "correlationId": "json:repository.full_name",
                    ])
                #expect(sourceId.hasPrefix("src_"))
                let inbound = InboundClient(baseURL: node.baseURL)
                let body = Data(#"{ "zen": "Keep it logically awesome.",  "repository": {"full_name": "octo/hello"} }"#.utf8)
                let ok = try await inbound.send("/in/github", body: body, headers: InboundClient.github(body, secret: secret, event: "ping"))
                #expect(ok.status == 200)
                #expect(ok.json["duplicate"] as? Bool == false)

                let received = await receiver.waitFor(1)
                #expect(received.first?.body == body, "the body is forwarded byte for byte")
                #expect(received.first?.headers["content-type"] == "application/json")
                let messages = try await api.call("GET", "/api/v1/app/\(appId)/msg").json["data"] as? [[String: Any]] ?? []
                #expect(messages.first?["eventType"] as? String == "ping")
                #expect(messages.first?["correlationId"] as? String == "octo/hello")

                let tampered = try await inbound.send(
                    "/in/\(sourceId)", body: body + Data(" ".utf8), headers: InboundClient.github(body, secret: secret))
                #expect(tampered.status == 401)
                #expect(tampered.json["code"] as? String == "verification_failed")
                #expect(tampered.json["detail"] as? String == "signature mismatch")
                let unsigned = try await inbound.send("/in/\(sourceId)", body: body)
                #expect(unsigned.status == 401 && (unsigned.json["detail"] as? String ?? "").contains("x-hub-signature-256"))

                let listed = try await api.call("GET", "/api/v1/source/github/request").json["data"] as? [[String: Any]] ?? []
                #expect(listed.map { $0["verification"] as? String } == ["failed", "failed", "verified"])
                #expect(listed.last?["status"] as? String == "routed" && listed.first?["status"] as? String == "rejected")
                let rejected = try await api.call("GET", "/api/v1/source/github/request?status=rejected").json["data"] as? [[String: Any]] ?? []
                #expect(rejected.count == 2 && rejected.first?["reason"] as? String != nil)

                let first = try #require(listed.last?["id"] as? String)
                let replay = try await api.call("POST", "/api/v1/source/github/request/\(first)/replay")
                #expect(replay.status == 202)
                let again = await receiver.waitFor(2)
                #expect(again.count == 2 && again[1].body == body, "a replay routes the request again")
                let rejectedId = try #require(rejected.first?["id"] as? String)
                #expect(try await api.call("POST", "/api/v1/source/github/request/\(rejectedId)/replay").status == 409)
            }
        }
    }

    @Test func concurrentDuplicatesAreAcknowledgedButRoutedOnce() async throws {
        try await TestNode.with { node in
            try await RecordingReceiver.with { receiver, receiverURL in
                let api = APIClient(baseURL: node.baseURL)
                let (appId, sourceId) = try await Self.setUp(
                    api, receiverURL: receiverURL,
                    source: [
                        "name": "Stripe", "verification": ["scheme": "stripe"], "secret": "whsec_stripe",
                    ])
                let inbound = InboundClient(baseURL: node.baseURL)
                let body = Data(#"{"id":"evt_123","object":"event","type":"invoice.paid"}"#.utf8)
                let t = Int(Date().timeIntervalSince1970)
                var signed = Data("\(t).".utf8)
                signed.append(body)
                let mac = HooklineCore.HMACAlgorithm.sha256.authenticationCode(key: Array("whsec_stripe".utf8), content: signed)
                let header = ("Stripe-Signature", "t=\(t),v1=" + SignatureEncoding.hex.encode(mac))
                let statuses = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                    for _ in 0..<20 {
                        group.addTask {
                            let reply = try await inbound.send("/in/\(sourceId)", body: body, headers: [header])
                            return (reply.status, reply.json["duplicate"] as? Bool ?? false)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0.0 == 200 }, "every duplicate is acknowledged")
                #expect(statuses.filter { !$0.1 }.count == 1, "exactly one is new")
                await receiver.waitFor(1)
                let routed = await node.waitUntil(timeout: .seconds(10)) {
                    let page = try await api.call("GET", "/api/v1/source/\(sourceId)/request?status=pending")
                    return (page.json["data"] as? [Any])?.isEmpty == true
                }
                #expect(routed)
                let messages = try await api.call("GET", "/api/v1/app/\(appId)/msg").json["data"] as? [[String: Any]] ?? []
                #expect(messages.count == 1 && messages.first?["eventType"] as? String == "invoice.paid")
                let duplicates = try await api.call("GET", "/api/v1/source/\(sourceId)/request?status=duplicate&limit=250").json["data"] as? [Any]
                #expect(duplicates?.count == 19)
                #expect(receiver.received.count == 1)
            }
        }
    }

    @Test func largeAndBinaryBodiesAreForwardedIdentically() async throws {
        try await TestNode.with { node in
            try await RecordingReceiver.with { receiver, receiverURL in
                let api = APIClient(baseURL: node.baseURL)
                let (_, sourceId) = try await Self.setUp(
                    api, receiverURL: receiverURL,
                    source: [
                        "name": "Raw", "verification": ["scheme": "none"], "eventType": "fixed:raw.upload", "maxBodyBytes": 4 << 20,
                        "ackStatus": 202, "ackBody": "thanks",
                    ])
                var generator = SplitMix64(seed: 42)
                let binary = Data((0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
                let form = Data("a=1&b=%00%FF&c=\u{00e9}".utf8)
                let inbound = InboundClient(baseURL: node.baseURL)
                let first = try await inbound.send("/in/\(sourceId)", body: binary, headers: [("Content-Type", "application/octet-stream")])
                #expect(first.status == 202 && String(decoding: first.body, as: UTF8.self) == "thanks")
                #expect(
                    try await inbound.send("/in/\(sourceId)", body: form, headers: [("Content-Type", "application/x-www-form-urlencoded")]).status
                        == 202)
                #expect(try await inbound.send("/in/\(sourceId)", body: Data()).status == 202, "an empty body is accepted")
                let received = await receiver.waitFor(3)
                let bodies = Set(received.map(\.body))
                #expect(bodies.contains(binary) && bodies.contains(form) && bodies.contains(Data()))
                #expect(received.first { $0.body == binary }?.headers["content-type"] == "application/octet-stream")
                #expect(received.first { $0.body == form }?.headers["content-type"] == "application/x-www-form-urlencoded")

                #expect(try await api.call("PATCH", "/api/v1/source/\(sourceId)", json: ["maxBodyBytes": 1024]).status == 200)
                let tooLarge = try await inbound.send("/in/\(sourceId)", body: Data(count: 2048))
                #expect(tooLarge.status == 413 && tooLarge.json["code"] as? String == "payload_too_large")
                let get = try await inbound.send("/in/\(sourceId)", body: Data(), method: "GET")
                #expect(get.status == 405 && get.json["code"] as? String == "method_not_allowed")
                #expect(try await inbound.send("/in/src_missing", body: Data()).status == 404)
            }
        }
    }
}
