import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineHTTP
import HooklineSQLite
import HooklineTesting
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import ServiceLifecycle
import Testing

/// A real Hookline node over a temporary SQLite file, for end-to-end tests: on 127.0.0.1:0, or with its HTTP
/// application driven in process by Hummingbird's router test client where a test needs no socket.
struct TestNode: Sendable {
    static let apiKey = "test-admin-key"

    /// How tests reach the node's HTTP application.
    enum Access: Sendable {
        /// A real server on 127.0.0.1:0 (streams, receivers, raw connections, anything that needs a socket).
        case socket
        /// The same application without a socket: requests go straight into its router (`app.test(.router)`).
        case router
    }

    /// The node's URL: its socket's, or `http://localhost` (the authority router requests carry) in process.
    let baseURL: String
    /// Where `api(apiKey:)` sends requests.
    let route: APIClient.Route
    let store: SQLiteStore
    /// The node's event-stream broadcaster.
    var broadcaster: Broadcaster<SQLiteStore, SystemClock>? = nil
    /// Where the node's commits hand fresh deliveries to its engine.
    var handoff: DeliveryHandoff? = nil
    /// The operational webhook forwarder, when configured.
    var operational: OperationalForwarder<SQLiteStore, SystemClock>? = nil
    /// Raised after every commit of the node (messages, recorded outcomes, inbound requests, tasks' re-queues).
    var commits = WakeSignal()

    /// A client of this node's API, sending `apiKey` as a Bearer token when set.
    func api(apiKey: String? = TestNode.apiKey) -> APIClient { APIClient(route: route, apiKey: apiKey) }

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

    /// Starts a node reached through `access`, runs `body` against it, then shuts it down gracefully.
    static func with(
        _ access: Access = .socket, retrySchedule: [Duration] = [.milliseconds(50), .milliseconds(100)], maxBodyBytes: Int = 1 << 20,
        requestTimeout: Duration = .seconds(5), governor: EndpointGovernor.Configuration = .init(breaker: .init(openDuration: .milliseconds(200))),
        stream: Broadcaster<SQLiteStore, SystemClock>.Configuration = .init(), idleTimeout: Duration = .seconds(60),
        configure: @Sendable (inout HooklineNode<SQLiteStore>.Configuration) -> Void = { _ in },
        _ body: @Sendable (TestNode) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
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
        let commits = WakeSignal()
        node.broadcaster.changed.forward(to: commits)
        @Sendable func testNode(baseURL: String, route: APIClient.Route) -> TestNode {
            TestNode(
                baseURL: baseURL, route: route, store: store, broadcaster: node.broadcaster, handoff: node.handoff, operational: node.operational,
                commits: commits)
        }
        guard access == .router else {
            try await run(node.services, logger: logger) {
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw CancellationError() }
                let baseURL = "http://127.0.0.1:\(port)"
                try await body(testNode(baseURL: baseURL, route: .socket(baseURL)))
            }
            return
        }
        // Every service but the HTTP server runs as in production; the application answers through its router.
        let application = try #require(node.services.lazy.compactMap { $0 as? any ApplicationProtocol }.first)
        try await run(node.services.filter { !($0 is any ApplicationProtocol) }, logger: logger) {
            try await application.test(.router) { client in
                await application.onServerRunning(NIOAsyncTestingChannel())
                try await body(testNode(baseURL: "http://localhost", route: .router(client)))
            }
        }
    }

    /// Runs `services` in a group around `body`, then shuts them down gracefully (also when `body` throws).
    private static func run(_ services: [any Service], logger: Logger, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(services: services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body()
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
