import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// The path to PostgreSQL black-holed (bytes held back both ways, no reset) through a proxy in the test.
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: PostgresEnvironment.enabled, "set HOOKLINE_TEST_DATABASE_URL to run the PostgreSQL suites"))
struct DatabaseBlackHoleTests {
    /// The longest a request may wait: the connection wait (5 s) plus the operation timeout (10 s), and slack.
    static let requestDeadline: Duration = .seconds(16)

    @Test func blackHoledDatabaseAnswersWithinDeadlinesAndRecoversInSeconds() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            var components = try #require(URLComponents(string: database.url))
            let port = try #require(components.port)
            try await HoldingProxy.with(to: components.host ?? "127.0.0.1", port: port) { proxy, proxyPort in
                components.port = proxyPort
                try await Self.blackHole(database: try #require(components.string), proxy: proxy)
            }
        }
    }

    /// Holds the path while clients send until every client was refused twice (at least 10 s of silence), then
    /// releases it: no request outlives its deadline, nothing refused is stored, ingest and deliveries resume
    /// within 2 s.
    static func blackHole(database: String, proxy: HoldingProxy) async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            let node = try HooklineProcess(arguments: ClusterTests.arguments(database: database))
            let api = APIClient(baseURL: try await node.baseURL())
            let appId = try await ClusterTests.application(api, receiver: receiverURL)
            let acknowledged = await ClusterTests.send(20, to: [api], appId: appId)
            #expect(acknowledged.count == 20)

            let load = OutageLoad(api: api, appId: appId)
            async let clients: Void = load.run(plain: 6, keyed: 2)
            proxy.hold()
            let heldAt = ContinuousClock.now
            let refusedTwice = await Deadline.wait(timeout: .seconds(60), signal: load.answered) {
                let refusals = Dictionary(grouping: load.answers.filter { $0.status >= 500 && $0.sent > heldAt }) {
                    $0.marker.split(separator: "-").dropLast().joined()
                }
                return refusals.count == 8 && refusals.values.allSatisfy { $0.count >= 2 }
            }
            #expect(refusedTwice, "every client is refused while the path is black-holed")
            proxy.release()
            let upAt = ContinuousClock.now
            let upDate = Date()

            let accepting = await Deadline.wait(timeout: .seconds(30), signal: load.answered) {
                load.answers.contains { $0.status == 202 && $0.sent > upAt }
            }
            let delivering = await Deadline.wait(timeout: .seconds(30), signal: receiver.arrivals) {
                receiver.received.contains { $0.receivedAt > upDate }
            }
            let ingestResumedAfter = load.answers.first { $0.status == 202 && $0.sent > upAt }.map { $0.at - upAt }
            let deliveryResumedAfter = receiver.received.first { $0.receivedAt > upDate }.map { $0.receivedAt.timeIntervalSince(upDate) }
            load.stop()
            await clients
            #expect(accepting && delivering, "the node accepts and delivers again without a restart")
            // An operation still on a stalled connection of the replaced pool (a claim, an outcome batch, a group
            // commit) is abandoned when the pool is replaced, so nothing waits out its 15 s operation timeout.
            #expect(ingestResumedAfter.map { $0 <= .seconds(2) } == true, "ingest resumed \(String(describing: ingestResumedAfter)) after the path")
            #expect(deliveryResumedAfter.map { $0 <= 2 } == true, "deliveries resumed \(String(describing: deliveryResumedAfter)) s after the path")
            let slowest = load.answers.map { $0.at - $0.sent }.max() ?? .zero
            #expect(slowest <= requestDeadline, "no request outlives its deadline: slowest \(slowest)")

            let summary = try await load.verify(acknowledged: acknowledged, receiver: receiver)
            print(
                "black hole: \(summary); slowest answer \(slowest); ingest resumed \(ingestResumedAfter.map { "\($0)" } ?? "never"), deliveries resumed \(deliveryResumedAfter.map { "\($0) s" } ?? "never")"
            )
            #expect(await node.terminate(SIGTERM) == 0)
        }
    }
}
