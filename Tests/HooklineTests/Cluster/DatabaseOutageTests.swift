import Foundation
import Synchronization
import HooklineCore
import HooklineTesting
import Testing

/// A node on PostgreSQL while its database stops and comes back, on a server kept for this test alone.
@Suite(.serialized, .enabled(if: PostgresEnvironment.outage != nil || PostgresEnvironment.required, "set HOOKLINE_TEST_OUTAGE_DATABASE_URL and HOOKLINE_TEST_OUTAGE_PG_CTL to run the outage test"))
struct DatabaseOutageTests {
    @Test func restartUnderLoadNeverAcknowledgesFalselyAndHealsByItself() async throws {
        let outage = try #require(PostgresEnvironment.outage, "the outage server is not configured")
        try await PostgresTestDatabase.withDatabase(on: outage.url) { database in
            try await Self.restartUnderLoad(database: database.url, control: outage.control)
        }
    }

    static func restartUnderLoad(database: String, control: String) async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            let node = try HooklineProcess(arguments: ClusterTests.arguments(database: database))
            let api = APIClient(baseURL: try await node.baseURL())
            let appId = try await ClusterTests.application(api, receiver: receiverURL)
            var acknowledged = await ClusterTests.send(50, to: [api], appId: appId)
            #expect(acknowledged.count == 50)

            try PostgresEnvironment.run([control, "stop"])
            defer { try? PostgresEnvironment.run([control, "start"]) }  // already running unless a step below threw
            var statuses: [Int] = []
            for index in 0..<5 {
                let reply = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "outage", "payload": ["n": index]])
                statuses.append(reply.status)
                if reply.status == 202, let id = reply.json["id"] as? String { acknowledged.insert(id) }
                if reply.status == 503 {
                    #expect((reply.json["code"] as? String)?.isEmpty == false, "a 503 carries a JSON error")
                }
            }
            #expect(statuses.allSatisfy { $0 == 503 }, "requests while the database is down get 503, got \(statuses)")
            try PostgresEnvironment.run([control, "start"])

            let probes = Mutex<Set<String>>([])
            let healed = await Deadline.poll(timeout: .seconds(60)) {
                let reply = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "outage", "payload": ["probe": true]])
                guard reply.status == 202, let id = reply.json["id"] as? String else { return false }
                probes.withLock { _ = $0.insert(id) }
                return true
            }
            #expect(healed, "the node accepts messages again without a restart")
            acknowledged.formUnion(probes.withLock { $0 })
            acknowledged.formUnion(await ClusterTests.send(50, to: [api], appId: appId))
            let expected = acknowledged
            let delivered = await Deadline.poll(timeout: .seconds(60)) {
                Set(receiver.received.compactMap { $0.headers["webhook-id"] }).isSuperset(of: expected)
            }
            let seen = Set(receiver.received.compactMap { $0.headers["webhook-id"] })
            #expect(delivered, "acknowledged but never delivered: \(acknowledged.subtracting(seen).count)")
            #expect(node.stop(signal: SIGTERM) == 0)
        }
    }
}
