import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Receivers that misbehave at the HTTP level: each attempt ends with a recorded reason — hanging ones at
/// their deadline, broken ones at once — and a healthy endpoint of the same message is not held up.
@Suite(.timeLimit(.minutes(1))) struct HostileReceiverTests {
    static let timeout: Duration = .seconds(1)

    /// Silent and trickling receivers end at the request deadline, which bounds the whole exchange (a trickle of
    /// 100 bytes at one byte a second would otherwise take 100 s).
    @Test func silentAndTricklingReceiversEndAtTheDeadline() async throws {
        try await ScriptedHTTPServer.with(script: { _ in .hang }) { _, silentURL in
            try await ScriptedHTTPServer.with(script: { _ in
                .trickle(head: "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n", interval: .seconds(1))
            }) { _, trickleURL in
                try await TestNode.with(retrySchedule: [.milliseconds(50)], requestTimeout: Self.timeout) { node in
                    let (appId, messageId, endpoints, exhausted) = try await Self.send(
                        node, to: ["silent": silentURL, "trickle": trickleURL], waitingFor: "delivery.exhausted")
                    #expect(Set(exhausted) == Set(endpoints.values), "every hanging endpoint used its attempts")
                    let attempts = try await Self.attempts(node, appId, messageId, endpoints)
                    #expect(attempts.count == 4, "two attempts each: \(attempts.map(\.name))")
                    for (name, attempt) in attempts {
                        #expect(attempt.status == .fail && attempt.response.hasPrefix("timed out"), "\(name): \(attempt.response)")
                        #expect(attempt.durationMs >= 900 && attempt.durationMs < 10_000, "\(name) ended at its deadline: \(attempt.durationMs) ms")
                    }
                }
            }
        }
    }

    /// A non-HTTP answer is a network error, a 50 MiB body is cut at the cap, and a healthy endpoint is delivered
    /// while another endpoint of the same message is still waiting for its receiver.
    @Test func brokenReceiversFailAtOnceAndAHealthyOneIsNotHeldUp() async throws {
        try await ScriptedHTTPServer.with(script: { _ in .hold(ScriptedHTTPServer.ok) }) { held, heldURL in
            try await ScriptedHTTPServer.with(script: { _ in
                .stream(head: "HTTP/1.1 500 Internal Server Error\r\ncontent-length: \(50 << 20)\r\n\r\n", bytes: 50 << 20)
            }) { _, hugeURL in
                try await ScriptedHTTPServer.with(script: { _ in .replyAndClose("SMTP READY\r\n\r\n<html>not http</html>") }) { _, invalidURL in
                    try await RecordingReceiver.with { healthy, healthyURL in
                        // A deadline far beyond the test: nothing here ends by timing out.
                        try await TestNode.with(retrySchedule: [.milliseconds(50)], requestTimeout: .seconds(300)) { node in
                            try await Self.checkBroken(
                                node, held: held, urls: ["held": heldURL, "huge": hugeURL, "invalid": invalidURL, "healthy": healthyURL],
                                healthy: healthy)
                        }
                    }
                }
            }
        }
    }

    static func checkBroken(_ node: TestNode, held: ScriptedHTTPServer, urls: [String: String], healthy: RecordingReceiver) async throws {
        let stream = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/stream?kinds=delivery.exhausted,delivery.succeeded")
        defer { stream.close() }
        let (appId, messageId, endpoints) = try await Self.send(node, to: urls)
        #expect(await healthy.waitFor(1, timeout: .seconds(20)).count == 1, "the healthy endpoint is delivered while one is held")
        let brokenIds = Set(["huge", "invalid"].compactMap { endpoints[$0] })
        let broken = await stream.waitFor(timeout: .seconds(20)) { frames in
            brokenIds.isSubset(of: Self.endpointIds(frames, kind: "delivery.exhausted"))
        }
        #expect(broken, "both broken endpoints used their attempts")
        // The held receiver has the request and has not answered: its delivery is still in flight.
        #expect(held.requests.count == 1)
        #expect(try await attempts(node, appId, messageId, endpoints).filter { $0.name == "held" }.isEmpty)
        held.release()
        let heldId = try #require(endpoints["held"])
        #expect(await stream.waitFor(timeout: .seconds(20)) { Self.endpointIds($0, kind: "delivery.succeeded").contains(heldId) })

        var seen: [String: Int] = [:]
        for (name, attempt) in try await attempts(node, appId, messageId, endpoints) {
            seen[name, default: 0] += 1
            switch name {
            case "huge": #expect(attempt.responseStatusCode == 500 && attempt.response.utf8.count <= 4096, "huge: capped")
            case "invalid":
                #expect(attempt.responseStatusCode == 0 && attempt.response.hasPrefix("network error"), "invalid: \(attempt.response)")
            default: #expect(attempt.status == .success, "\(name): \(attempt.response)")
            }
        }
        #expect(seen == ["huge": 2, "invalid": 2, "held": 1, "healthy": 1])
    }

    /// Creates an application with one endpoint per entry of `urls` and sends one message; with `waitingFor`, also
    /// waits until every endpoint has an event of that kind and returns their endpoint ids.
    static func send(_ node: TestNode, to urls: [String: String], waitingFor kind: String) async throws -> (
        String, String, [String: String], [String]
    ) {
        let stream = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/stream?kinds=\(kind)")
        defer { stream.close() }
        let (appId, messageId, endpoints) = try await send(node, to: urls)
        _ = await stream.waitFor(timeout: .seconds(30)) { Set(endpoints.values).isSubset(of: Self.endpointIds($0, kind: kind)) }
        return (appId, messageId, endpoints, endpointIds(stream.events, kind: kind))
    }

    /// Creates an application with one endpoint per entry of `urls` (uid = key) and sends one message.
    static func send(_ node: TestNode, to urls: [String: String]) async throws -> (String, String, [String: String]) {
        let api = APIClient(baseURL: node.baseURL)
        let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Hostile"]).json["id"] as? String)
        var endpoints: [String: String] = [:]
        for (name, url) in urls.sorted(by: { $0.key < $1.key }) {
            let created = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": url + "/hook", "uid": name])
            endpoints[name] = try #require(created.json["id"] as? String)
        }
        let messageId = try #require(
            try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "hostile", "payload": ["n": 1]]).json["id"] as? String)
        return (appId, messageId, endpoints)
    }

    /// Every recorded attempt of `messageId`, with the name of its endpoint.
    static func attempts(_ node: TestNode, _ appId: String, _ messageId: String, _ endpoints: [String: String]) async throws -> [(
        name: String, attempt: Attempt
    )] {
        var all: [(name: String, attempt: Attempt)] = []
        for (name, endpointId) in endpoints.sorted(by: { $0.key < $1.key }) {
            let page = try await node.store.attempts(
                AttemptQuery(appId: appId, messageId: messageId, endpointId: endpointId, page: PageRequest(limit: 10)))
            all += page.items.map { (name, $0) }
        }
        return all
    }

    /// The endpoint ids of the `kind` events among `frames`.
    static func endpointIds(_ frames: [SSEClient.Frame], kind: String) -> [String] {
        frames.filter { $0.event == kind }.compactMap { $0.json["endpointId"] as? String }
    }
}
