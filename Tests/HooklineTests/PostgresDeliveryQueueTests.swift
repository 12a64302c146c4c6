import Foundation
import HooklineCore
import HooklineTesting
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import HooklinePostgres

/// `delivery_queue` (migration v16): after every kind of write to `delivery`, the queue holds exactly its active rows,
/// a populated database is upgraded with its active rows queued, and the queue can be vacuumed while nodes run.
@Suite(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL queue tests skipped"), .timeLimit(.minutes(5)))
struct PostgresDeliveryQueueTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// The active rows of `delivery` and the rows of `delivery_queue`, each as `id endpoint priority state due` lines.
    private static func mirror(_ store: PostgresStore) async throws -> (active: [String], queued: [String]) {
        try await store.reading { session in
            let columns = "id::text || ' ' || endpoint_id || ' ' || priority || ' ' || state || ' ' || next_attempt_at"
            let active = try await session.strings("SELECT \(columns) FROM delivery WHERE state IN (0, 1) ORDER BY id")
            let queued = try await session.strings("SELECT \(columns) FROM delivery_queue ORDER BY id")
            return (active, queued)
        }
    }

    private static func expectMirrored(_ store: PostgresStore, _ step: String, active count: Int) async throws {
        let (active, queued) = try await mirror(store)
        #expect(active == queued, "after \(step)")
        #expect(active.count == count, "active rows after \(step)")
    }

    @Test func theQueueHoldsExactlyTheActiveDeliveriesAfterEveryWrite() async throws {
        try await PostgresTestDatabase.withStore { store in
            let app = Fixtures.application(at: Self.t0)
            try await store.insertApplication(app)
            let first = Fixtures.endpoint(app: app, at: Self.t0)
            let second = Fixtures.endpoint(app: app, at: Self.t0.addingTimeInterval(1))
            try await store.insertEndpoint(first)
            try await store.insertEndpoint(second)
            let messages = (0..<4).map { index in Fixtures.message(app: app, at: Self.t0.addingTimeInterval(Double(index))) }
            _ = try await store.insertMessages(messages.map { NewMessage(message: $0, endpointIds: [first.id, second.id], deliverAt: Self.t0) })
            try await Self.expectMirrored(store, "ingest", active: 8)

            let claimed = try await store.claimDeliveries(ClaimRequest(now: Self.t0, limit: 6, leaseUntil: Self.t0.addingTimeInterval(30)))
            #expect(claimed.count == 6)
            try await Self.expectMirrored(store, "a claim", active: 8)

            let outcomes = claimed.enumerated().map { index, delivery in
                let next: DeliveryOutcome.Next = [.succeeded, .retry(at: Self.t0.addingTimeInterval(60)), .failed][index % 3]
                let status: AttemptStatus = index % 3 == 0 ? .success : .fail
                return DeliveryOutcome(
                    claimed: delivery, attempt: Fixtures.attempt(for: delivery, status: status, code: index % 3 == 0 ? 200 : 500, at: Self.t0),
                    next: next, now: Self.t0)
            }
            try await store.completeDeliveries(outcomes)
            try await Self.expectMirrored(store, "completions (2 succeeded, 2 failed, 2 retried)", active: 4)

            let failed = try #require(claimed.enumerated().first { $0.offset % 3 == 2 }?.element)
            try await store.resendDelivery(
                ResendRequest(appId: app.id, messageId: failed.message.id, endpointId: failed.delivery.endpointId, now: Self.t0))
            try await Self.expectMirrored(store, "a resend of a failed delivery", active: 5)

            try await store.deleteEndpoint(appId: app.id, id: second.id, now: Self.t0)
            let remaining = try await Self.mirror(store).active
            #expect(!remaining.contains { $0.contains(second.id) }, "the deleted endpoint's deliveries left the queue")
            try await Self.expectMirrored(store, "an endpoint's deletion", active: remaining.count)
        }
    }

    /// A database at v15 with active and finished deliveries: the upgrade queues exactly the active ones, and the
    /// upgraded store claims them.
    @Test func anUpgradeQueuesTheActiveDeliveries() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = try database.makeStore()
            try await PostgresTestDatabase.running(store.client) {
                try await PostgresMigrations.apply(client: store.client, logger: PostgresTestDatabase.logger, through: 15)
                let app = Fixtures.application(at: Self.t0)
                try await store.insertApplication(app)
                let endpoint = Fixtures.endpoint(app: app, at: Self.t0)
                try await store.insertEndpoint(endpoint)
                let messages = (0..<3).map { index in Fixtures.message(app: app, at: Self.t0.addingTimeInterval(Double(index))) }
                _ = try await store.insertMessages(messages.map { NewMessage(message: $0, endpointIds: [endpoint.id], deliverAt: Self.t0) })
                try await store.writing { session in
                    try await session.execute("UPDATE delivery SET state = 2 WHERE message_id = \(messages[0].id)")
                }
                try await store.migrate()
                try await Self.expectMirrored(store, "the upgrade", active: 2)
                let claimed = try await store.claimDeliveries(ClaimRequest(now: Self.t0, limit: 8, leaseUntil: Self.t0.addingTimeInterval(30)))
                #expect(Set(claimed.map(\.message.id)) == Set(messages.dropFirst().map(\.id)))
            }
        }
    }

    /// A vacuum of the queue runs between claims and completions and leaves no dead row version behind.
    @Test func vacuumingTheQueueRemovesItsDeadRows() async throws {
        try await PostgresTestDatabase.withStore { store in
            let app = Fixtures.application(at: Self.t0)
            try await store.insertApplication(app)
            let endpoint = Fixtures.endpoint(app: app, at: Self.t0)
            try await store.insertEndpoint(endpoint)
            let messages = (0..<50).map { index in Fixtures.message(app: app, at: Self.t0.addingTimeInterval(Double(index))) }
            _ = try await store.insertMessages(messages.map { NewMessage(message: $0, endpointIds: [endpoint.id], deliverAt: Self.t0) })
            let claimed = try await store.claimDeliveries(ClaimRequest(now: Self.t0, limit: 50, leaseUntil: Self.t0.addingTimeInterval(30)))
            try await store.completeDeliveries(
                claimed.map { delivery in
                    DeliveryOutcome(
                        claimed: delivery, attempt: Fixtures.attempt(for: delivery, status: .success, code: 200, at: Self.t0), next: .succeeded,
                        now: Self.t0)
                })
            func laneEntries() async throws -> Int64 {
                // The entries of the queue's lane index, live or dead: its one leaf page (block 1; block 0 is the metapage).
                try await store.reading { session in
                    try await session.scalar("SELECT count(*)::bigint FROM bt_page_items('delivery_queue_lane', 1)", as: Int64.self)
                } ?? -1
            }
            try await store.reading { session in try await session.run("CREATE EXTENSION IF NOT EXISTS pageinspect") }
            #expect(try await laneEntries() == 100, "an entry for the inserted and for the claimed version of each of the 50 rows")
            try await store.vacuumQueue()
            #expect(try await laneEntries() == 0, "the vacuum removed the finished rows' entries")
            #expect(try await store.vacuumQueue(unlessWithin: .seconds(600)) == false, "vacuumed moments ago: this turn is skipped")
            #expect(try await store.vacuumQueue(unlessWithin: .zero), "due at once")
            try await Self.expectMirrored(store, "the vacuum", active: 0)
        }
    }
}

/// The vacuum service's schedule, on a manual clock: no database needed.
@Suite struct PostgresQueueVacuumScheduleTests {
    @Test func vacuumsAtStartThenEveryIntervalAndOutlivesFailures() async throws {
        let clock = ManualClock()
        let start = clock.now()
        let (runs, ran) = AsyncStream<Int>.makeStream()
        let count = Counter()
        let service = PostgresQueueVacuum(configuration: .init(interval: .seconds(2)), clock: clock, logger: Logger(label: "vacuum")) {
            let run = count.next()
            ran.yield(run)
            if run == 1 { throw HooklineError(.unavailable, "the database is away") }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await service.run() }
            var iterator = runs.makeAsyncIterator()
            #expect(await iterator.next() == 1, "a vacuum at start")
            #expect(await clock.waitForSleepers(1))
            #expect(clock.deadlines == [start.addingTimeInterval(2)])
            _ = clock.advance(by: .seconds(2))
            #expect(await iterator.next() == 2, "the next one after the interval, though the first failed")
            #expect(await clock.waitForSleepers(1))
            #expect(clock.deadlines == [start.addingTimeInterval(4)])
            group.cancelAll()
        }
    }

    private final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int {
            value.withLock {
                $0 += 1; return $0
            }
        }
    }
}
