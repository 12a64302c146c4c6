import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Receivers that misbehave at the HTTP level: each attempt ends within its timeout with a recorded reason,
/// and a healthy endpoint of the same message is not held up.
@Suite struct HostileReceiverTests {
    static let timeout: Duration = .seconds(1)

    @Test func silentTricklingHugeAndInvalidReceiversEndInTimeWithAReason() async throws {
        try await ScriptedHTTPServer.with(script: { _ in .hang }) { _, silentURL in
            try await ScriptedHTTPServer.with(script: { _ in
                .trickle(head: "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n", interval: .seconds(1))
            }) { _, trickleURL in
                try await ScriptedHTTPServer.with(script: { _ in
                    .stream(head: "HTTP/1.1 500 Internal Server Error\r\ncontent-length: \(50 << 20)\r\n\r\n", bytes: 50 << 20)
                }) { _, hugeURL in
                    try await ScriptedHTTPServer.with(script: { _ in .replyAndClose("SMTP READY\r\n\r\n<html>not http</html>") }) { _, invalidURL in
                        try await RecordingReceiver.with { healthy, healthyURL in
                            try await Self.check(
                                hostile: ["silent": silentURL, "trickle": trickleURL, "huge": hugeURL, "invalid": invalidURL], healthy: healthy,
                                healthyURL: healthyURL)
                        }
                    }
                }
            }
        }
    }

    static func check(hostile: [String: String], healthy: RecordingReceiver, healthyURL: String) async throws {
        try await TestNode.with(retrySchedule: [.milliseconds(50)], requestTimeout: timeout) { node in
            let api = APIClient(baseURL: node.baseURL)
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Hostile"]).json["id"] as? String)
            var endpoints: [String: String] = [:]
            for (name, url) in hostile.sorted(by: { $0.key < $1.key }) {
                let created = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": url + "/hook", "uid": name])
                endpoints[name] = try #require(created.json["id"] as? String)
            }
            #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": healthyURL + "/hook"]).status == 201)
            let stream = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/stream?kinds=message.attempt.exhausted")
            defer { stream.close() }

            let messageId = try #require(
                try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "hostile", "payload": ["n": 1]]).json["id"] as? String)
            let delivered = try #require(await healthy.waitFor(1, timeout: .seconds(10)).first)

            let exhausted = await stream.waitForEvents(hostile.count, kind: "message.attempt.exhausted", timeout: .seconds(20))
            #expect(exhausted.count == hostile.count, "every hostile endpoint used its attempts")
            var hung: [Date] = []
            for (name, endpointId) in endpoints {
                let attempts = try await node.store.attempts(
                    AttemptQuery(appId: appId, messageId: messageId, endpointId: endpointId, page: PageRequest(limit: 10))).items
                if name == "silent" || name == "trickle" {
                    hung += attempts.map { $0.timestamp.addingTimeInterval(Double($0.durationMs) / 1000) }
                }
                #expect(attempts.count == 2, "\(name): \(attempts.count) attempts")
                for attempt in attempts {
                    #expect(attempt.status == .fail && !attempt.response.isEmpty, "\(name) records why: \(attempt.response)")
                    #expect(attempt.durationMs <= 1_500, "\(name) ended within its timeout: \(attempt.durationMs) ms")
                    switch name {
                    case "silent", "trickle": #expect(attempt.response.hasPrefix("timed out"), "\(name): \(attempt.response)")
                    case "huge": #expect(attempt.responseStatusCode == 500 && attempt.response.utf8.count <= 4096, "huge: capped")
                    default: #expect(attempt.responseStatusCode == 0 && attempt.response.hasPrefix("network error"), "\(name): \(attempt.response)")
                    }
                }
            }
            // Ordering, not a stopwatch: the healthy copy arrived while the hanging exchanges were still open.
            let firstTimedOut = try #require(hung.min())
            #expect(delivered.receivedAt < firstTimedOut, "the healthy endpoint does not wait for the hostile ones")
        }
    }
}
