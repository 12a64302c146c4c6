import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct CLITests {
    @Test func applicationsAndEndpoints() async throws {
        try await TestNode.with { node in
            let cli = CLIRunner(server: node.baseURL)
            let created = try await cli.run(["app", "create", "Shop", "--uid", "shop"])
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.contains("FIELD") && created.stdout.contains("shop"))
            let json = try await cli.run(["app", "get", "shop", "--json"])
            let appId = try #require(json.json["id"] as? String)
            #expect(appId.hasPrefix("app_"))
            let list = try await cli.run(["app", "list"])
            let lines = list.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.count == 2 && lines[1].hasPrefix(appId))
            #expect(
                lines[0].range(of: "UID")?.lowerBound.utf16Offset(in: lines[0]) == lines[1].range(of: "shop")?.lowerBound.utf16Offset(in: lines[1]),
                "columns are aligned")

            let endpoint = try await cli.run([
                "endpoint", "create", "shop", "http://127.0.0.1:9/hook", "--uid", "main", "--event-type", "a.b", "--json",
            ])
            #expect(endpoint.json["eventTypes"] as? [String] == ["a.b"], "\(endpoint.stderr)")
            let updated = try await cli.run(["endpoint", "update", "shop", "main", "--disable", "--description", "paused", "--json"])
            #expect(updated.json["disabled"] as? Bool == true)
            #expect(updated.json["url"] as? String == "http://127.0.0.1:9/hook")
            let secret = try await cli.run(["endpoint", "secret", "shop", "main"])
            #expect(secret.stdout.hasPrefix("whsec_"))
            let rotated = try await cli.run(["endpoint", "rotate", "shop", "main", "--grace-period", "1h"])
            #expect(rotated.status == 0 && rotated.stdout.hasPrefix("whsec_") && rotated.stdout != secret.stdout)
            #expect(try await cli.run(["endpoint", "list", "shop"]).stdout.contains("main"))
            #expect(try await cli.run(["endpoint", "get", "shop", "main"]).stdout.contains("paused"))
            #expect(try await cli.run(["endpoint", "delete", "shop", "main"]).status == 0)
            #expect(try await cli.run(["app", "delete", "shop"]).status == 0)

            let missing = try await cli.run(["app", "get", "shop"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("404") && missing.stderr.contains("application not found"))
            let invalid = try await cli.run(["app", "create", "x", "--uid", "bad uid"])
            #expect(invalid.status != 0 && invalid.stderr.contains("body.uid"))
            let unauthorized = try await CLIRunner(server: node.baseURL, apiKey: "wrong").run(["app", "list"])
            #expect(unauthorized.status != 0 && unauthorized.stderr.contains("authentication_failed"))
        }
    }

    @Test func sendInspectResendAndRecover() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            try await TestNode.with(retrySchedule: []) { node in
                let cli = CLIRunner(server: node.baseURL)
                _ = try await cli.run(["app", "create", "Shop", "--uid", "shop"])
                #expect(try await cli.run(["endpoint", "create", "shop", receiverURL + "/hook", "--uid", "main"]).status == 0)
                receiver.failNext(4)

                let one = try await cli.run(["send", "shop", "order.paid", "--data", #"{"id":1}"#, "--json"])
                let messageId = try #require(one.json["id"] as? String, "\(one.stderr)")
                let stdin = try await cli.run(["send", "shop", "order.paid"], stdin: #"{"id":2}"#)
                #expect(stdin.status == 0 && stdin.stdout.contains("msg_"))
                let directory = try TemporaryDirectory()
                let file = directory.path + "/batch.jsonl"
                try Data((1...2).map { #"{"line":\#($0)}"# }.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file))
                let batch = try await cli.run(["send", "shop", "order.paid", "--data", "@" + file])
                #expect(batch.status == 0)
                #expect(batch.stderr.contains("sent 2/2"), "progress is shown")
                #expect(batch.stdout.split(separator: "\n").count == 3, "a header and two messages")
                #expect(await receiver.waitFor(4).count == 4)

                let list = try await cli.run(["msg", "list", "shop", "--event-type", "order.paid", "--after", "1h"])
                #expect(list.stdout.split(separator: "\n").count == 5)
                let got = try await cli.run(["msg", "get", "shop", messageId, "--json"])
                #expect(got.json["payload"] as? [String: Int] == ["id": 1])
                let api = APIClient(baseURL: node.baseURL)
                @Sendable func attempts() async throws -> Int {
                    (try await api.call("GET", "/api/v1/app/shop/attempt/msg/\(messageId)").json["data"] as? [Any])?.count ?? 0
                }
                #expect(await node.waitUntil(timeout: .seconds(10)) { try await attempts() == 1 }, "the failed attempt is recorded")
                #expect(try await cli.run(["attempts", messageId, "--app", "shop"]).stdout.contains("fail"))
                #expect(try await cli.run(["resend", messageId, "main", "--app", "shop"]).status == 0)
                #expect(await receiver.waitFor(5).count == 5)
                #expect(await node.waitUntil(timeout: .seconds(10)) { try await attempts() == 2 }, "the resent attempt is recorded")
                #expect((try await cli.run(["attempts", messageId, "--app", "shop", "--json"]).json["data"] as? [Any])?.count == 2)

                let recovered = try await cli.run(["recover", "main", "--app", "shop", "--since", "2h"])
                #expect(recovered.status == 0, "\(recovered.stderr)")
                #expect(recovered.stderr.contains("finished: 3 messages re-queued"), "\(recovered.stderr)")
                #expect(await receiver.waitFor(8).count == 8)
                let byEventId = try await cli.run(["resend", "order-1", "main"])
                #expect(byEventId.status != 0 && byEventId.stderr.contains("--app"), "an event id is only unique within its application")
            }
        }
    }
}
