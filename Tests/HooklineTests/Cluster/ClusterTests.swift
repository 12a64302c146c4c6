import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Several `hookline serve` processes on one PostgreSQL database, with real receivers on 127.0.0.1.
@Suite(
    .serialized, .enabled(if: PostgresEnvironment.enabled, "set HOOKLINE_TEST_DATABASE_URL to run the PostgreSQL cluster tests"),
    .timeLimit(.minutes(5)))
struct ClusterTests {
    static func arguments(database: String, extra: [String] = []) -> [String] {
        [
            "--port", "0", "--api-key", TestNode.apiKey, "--allow-network", "127.0.0.0/8", "--retry-schedule", "50ms,100ms,200ms,400ms,800ms",
            "--circuit-open-duration", "200ms", "--log-level", ProcessInfo.processInfo.environment["HOOKLINE_TEST_NODE_LOG_LEVEL"] ?? "error",
            "--database", database,
        ] + extra
    }

    /// Creates an application with one endpoint at `url` through `api`; returns the application id.
    static func application(_ api: APIClient, receiver url: String) async throws -> String {
        let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Cluster"]).json["id"] as? String)
        #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": url + "/hook"]).status == 201)
        return appId
    }

    /// Sends `count` messages alternately through `apis`; returns the ids of those acknowledged with 202.
    static func send(_ count: Int, to apis: [APIClient], appId: String) async -> Set<String> {
        await withTaskGroup(of: String?.self) { group in
            for index in 0..<count {
                let api = apis[index % apis.count]
                group.addTask {
                    let reply = try? await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "cluster.test", "payload": ["n": index]])
                    return reply?.status == 202 ? reply?.json["id"] as? String : nil
                }
            }
            var ids: Set<String> = []
            for await id in group { if let id { ids.insert(id) } }
            return ids
        }
    }

    @Test func twoNodesDeliverEveryMessageExactlyOnce() async throws {
        try await PostgresTestDatabase.withDatabase { database in try await Self.deliverExactlyOnce(database: database.url) }
    }

    static func deliverExactlyOnce(database: String) async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            let nodeA = try HooklineProcess(arguments: Self.arguments(database: database))
            let nodeB = try HooklineProcess(arguments: Self.arguments(database: database))
            let apis = [APIClient(baseURL: try await nodeA.baseURL()), APIClient(baseURL: try await nodeB.baseURL())]
            let appId = try await Self.application(apis[0], receiver: receiverURL)
            let acknowledged = await Self.send(300, to: apis, appId: appId)
            #expect(acknowledged.count == 300)
            let arrived = await receiver.waitUntil(timeout: .seconds(60)) {
                Set($0.compactMap { $0.headers["webhook-id"] }).isSuperset(of: acknowledged)
            }
            #expect(arrived, "every acknowledged message reaches the endpoint")
            let ids = receiver.received.compactMap { $0.headers["webhook-id"] }
            #expect(ids.count == Set(ids).count, "no message is delivered twice: \(ids.count - Set(ids).count) duplicates")
            #expect(await nodeA.terminate(SIGTERM) == 0)
            #expect(await nodeB.terminate(SIGTERM) == 0)
        }
    }

    @Test func survivorFinishesTheLeasedWorkOfAKilledNode() async throws {
        try await PostgresTestDatabase.withDatabase { database in try await Self.finishAfterKill(database: database.url) }
    }

    static func finishAfterKill(database: String) async throws {
        let extra = ["--lease-duration", "3s", "--request-timeout", "2s"]
        try await RecordingReceiver.with { receiver, receiverURL in
            let nodeA = try HooklineProcess(arguments: Self.arguments(database: database, extra: extra))
            let nodeB = try HooklineProcess(arguments: Self.arguments(database: database, extra: extra))
            let apiA = APIClient(baseURL: try await nodeA.baseURL())
            _ = try await nodeB.baseURL()
            let appId = try await Self.application(apiA, receiver: receiverURL)
            receiver.delayNext(1_000, by: .milliseconds(1500))
            let acknowledged = await Self.send(200, to: [apiA], appId: appId)
            #expect(acknowledged.count == 200)
            _ = await receiver.waitFor(1, timeout: .seconds(30))
            await nodeA.terminate(SIGKILL)  // dies holding leases on deliveries it has not finished; node B goes on

            let arrived = await receiver.waitUntil(timeout: .seconds(90)) { received in
                Set(received.compactMap { $0.headers["webhook-id"] }).isSuperset(of: acknowledged)
            }
            let seen = Set(receiver.received.compactMap { $0.headers["webhook-id"] })
            #expect(arrived, "missing after the kill: \(acknowledged.subtracting(seen).count)")
            #expect(await nodeB.terminate(SIGTERM) == 0)
        }
    }

    @Test func streamShowsOtherNodesDeliveriesAndResumesOnAnotherNode() async throws {
        try await PostgresTestDatabase.withDatabase { database in try await Self.streamAcrossNodes(database: database.url) }
    }

    static func streamAcrossNodes(database: String) async throws {
        try await RecordingReceiver.with { _, receiverURL in
            let nodeA = try HooklineProcess(arguments: Self.arguments(database: database))
            let nodeB = try HooklineProcess(arguments: Self.arguments(database: database))
            let urlA = try await nodeA.baseURL(), urlB = try await nodeB.baseURL()
            let apiB = APIClient(baseURL: urlB)
            let appId = try await Self.application(apiB, receiver: receiverURL)
            let path = "/api/v1/app/\(appId)/stream?kinds=message.created"
            let onA = try await SSEClient(baseURL: urlA, path: path, headers: ["Last-Event-ID": "0"])  // from the start of the log: no race with the subscription
            let first = await Self.send(5, to: [apiB], appId: appId)
            // By kind: a PostgreSQL event log may start past id 1 (a sequence value an aborted transaction took), and then a
            // resume from 0 first gets a `stream.gap` frame, which must not count as one of the five.
            let early = await onA.waitForEvents(5, kind: "message.created", timeout: .seconds(20))
            onA.close()
            #expect(Set(early.compactMap { $0.json["msgId"] as? String }) == first, "node A streams messages accepted by node B")
            let lastId = try #require(early.last?.id)

            let second = await Self.send(5, to: [apiB], appId: appId)
            let onB = try await SSEClient(baseURL: urlB, path: path, headers: ["Last-Event-ID": "\(lastId)"])
            let rest = await onB.waitForEvents(5, kind: "message.created", timeout: .seconds(20))
            onB.close()
            #expect(Set(rest.compactMap { $0.json["msgId"] as? String }) == second, "resuming on node B continues exactly after node A's last id")
            #expect(rest.allSatisfy { ($0.id ?? 0) > lastId })
            #expect(await nodeA.terminate(SIGTERM) == 0)
            #expect(await nodeB.terminate(SIGTERM) == 0)
        }
    }
}
