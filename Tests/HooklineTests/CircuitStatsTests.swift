import Foundation
import HooklineCore
import HooklineTesting
import Synchronization
import Testing

/// The endpoint stats API shows the circuit breaker opening on failures and closing after a good probe.
@Suite(.timeLimit(.minutes(3))) struct CircuitStatsTests {
    @Test func statsShowTheBreakerOpenThenClosed() async throws {
        let breaker = CircuitBreaker.Configuration(
            consecutiveFailures: 3, failureRatio: 1, minimumCalls: 100, window: .seconds(60), openDuration: .milliseconds(600))
        try await RecordingReceiver.with { receiver, url in
            try await TestNode.with(retrySchedule: Array(repeating: .milliseconds(50), count: 20), governor: .init(breaker: breaker)) { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(
                    try await api.call("POST", "/api/v1/app", json: ["name": "Breaker", "throttleRate": 50]).json["id"] as? String)
                let endpointId = try #require(try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": url]).json["id"] as? String)
                let statsPath = "/api/v1/app/\(appId)/endpoint/\(endpointId)/stats"
                let fresh = try await api.call("GET", statsPath).json["circuit"] as? [String: Any]
                #expect(fresh?["state"] as? String == "closed")
                #expect(fresh?["since"] == nil)
                #expect(fresh?["throttleRate"] as? Double == 50, "the application's throttle is in effect")

                receiver.failNext(1000, status: 500)
                for index in 0..<3 {
                    _ = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "e", "payload": ["i": index]])
                }
                @Sendable func circuit() async throws -> [String: Any] {
                    try await api.call("GET", statsPath).json["circuit"] as? [String: Any] ?? [:]
                }
                let openBody = Mutex<Data?>(nil)  // the stats as first seen open (it turns half-open when the open time lapses)
                // The breaker changes before the outcome that changed it is recorded: re-check after each commit.
                #expect(
                    await node.waitUntil(timeout: .seconds(10)) {
                        let reply = try await api.call("GET", statsPath)
                        guard (reply.json["circuit"] as? [String: Any])?["state"] as? String == "open" else { return false }
                        openBody.withLock { $0 = reply.body }
                        return true
                    })
                let open =
                    ((try? JSONSerialization.jsonObject(with: openBody.withLock { $0 } ?? Data())) as? [String: Any])?["circuit"] as? [String: Any]
                    ?? [:]
                #expect((open["consecutiveFailures"] as? Int ?? 0) >= 3)
                #expect((open["recentFailures"] as? Int ?? 0) >= 3)
                #expect(open["failureRatio"] as? Double == 1)
                #expect(open["since"] is String && open["openUntil"] is String)
                #expect(open["inFlight"] as? Int != nil)

                receiver.failNext(0)
                #expect(
                    await node.waitUntil(timeout: .seconds(10)) { try await circuit()["state"] as? String == "closed" },
                    "after the receiver recovers, the probe succeeds and the breaker closes")
                let closed = try await circuit()
                #expect(closed["since"] is String, "it records when it closed")
                #expect(closed["consecutiveFailures"] as? Int == 0)
            }
        }
    }
}
