import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.serialized, .timeLimit(.minutes(3))) struct ObservabilityTests {
    @Test func metricsCountMessagesDeliveriesAndQueue() async throws {
        let directory = try TemporaryDirectory()
        try await RecordingReceiver.with { receiver, receiverURL in
            let server = try HooklineProcess(arguments: DurabilityTests.arguments + ["--data-dir", directory.path, "--metrics-token", "scrape-me"])
            let base = try await server.baseURL()
            let api = APIClient(baseURL: base)
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Metrics"]).json["id"] as? String)
            _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL])
            let stream = try await SSEClient(baseURL: base, path: "/api/v1/stream?kinds=delivery.succeeded")
            defer { stream.close() }
            for index in 0..<3 {
                #expect(try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "m", "payload": ["i": index]]).status == 202)
            }
            #expect(await receiver.waitFor(3).count == 3)

            #expect(try await APIClient(baseURL: base, apiKey: nil).call("GET", "/metrics").status == 401, "the metrics token is required")
            let scraper = APIClient(baseURL: base, apiKey: "scrape-me")
            #expect(await stream.waitForEvents(3, kind: "delivery.succeeded").count == 3, "the three outcomes are recorded")
            // The counters move with the recording: re-checked as events arrive (and shortly after the last).
            let delivered = await stream.waitUntil(timeout: .seconds(10)) {
                let text = String(decoding: try await scraper.call("GET", "/metrics").body, as: UTF8.self)
                return text.contains(#"hookline_delivery_outcomes_total{outcome="succeeded"} 3"#)
            }
            #expect(delivered)
            let reply = try await scraper.call("GET", "/metrics")
            let text = String(decoding: reply.body, as: UTF8.self)
            #expect(reply.headers["content-type"]?.hasPrefix("text/plain") == true)
            #expect(text.contains("hookline_messages_created_total 3"))
            #expect(text.contains("hookline_end_to_end_latency_seconds_count 3"))
            #expect(text.contains("hookline_attempt_duration_seconds_bucket"))
            #expect(text.contains("hookline_ingest_commits_total 3"), "each message was posted alone: one group commit each")
            #expect(text.contains("hookline_ingest_commit_seconds_count 3"))
            #expect(text.contains(#"hookline_queue_depth{state="due"}"#))
            #expect(!text.contains(TestNode.apiKey), "no secret in metrics")
            #expect(await server.terminate(SIGTERM) == 0)
        }
    }

    @Test func purgeRemovesOldPayloadsAndDryRunOnlyCounts() async throws {
        let directory = try TemporaryDirectory()
        try await RecordingReceiver.with { receiver, receiverURL in
            let server = try HooklineProcess(arguments: DurabilityTests.arguments + ["--data-dir", directory.path])
            let api = APIClient(baseURL: try await server.baseURL())
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Retention"]).json["id"] as? String)
            _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL])
            let stream = try await SSEClient(baseURL: try await server.baseURL(), path: "/api/v1/stream?kinds=attempt.made")
            defer { stream.close() }
            let messageId = try #require(
                try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "r", "payload": ["big": "data"]]).json["id"] as? String)
            #expect(await receiver.waitFor(1).count == 1)
            // The attempt's event commits with the attempt: once it streams, the attempt is listed.
            #expect(await stream.waitForEvents(1, kind: "attempt.made").count == 1)
            let attempts = try await api.call("GET", "/api/v1/app/\(appId)/attempt/msg/\(messageId)")
            #expect((attempts.json["data"] as? [Any])?.count == 1)

            let dryRun = try await HooklineProcess.run(["purge", "--data-dir", directory.path, "--retention", "0s", "--dry-run"])
            #expect(dryRun.status == 0)
            #expect(dryRun.output.contains("would delete 0 messages") && dryRun.output.contains("purge 1 payloads"), "\(dryRun.output)")
            // Run after the delivery was seen, so the message is older than a millisecond's history retention.
            let historyDryRun = try await HooklineProcess.run([
                "purge", "--data-dir", directory.path, "--history-retention", "1ms", "--dry-run",
            ])
            #expect(historyDryRun.output.contains("would delete 1 messages and 0 inbound requests"), "\(historyDryRun.output)")
            let kept = try await api.call("GET", "/api/v1/app/\(appId)/msg/\(messageId)")
            #expect((kept.json["payload"] as? [String: String]) == ["big": "data"], "a dry run changes nothing")

            let purge = try await HooklineProcess.run(["purge", "--data-dir", directory.path, "--retention", "0s"])
            #expect(purge.status == 0)
            #expect(purge.output.contains("purged 1 payloads"), "\(purge.output)")
            let purged = try await api.call("GET", "/api/v1/app/\(appId)/msg/\(messageId)")
            #expect(purged.status == 200, "the message row is kept")
            #expect((purged.json["payload"] as? [String: Any])?.isEmpty == true)
            #expect(await server.terminate(SIGTERM) == 0)
        }
    }
}
