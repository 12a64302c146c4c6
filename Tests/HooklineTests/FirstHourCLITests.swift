import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// The verbs a new user reaches for first: `listen`, `status`, `attempts`/`resend` without `--app`, `tail` by uid.
@Suite(.timeLimit(.minutes(3))) struct FirstHourCLITests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    @Test func listenPrintsWebhooksAndChecksTheirSignatures() async throws {
        let listen = try ListenProcess(["--secret", Self.secret, "--count", "2", "--json"])
        let receiverURL = try await listen.baseURL()
        try await TestNode.with { node in
            let cli = CLIRunner(server: node.baseURL)
            #expect(try await cli.run(["app", "create", "Shop", "--uid", "shop"]).status == 0)
            let api = APIClient(baseURL: node.baseURL)
            let endpoint = try await api.call(
                "POST", "/api/v1/app/shop/endpoint", json: ["url": receiverURL + "/hooks", "uid": "main", "secret": Self.secret])
            #expect(endpoint.status == 201, "\(String(decoding: endpoint.body, as: UTF8.self))")
            let sent = try await cli.run(["send", "shop", "order.paid", "--data", #"{"id":1}"#, "--json"])
            let messageId = try #require(sent.json["id"] as? String, "\(sent.stderr)")

            let forged = try await APIClient(baseURL: receiverURL, apiKey: nil).call(
                "POST", "/hooks", raw: #"{"id":2}"#,
                headers: ["webhook-id": "msg_forged", "webhook-timestamp": "\(Int(Date().timeIntervalSince1970))", "webhook-signature": "v1,AAAA"])
            #expect(forged.status == 401, "a webhook whose signature does not match is refused")

            let lines = await listen.waitForLines(3)
            let webhooks = lines.dropFirst().map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
            let genuine = try #require(webhooks.first { $0["webhookId"] as? String == messageId }, "got \(lines)")
            #expect(genuine["signature"] as? String == "verified" && genuine["path"] as? String == "/hooks")
            #expect((genuine["body"] as? [String: Any])?["id"] as? Int == 1)
            let fake = try #require(webhooks.first { $0["webhookId"] as? String == "msg_forged" }, "got \(lines)")
            #expect(fake["signature"] as? String == "failed" && fake["reason"] as? String == "signature mismatch")
            #expect(await listen.waitForExit() == 0, "--count 2 exits after the second webhook")
        }
    }

    @Test func listenTextLinesAndBadOptions() async throws {
        let listen = try ListenProcess(["--count", "1", "--status", "503"])
        let url = try await listen.baseURL()
        #expect(listen.lines.first?.contains("answering 503") == true)
        let taken = try await HooklineProcess.run(["listen", "--port", String(url.split(separator: ":").last ?? "")])
        #expect(taken.status != 0 && taken.output.contains("cannot listen on 127.0.0.1:"), "\(taken.output)")
        let reply = try await APIClient(baseURL: url, apiKey: nil).call("POST", "/x?y=1", raw: "hello", headers: ["webhook-id": "msg_1"])
        #expect(reply.status == 503, "answers the configured status")
        let line = try #require(await listen.waitForLines(2).last)
        #expect(line.contains("POST /x?y=1 msg_1 signature not checked") && line.hasSuffix("hello"), "\(line)")
        #expect(await listen.waitForExit() == 0)
        let bad = try await HooklineProcess.run(["listen", "--secret", "not-a-secret"])
        #expect(bad.status != 0 && bad.output.contains("--secret must be whsec_"))
    }

    @Test func statusSeparatesFirstAttemptLatencyFromTimeToSuccess() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            try await TestNode.with(retrySchedule: [], configure: { $0.status = .init(ttl: .zero, partTimeout: .seconds(30)) }) { node in
                let cli = CLIRunner(server: node.baseURL)
                _ = try await cli.run(["app", "create", "Shop", "--uid", "shop"])
                let appId = try #require(try await cli.run(["app", "get", "shop", "--json"]).json["id"] as? String)
                #expect(try await cli.run(["endpoint", "create", "shop", receiverURL + "/hook", "--uid", "main"]).status == 0)
                let stream = try await StreamTests.open(node, "/api/v1/app/\(appId)/stream")
                defer { stream.close() }

                receiver.failNext(1)
                let failed = try #require(try await cli.run(["send", "shop", "order.paid", "--data", "{}", "--json"]).json["id"] as? String)
                #expect(await stream.waitForEvents(1, kind: "delivery.exhausted").count == 1, "no retries: the first failure exhausts it")
                let resend = try await cli.run(["resend", failed, "main"])
                #expect(resend.status == 0, "the message's application is found without --app: \(resend.stderr)")
                #expect(await stream.waitForEvents(1, kind: "delivery.succeeded").count == 1)
                _ = try await cli.run(["send", "shop", "order.paid", "--data", "{}"])
                #expect(await stream.waitForEvents(2, kind: "delivery.succeeded").count == 2)

                let status = try await cli.run(["status", "--json"])
                #expect(status.status == 0, "\(status.stderr)")
                let deliveries = try #require(status.json["deliveries"] as? [String: Any], "\(status.stdout)")
                let first = try #require(deliveries["firstAttemptLatencyMs"] as? [String: Any], "\(deliveries)")
                let total = try #require(deliveries["timeToSuccessMs"] as? [String: Any], "\(deliveries)")
                #expect(first["count"] as? Int == 1, "the manual resend is not a first attempt")
                #expect(total["count"] as? Int == 2, "both successes count towards time to success")
                #expect((first["p99"] as? Int).map { $0 <= (total["p99"] as? Int ?? -1) } == true)
                #expect(deliveries["latencyMs"] == nil)

                let text = try await cli.run(["status"])
                #expect(text.stdout.contains("first attempt") && text.stdout.contains("(1 delivery)"), "\(text.stdout)")
                #expect(text.stdout.contains("time to success") && text.stdout.contains("(2 deliveries)"))
                #expect(text.stdout.contains("open circuits") && text.stdout.contains("1 due") == false)

                let attempts = try await cli.run(["attempts", failed])
                #expect(attempts.status == 0, "\(attempts.stderr)")
                let rows = attempts.stdout.split(separator: "\n").dropFirst()
                #expect(rows.count == 2 && rows.allSatisfy { $0.contains(" main ") && !$0.contains("ep_") }, "endpoints by uid: \(attempts.stdout)")
                #expect(rows.contains { $0.contains("manual") } && rows.contains { $0.contains("scheduled") }, "\(attempts.stdout)")
                let unknown = try await cli.run(["attempts", "msg_2xUnknownMessage00000000000"])
                #expect(unknown.status != 0 && unknown.stderr.contains("not found in any application"), "\(unknown.stderr)")
            }
        }
    }

    @Test func tailNamesApplicationsAndEndpointsByUidAndRejectsUnknownKinds() async throws {
        try await TestNode.with { node in
            let cli = CLIRunner(server: node.baseURL)
            _ = try await cli.run(["app", "create", "Shop", "--uid", "shop"])
            let appId = try #require(try await cli.run(["app", "get", "shop", "--json"]).json["id"] as? String)
            #expect(try await cli.run(["endpoint", "create", "shop", "http://127.0.0.1:9/refused", "--uid", "main"]).status == 0)
            _ = try await cli.run(["send", "shop", "order.paid", "--data", "{}"])
            let tail = try await cli.run(["tail", "--last-event-id", "0", "--count", "2", "--kinds", "message.created,attempt.made"])
            #expect(tail.status == 0, "\(tail.stderr)")
            #expect(tail.stdout.contains(" shop ") && !tail.stdout.contains(appId), "applications by uid: \(tail.stdout)")
            #expect(
                tail.stdout.contains("attempt.made") && tail.stdout.contains(" main ") && !tail.stdout.contains("ep_"),
                "endpoints by uid: \(tail.stdout)")
            let bogus = try await cli.run(["tail", "--kinds", "delivery.failed,bogus.kind", "--count", "1"])
            #expect(bogus.status != 0 && bogus.stderr.contains("unknown event kind 'bogus.kind'"), "\(bogus.stderr)")
        }
    }

    @Test func timestampsAreTheSameInstantInEveryReply() async throws {
        try await TestNode.with { node in
            let api = APIClient(baseURL: node.baseURL)
            for index in 0..<20 {
                let app = try await api.call("POST", "/api/v1/app", json: ["name": "T\(index)"])
                let appId = try #require(app.json["id"] as? String)
                let appRead = try await api.call("GET", "/api/v1/app/\(appId)")
                #expect(app.json["createdAt"] as? String == appRead.json["createdAt"] as? String)
                #expect(app.json["updatedAt"] as? String == appRead.json["updatedAt"] as? String)
                let endpoint = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": "http://127.0.0.1:9/h"])
                let endpointId = try #require(endpoint.json["id"] as? String)
                let endpointRead = try await api.call("GET", "/api/v1/app/\(appId)/endpoint/\(endpointId)")
                #expect(endpoint.json["createdAt"] as? String == endpointRead.json["createdAt"] as? String)
                let created = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a.b", "payload": ["n": index]])
                let messageId = try #require(created.json["id"] as? String)
                let timestamp = try #require(created.json["timestamp"] as? String)
                #expect(timestamp.count == "2026-01-01T00:00:00.000Z".count, "whole milliseconds: \(timestamp)")
                let read = try await api.call("GET", "/api/v1/app/\(appId)/msg/\(messageId)")
                #expect(read.json["timestamp"] as? String == timestamp, "create \(timestamp) vs read \(read.json["timestamp"] ?? "-")")
                let listed = try await api.call("GET", "/api/v1/app/\(appId)/msg")
                let row = (listed.json["data"] as? [[String: Any]])?.first { $0["id"] as? String == messageId }
                #expect(row?["timestamp"] as? String == timestamp, "list \(row?["timestamp"] ?? "-")")
            }
        }
    }
}
