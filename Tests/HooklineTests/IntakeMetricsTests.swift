import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Every way in counts: API, inbound and operational messages all reach `hookline_messages_created_total`
/// and `hookline_deliveries_created_total`, scraped from a real `serve` process.
@Suite(.serialized, .timeLimit(.minutes(3))) struct IntakeMetricsTests {
    /// The value of the unlabelled series `name` in Prometheus text, if present.
    static func value(of name: String, in text: String) -> Int? {
        text.split(separator: "\n").lazy.compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            guard fields.count == 2, fields[0] == name else { return nil }
            return Int(fields[1])
        }.first
    }

    @Test func inboundAndOperationalMessagesAreCounted() async throws {
        let directory = try TemporaryDirectory()
        try await RecordingReceiver.with { operations, operationsURL in
            try await RecordingReceiver.with { receiver, receiverURL in
                let server = try HooklineProcess(
                    arguments: DurabilityTests.arguments + [
                        "--data-dir", directory.path, "--metrics-token", "scrape-me", "--operational-webhook-url", operationsURL + "/ops",
                    ])
                let base = try await server.baseURL()
                let api = APIClient(baseURL: base)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Counted"]).json["id"] as? String)
                #expect(
                    try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook", "uid": "main"]).status == 201)
                let source = try await api.call("POST", "/api/v1/source", json: ["name": "Open", "app": appId, "verification": ["scheme": "none"]])
                let sourceId = try #require(source.json["id"] as? String)
                let stream = try await SSEClient(baseURL: base, path: "/api/v1/stream?kinds=message.created,attempt.made")
                defer { stream.close() }

                let once: [String: Any] = ["eventType": "api", "eventId": "once", "payload": ["n": 1]]
                #expect(try await api.call("POST", "/api/v1/app/\(appId)/msg", json: once).status == 202)
                #expect(try await api.call("POST", "/api/v1/app/\(appId)/msg", json: once).status == 409, "a duplicate is not created")
                let inbound = try await InboundClient(baseURL: base).send("/in/\(sourceId)", body: Data(#"{"n":2}"#.utf8))
                #expect((200..<300).contains(inbound.status))
                #expect(await receiver.waitFor(2).count == 2, "the API and the inbound message are delivered")

                // An endpoint toggled through the API is an operational event; the forwarder starts at the end of the
                // log once it runs, so toggle again should the first one precede it.
                var posted = false
                for round in 0..<6 where !posted {
                    let toggle = try await api.call("PATCH", "/api/v1/app/\(appId)/endpoint/main", json: ["disabled": round % 2 == 0])
                    #expect(toggle.status == 200)
                    posted = await !operations.waitFor(1, timeout: .seconds(3)).isEmpty
                }
                #expect(posted, "an operational webhook was posted")

                let scraper = APIClient(baseURL: base, apiKey: "scrape-me")
                // Re-checked as messages are created and attempts made (the counters move with those commits).
                let counted = await stream.waitUntil(timeout: .seconds(10)) {
                    let listed = try await api.call("GET", "/api/v1/app/hookline-operational/msg").json["data"] as? [Any]
                    let operational = listed?.count ?? 0
                    let text = String(decoding: try await scraper.call("GET", "/metrics").body, as: UTF8.self)
                    return operational >= 1 && Self.value(of: "hookline_inbound_routed_total", in: text) == 1
                        && Self.value(of: "hookline_messages_created_total", in: text) == 2 + operational
                        && Self.value(of: "hookline_deliveries_created_total", in: text) == 2 + operational
                }
                #expect(counted, "one API, one inbound and every operational message, one delivery each; the duplicate counts nothing")
                let routed = try await api.call("GET", "/api/v1/source/\(sourceId)/request").json["data"] as? [[String: Any]] ?? []
                #expect(routed.first?["status"] as? String == "routed", "the request was marked routed with its message")
                let messageId = try #require(routed.first?["messageId"] as? String)
                let message = try await api.call("GET", "/api/v1/app/\(appId)/msg/\(messageId)")
                #expect(message.status == 200 && (message.json["tags"] as? [String]) == [sourceId])
                #expect(await server.terminate(SIGTERM) == 0)
            }
        }
    }

    @Test func seriesValuesAreReadFromPrometheusText() {
        let text = """
            # TYPE hookline_messages_created_total counter
            hookline_messages_created_total 7
            hookline_messages_created_total_extra 1
            hookline_delivery_outcomes_total{outcome="succeeded"} 3
            """
        #expect(Self.value(of: "hookline_messages_created_total", in: text) == 7)
        #expect(Self.value(of: "hookline_delivery_outcomes_total", in: text) == nil)
        #expect(Self.value(of: "hookline_deliveries_created_total", in: text) == nil)
    }
}
