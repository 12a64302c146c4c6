import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct StreamTests {
    static func app(_ api: APIClient, _ name: String) async throws -> String {
        try #require(try await api.call("POST", "/api/v1/app", json: ["name": name]).json["id"] as? String)
    }

    @discardableResult
    static func send(_ api: APIClient, _ appId: String, type: String = "order.paid", channels: [String]? = nil) async throws -> String {
        var body: [String: Any] = ["eventType": type, "payload": ["n": 1]]
        if let channels { body["channels"] = channels }
        let reply = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: body)
        #expect(reply.status == 202)
        return try #require(reply.json["id"] as? String)
    }

    /// Opens a stream and waits until it is registered (the `retry:` hint is sent after registration).
    static func open(_ node: TestNode, _ path: String, headers: [String: String] = [:]) async throws -> SSEClient {
        let client = try await SSEClient(baseURL: node.baseURL, path: path, headers: headers)
        #expect(client.status == 200)
        #expect(await client.waitFor { $0.contains { $0.retry != nil } })
        return client
    }

    @Test func eventsArriveInOrderWithHeadersAndFilters() async throws {
        try await TestNode.with { node in
            let api = APIClient(baseURL: node.baseURL)
            let appId = try await Self.app(api, "Stream")
            let other = try await Self.app(api, "Other")
            let all = try await Self.open(node, "/api/v1/stream")
            #expect(all.headers["content-type"]?.hasPrefix("text/event-stream") == true)
            #expect(all.headers["x-accel-buffering"] == "no")
            #expect(all.headers["connection"] == "close")
            #expect(all.all.first?.retry == 2000)
            let typed = try await Self.open(node, "/api/v1/app/\(appId)/stream?event_types=b.type")
            let channel = try await Self.open(node, "/api/v1/stream?channel=blue&kinds=message.created")
            let otherApp = try await Self.open(node, "/api/v1/stream?app_id=\(other)")
            var sent: [String] = []
            for (index, type) in ["a.type", "b.type", "a.type", "b.type"].enumerated() {
                sent.append(try await Self.send(api, appId, type: type, channels: index == 2 ? ["blue"] : nil))
            }
            let events = await all.waitForEvents(4, kind: "message.created")
            #expect(events.compactMap { $0.json["msgId"] as? String } == sent)
            let ids = events.compactMap(\.id)
            #expect(ids == ids.sorted() && Set(ids).count == 4)
            #expect(events.allSatisfy { $0.json["appId"] as? String == appId && $0.json["id"] as? Int64 == $0.id })
            let typedEvents = await typed.waitForEvents(2)
            #expect(typedEvents.compactMap { $0.json["msgId"] as? String } == [sent[1], sent[3]])
            let blue = await channel.waitForEvents(1)
            #expect(blue.compactMap { $0.json["msgId"] as? String } == [sent[2]])
            try await Self.send(api, other)
            #expect(await otherApp.waitForEvents(1).count == 1)
            #expect(otherApp.events.allSatisfy { $0.json["appId"] as? String == other })
            #expect(typed.events.count == 2 && channel.events.count == 1)
            for client in [all, typed, channel, otherApp] { client.close() }
        }
    }

    @Test func resumeAcrossReconnectHasNoGapAndNoDuplicate() async throws {
        try await TestNode.with { node in
            let api = APIClient(baseURL: node.baseURL)
            let appId = try await Self.app(api, "Resume")
            let first = try await Self.open(node, "/api/v1/app/\(appId)/stream?kinds=message.created")
            let sender = Task {
                var ids: [String] = []
                for _ in 0..<40 { ids.append(try await Self.send(api, appId)) }
                return ids
            }
            let early = await first.waitForEvents(10, timeout: .seconds(30))
            first.close()
            let lastId = try #require(early.prefix(10).last?.id)
            let seenBefore = early.prefix(10).compactMap { $0.json["msgId"] as? String }
            let second = try await Self.open(
                node, "/api/v1/app/\(appId)/stream?kinds=message.created", headers: ["Last-Event-ID": "\(lastId)"])
            let sent = try await sender.value
            let rest = await second.waitForEvents(30, timeout: .seconds(30))
            let seen = seenBefore + rest.compactMap { $0.json["msgId"] as? String }
            #expect(seen == sent, "every message once, in order: got \(seen.count) of \(sent.count)")
            #expect(rest.allSatisfy { ($0.id ?? 0) > lastId })
            second.close()
            let byQuery = try await Self.open(node, "/api/v1/app/\(appId)/stream?kinds=message.created&last_event_id=\(lastId)")
            #expect(await byQuery.waitForEvents(30, timeout: .seconds(30)).compactMap { $0.json["msgId"] as? String } == Array(sent.dropFirst(10)))
            byQuery.close()
        }
    }

    @Test func resumingBeforeThePrunedLogSaysSo() async throws {
        try await TestNode.with { node in
            let api = APIClient(baseURL: node.baseURL)
            let appId = try await Self.app(api, "Gap")
            for _ in 0..<3 { try await Self.send(api, appId) }
            let kept = try await node.store.events(after: 0, limit: 10)
            _ = try await node.store.deleteEvents(before: Date.distantFuture, limit: 2)
            let client = try await Self.open(node, "/api/v1/stream", headers: ["Last-Event-ID": "0"])
            let frames = await client.waitForEvents(2)
            #expect(frames.first?.event == "stream.gap")
            #expect(frames.first?.json["oldestKept"] as? Int64 == kept[2].id)
            #expect(frames.dropFirst().first?.id == kept[2].id)
            client.close()
        }
    }

    @Test func idleStreamGetsHeartbeats() async throws {
        try await TestNode.with(stream: .init(heartbeat: .milliseconds(100))) { node in
            let client = try await Self.open(node, "/api/v1/stream")
            #expect(await client.waitFor { frames in frames.filter { $0.comment == "heartbeat" }.count >= 2 })
            client.close()
        }
    }

    @Test func manyClientsShareOneUpstream() async throws {
        try await TestNode.with { node in
            let api = APIClient(baseURL: node.baseURL)
            let appId = try await Self.app(api, "Shared")
            var clients: [SSEClient] = []
            for _ in 0..<6 { clients.append(try await Self.open(node, "/api/v1/app/\(appId)/stream")) }
            let broadcaster = try #require(node.broadcaster)
            #expect(broadcaster.subscriberCount == 6)
            let readsBefore = broadcaster.upstreamReads
            let messageId = try await Self.send(api, appId)
            for client in clients {
                #expect(await client.waitForEvents(1).first?.json["msgId"] as? String == messageId)
            }
            #expect(broadcaster.upstreamReads - readsBefore < 6, "one read per commit, not one per client")
            for client in clients { client.close() }
            #expect(await Deadline.wait(timeout: .seconds(20), signal: broadcaster.activity) { broadcaster.subscriberCount == 0 })
        }
    }

    @Test func openStreamsDoNotHoldUpGracefulShutdown() async throws {
        let holder = Holder()
        try await TestNode.with(stream: .init(heartbeat: .seconds(3600))) { node in
            holder.client = try await Self.open(node, "/api/v1/stream")
        }
        let client = try #require(holder.client)
        #expect(await client.waitFor(timeout: .seconds(10)) { _ in client.isEnded }, "the stream ended with the server")
    }

    /// Keeps a client across the node's lifetime.
    final class Holder: @unchecked Sendable {
        var client: SSEClient?
    }
}
