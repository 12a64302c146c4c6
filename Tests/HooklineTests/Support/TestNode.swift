import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineHTTP
import HooklineSQLite
import HooklineTesting
import Logging
import NIOCore
import ServiceLifecycle

/// A real Hookline node on 127.0.0.1:0 over a temporary SQLite file, for end-to-end tests.
struct TestNode: Sendable {
    static let apiKey = "test-admin-key"

    let baseURL: String
    let store: SQLiteStore
    /// The node's event-stream broadcaster.
    var broadcaster: Broadcaster<SQLiteStore, SystemClock>? = nil
    /// Where the node's commits hand fresh deliveries to its engine.
    var handoff: DeliveryHandoff? = nil
    /// The operational webhook forwarder, when configured.
    var operational: OperationalForwarder<SQLiteStore, SystemClock>? = nil
    /// Raised after every commit of the node (messages, recorded outcomes, inbound requests, tasks' re-queues).
    var commits = WakeSignal()

    /// Waits until `condition` holds, re-checking it after each of the node's commits; false if `timeout` passed first.
    func waitUntil(timeout: Duration = .seconds(20), _ condition: @escaping @Sendable () async throws -> Bool) async -> Bool {
        await Deadline.wait(timeout: timeout, signal: commits) { (try? await condition()) ?? false }
    }

    /// Waits until the operational forwarder has handled the event log through `eventId` (by default: until it has
    /// placed itself at the end of the log, after which every event is forwarded); false without a forwarder.
    func waitForOperationalForwarder(through eventId: Int64 = 0, timeout: Duration = .seconds(20)) async -> Bool {
        guard let operational else { return false }
        return await Deadline.wait(timeout: timeout, signal: operational.checkpointed) {
            let name = OperationalForwarder<SQLiteStore, SystemClock>.checkpointName
            guard let position = try? await store.checkpoint(named: name) else { return false }
            return position >= eventId
        }
    }

    /// Starts a node, runs `body` against it, then shuts it down gracefully.
    static func with(
        retrySchedule: [Duration] = [.milliseconds(50), .milliseconds(100)], maxBodyBytes: Int = 1 << 20,
        requestTimeout: Duration = .seconds(5), governor: EndpointGovernor.Configuration = .init(breaker: .init(openDuration: .milliseconds(200))),
        stream: Broadcaster<SQLiteStore, SystemClock>.Configuration = .init(), idleTimeout: Duration = .seconds(60),
        configure: @Sendable (inout HooklineNode<SQLiteStore>.Configuration) -> Void = { _ in },
        _ body: @Sendable (TestNode) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path + "/hookline.sqlite")
        let policy = NetworkPolicy(allowed: [IPRange("127.0.0.0/8")!])
        var server = HooklineServer.Configuration(host: "127.0.0.1", port: 0, apiKey: apiKey, maxBodyBytes: maxBodyBytes)
        server.idleTimeout = idleTimeout
        var configuration = HooklineNode<SQLiteStore>.Configuration(
            server: server,
            gateway: .init(networkPolicy: policy),
            engine: .init(
                executor: .init(
                    retryPolicy: RetryPolicy(schedule: retrySchedule, overloadMinimum: .milliseconds(50)), requestTimeout: requestTimeout),
                governor: governor),
            transport: .init(networkPolicy: policy)
        )
        configuration.broadcaster = stream
        configure(&configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "hookline-test")
        logger.logLevel = .warning
        let node = HooklineNode(configuration: configuration, store: store, logger: logger) { port in continuation.yield(port) }
        let group = ServiceGroup(services: node.services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let commits = WakeSignal()
            node.broadcaster.changed.forward(to: commits)
            let testNode = TestNode(
                baseURL: "http://127.0.0.1:\(port)", store: store, broadcaster: node.broadcaster, handoff: node.handoff,
                operational: node.operational,
                commits: commits)
            do {
                try await body(testNode)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// A minimal JSON-over-HTTP client for tests.
struct APIClient: Sendable {
    struct Reply: @unchecked Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    let baseURL: String
    var apiKey: String? = TestNode.apiKey

    func call(_ method: String, _ path: String, json: Any? = nil, raw: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        if let apiKey { request.headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } else if let raw {
            request.body = .bytes(ByteBuffer(string: raw))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 8 << 20)
        var replyHeaders: [String: String] = [:]
        for header in response.headers { replyHeaders[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: replyHeaders, body: Data(buffer: body))
    }
}
