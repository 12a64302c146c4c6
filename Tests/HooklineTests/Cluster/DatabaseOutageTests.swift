import Foundation
import HooklineCore
import HooklineTesting
import Synchronization
import Testing

/// A node on PostgreSQL while its database stops and comes back under load, on a server kept for this test alone.
@Suite(
    .serialized, .timeLimit(.minutes(5)),
    .enabled(
        if: PostgresEnvironment.outage != nil || PostgresEnvironment.required,
        "set HOOKLINE_TEST_OUTAGE_DATABASE_URL and HOOKLINE_TEST_OUTAGE_PG_CTL to run the outage test"))
struct DatabaseOutageTests {
    /// Clients sending without an idempotency key, and clients retrying with one until answered 2xx.
    static let plainClients = 8
    static let keyedClients = 4

    @Test func restartUnderLoadNeverAcknowledgesFalselyAndHealsByItself() async throws {
        let outage = try #require(PostgresEnvironment.outage, "the outage server is not configured")
        try await PostgresTestDatabase.withDatabase(on: outage.url) { database in
            try await Self.restartUnderLoad(database: database.url, control: outage.control)
        }
    }

    /// Stops the database while clients send, starts it once every client has been answered 503 (so requests
    /// were abandoned while waiting for a connection), and checks what was answered against what was stored
    /// and delivered: a 202 is stored and delivered, a 503 never is, a keyed retry yields exactly one message;
    /// ingest and deliveries resume within 2 s of the database accepting connections.
    static func restartUnderLoad(database: String, control: String) async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            let node = try HooklineProcess(arguments: ClusterTests.arguments(database: database))
            let api = APIClient(baseURL: try await node.baseURL())
            let appId = try await ClusterTests.application(api, receiver: receiverURL)
            let acknowledged = await ClusterTests.send(50, to: [api], appId: appId)
            #expect(acknowledged.count == 50)

            let load = OutageLoad(api: api, appId: appId)
            async let clients: Void = load.run(plain: plainClients, keyed: keyedClients)
            try await PostgresEnvironment.run([control, "stop"])
            let stoppedAt = ContinuousClock.now
            let refused = await Deadline.wait(timeout: .seconds(30), signal: load.answered) {
                Set(load.answers.filter { $0.status == 503 && $0.at > stoppedAt }.map { $0.marker.split(separator: "-").dropLast().joined() })
                    .count == plainClients + keyedClients
            }
            #expect(refused, "every client is answered 503 while the database is down")
            try await PostgresEnvironment.run([control, "start"])  // nothing between stop and start throws
            let upAt = ContinuousClock.now
            let upDate = Date()

            let accepting = await Deadline.wait(timeout: .seconds(30), signal: load.answered) {
                load.answers.contains { $0.status == 202 && $0.at > upAt }
            }
            let delivering = await Deadline.wait(timeout: .seconds(30), signal: receiver.arrivals) {
                receiver.received.contains { $0.receivedAt > upDate }
            }
            let ingestResumedAfter = load.answers.first { $0.status == 202 && $0.at > upAt }.map { $0.at - upAt }
            let deliveryResumedAfter = receiver.received.first { $0.receivedAt > upDate }.map { $0.receivedAt.timeIntervalSince(upDate) }
            load.stop()
            await clients
            #expect(accepting && delivering, "the node accepts and delivers again without a restart")
            #expect(
                ingestResumedAfter.map { $0 <= .seconds(2) } == true, "ingest resumed \(String(describing: ingestResumedAfter)) after the database")
            #expect(
                deliveryResumedAfter.map { $0 <= 2 } == true, "deliveries resumed \(String(describing: deliveryResumedAfter)) s after the database")

            let summary = try await load.verify(acknowledged: acknowledged, receiver: receiver)
            print(
                "outage: \(summary); ingest resumed \(ingestResumedAfter.map { "\($0)" } ?? "never"), deliveries resumed \(deliveryResumedAfter.map { "\($0) s" } ?? "never")"
            )
            #expect(await node.terminate(SIGTERM) == 0)
        }
    }
}
