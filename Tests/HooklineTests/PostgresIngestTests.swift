import Foundation
import HooklineCore
import HooklinePostgres
import HooklineTesting
import Testing

/// Ingest on PostgreSQL beyond the conformance checks: two nodes committing the same event ids at once.
@Suite(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL store tests skipped"), .timeLimit(.minutes(5)))
struct PostgresIngestTests {
    /// The fixtures' time.
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// Batches with the same event ids committed through two pools at once: each event id is stored once, with
    /// its rows and one event, and the other batch reports it as a duplicate of that message, even when the
    /// winner committed while the loser's statement ran.
    @Test func concurrentBatchesWithTheSameEventIdsStoreEachOnce() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let first = try database.makeStore()
            let second = try database.makeStore()
            try await PostgresTestDatabase.running(first.client) {
                try await PostgresTestDatabase.running(second.client) {
                    try await first.migrate()
                    let app = Fixtures.application(at: Self.t0)
                    try await first.insertApplication(app)
                    let endpoint = Fixtures.endpoint(app: app, at: Self.t0)
                    try await first.insertEndpoint(endpoint)
                    for round in 0..<10 {
                        let batches = (0..<2).map { _ in
                            (0..<64).map { index in
                                NewMessage(
                                    message: Fixtures.message(app: app, eventId: "evt-\(round)-\(index)", at: Self.t0), endpointIds: [endpoint.id],
                                    deliverAt: Self.t0)
                            }
                        }
                        async let a = first.insertMessages(batches[0], lease: CommitLease(until: Self.t0, picks: Array(repeating: [0], count: 64)))
                        async let b = second.insertMessages(batches[1])
                        let results = try await [a.outcomes, b]
                        for index in 0..<64 {
                            let pair = [results[0][index], results[1][index]]
                            let winner = pair[0] == .inserted ? batches[0][index].message : batches[1][index].message
                            #expect(pair.filter { $0 == .inserted }.count == 1, "one insert per event id, got \(pair)")
                            #expect(pair.contains(.duplicateEventId(existingId: winner.id)), "the other names the stored message, got \(pair)")
                            #expect(try await first.deliveries(messageId: winner.id).count == 1, "the stored message has its row")
                        }
                    }
                    let created = try await first.events(after: 0, limit: 10_000).filter { $0.kind == .messageCreated }
                    #expect(created.count == 640, "one message.created event per stored message, got \(created.count)")
                }
            }
        }
    }
}

/// Prints how long PostgreSQL takes to commit ingest batches (no timed assertion); runs only with
/// `HOOKLINE_MEASURE_INGEST=1` and a test database.
@Suite(
    .enabled(
        if: PostgresEnvironment.enabled && ProcessInfo.processInfo.environment["HOOKLINE_MEASURE_INGEST"] == "1",
        "opt-in measurement: set HOOKLINE_MEASURE_INGEST=1 and HOOKLINE_TEST_DATABASE_URL to run it"))
struct PostgresIngestMeasurement {
    /// The fixtures' time.
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// 20 batches of 256 messages with one endpoint each, unleased and (where the store can) leased at commit.
    @Test func twentyBatchesOf256() async throws {
        try await PostgresTestDatabase.withStore { store in
            let app = Fixtures.application(at: Self.t0)
            try await store.insertApplication(app)
            let endpoint = Fixtures.endpoint(app: app, at: Self.t0)
            try await store.insertEndpoint(endpoint)
            func batch(_ round: Int, _ label: String) -> [NewMessage] {
                (0..<256).map { index in
                    NewMessage(
                        message: Fixtures.message(app: app, eventId: "\(label)-\(round)-\(index)", at: Self.t0), endpointIds: [endpoint.id],
                        deliverAt: Self.t0, endpoints: [endpoint])
                }
            }
            _ = try await store.insertMessages(batch(0, "warm"), lease: .none)
            for (label, leasing) in [("plain", false), ("leased", true), ("plain2", false), ("leased2", true)] {
                let clock = ContinuousClock()
                var leasedRows = 0
                let elapsed = try await clock.measure {
                    for round in 0..<20 {
                        let lease = leasing ? CommitLease(until: Self.t0.addingTimeInterval(60), picks: Array(repeating: [0], count: 256)) : .none
                        let result = try await store.insertMessages(batch(round, label), lease: lease)
                        leasedRows += result.leased.count
                    }
                }
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                print(
                    "ingest measurement [\(label)]: 20 x 256 messages in \(String(format: "%.1f", ms)) ms "
                        + "(\(String(format: "%.2f", ms / 20)) ms/batch, \(Int(5120 / (ms / 1000))) msg/s), leased rows \(leasedRows)")
            }
        }
    }
}
