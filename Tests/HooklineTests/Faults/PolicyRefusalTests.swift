import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Logging
import Testing

/// A policy change that cuts endpoints off is never silent: a warning at start, the reason on every refused
/// attempt (API and CLI table), and a refusal metric.
@Suite(.serialized, .timeLimit(.minutes(3))) struct PolicyRefusalTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func theStartAuditNamesTheRefusedEndpoints() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
        let app = Fixtures.application(at: Self.t0)
        try await store.insertApplication(app)
        let urls =
            ["http://hooks.example.test/a", "http://127.0.0.1:9/hook", "http://internal.example.test/b"]
            + (0..<6).map { "http://[64:ff9b::7f00:1]:\($0 + 1)/nat64" }
        for (index, url) in urls.enumerated() {
            try await store.insertEndpoint(Fixtures.endpoint(app: app, url: url, at: Self.t0.addingTimeInterval(Double(index))))
        }
        let resolver = StaticResolver(["hooks.example.test": ["93.184.216.34"], "internal.example.test": ["10.0.0.7"]])
        let audit = PolicyAudit(store: store, policy: NetworkPolicy(), resolver: resolver, logger: Logger(label: "audit-test"))
        let refused = try await audit.refusedEndpoints()
        #expect(refused.count == 8, "loopback, a private name and six NAT64 loopbacks; the public name passes")
        #expect(refused.sample.count == PolicyAudit<SQLiteStore>.sampleSize)
        let warning = try #require(PolicyAudit<SQLiteStore>.warning(refused))
        #expect(warning.contains("refuses 8 endpoint(s)") && warning.hasSuffix("and 3 more"), "\(warning)")
        #expect(PolicyAudit<SQLiteStore>.warning((0, [])) == nil)
        let open = PolicyAudit(
            store: store, policy: NetworkPolicy(allowed: [IPRange("127.0.0.0/8")!, IPRange("10.0.0.0/8")!]), resolver: resolver,
            logger: Logger(label: "audit-test"))
        #expect(try await open.refusedEndpoints().count == 0, "the allow-list covers every spelling")
    }

    @Test func aRestartWithoutTheAllowListShowsWhyDeliveriesFail() async throws {
        let directory = try TemporaryDirectory()
        try await RecordingReceiver.with { receiver, receiverURL in
            let common = [
                "--port", "0", "--api-key", TestNode.apiKey, "--data-dir", directory.path, "--retry-schedule", "50ms", "--log-level", "error",
                "--metrics-token", "scrape-me",
            ]
            let before = try HooklineProcess(arguments: common + ["--allow-network", "127.0.0.0/8"])
            var api = APIClient(baseURL: try await before.baseURL())
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Local"]).json["id"] as? String)
            #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook"]).status == 201)
            #expect(await before.terminate(SIGTERM) == 0)

            let after = try HooklineProcess(arguments: common)
            let base = try await after.baseURL()
            api = APIClient(baseURL: base)
            let stream = try await SSEClient(baseURL: base, path: "/api/v1/stream?kinds=message.attempt.exhausted")
            defer { stream.close() }
            let sent = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "local", "payload": ["n": 1]])
            let messageId = try #require(sent.json["id"] as? String)
            #expect(await stream.waitForEvents(1, kind: "message.attempt.exhausted").count == 1, "both attempts were made")

            let attempts = try await api.call("GET", "/api/v1/app/\(appId)/attempt/msg/\(messageId)").json["data"] as? [[String: Any]] ?? []
            #expect(attempts.count == 2)
            for attempt in attempts {
                #expect(attempt["responseStatusCode"] as? Int == 0)
                #expect((attempt["response"] as? String)?.hasPrefix("refused: 127.0.0.1 resolves to 127.0.0.1") == true, "\(attempt)")
            }
            let table = try await CLIRunner(server: base).run(["attempts", messageId, "--app", appId])
            #expect(table.status == 0)
            #expect(table.stdout.contains("REASON") && table.stdout.contains("refused: 127.0.0.1 resolves to 127.0.0.1"), "\(table.stdout)")
            let metrics = String(decoding: try await APIClient(baseURL: base, apiKey: "scrape-me").call("GET", "/metrics").body, as: UTF8.self)
            #expect(IntakeMetricsTests.value(of: "hookline_delivery_refusals_total", in: metrics) == 2, "both refusals counted")
            #expect(receiver.received.isEmpty, "nothing reached the refused address")
            #expect(await after.terminate(SIGTERM) == 0)
        }
    }
}
