import Foundation
import HooklineCore
import HooklineTesting
import PostgresNIO
import Testing

@testable import HooklinePostgres

/// Day partitions of `message` and `attempt` (migration v13): naming, the store's conformance with rows in day
/// partitions, the upgrade of a populated unpartitioned database, and retention dropping whole expired days.
@Suite(
    .enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL partition tests skipped"), .timeLimit(.minutes(5)))
struct PostgresPartitionTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// The conformance suite with day partitions around its clock, so its rows live in day partitions (moved there out of
    /// the default partition when a check's own retention sweep creates them) rather than only in the default one.
    @Test(arguments: StoreConformance.checks)
    func conformanceOnDayPartitions(_ check: StoreConformance.Check) async throws {
        try await PostgresTestDatabase.withStore { store in
            let made = try await store.createPartitions(
                from: Self.t0.addingTimeInterval(-2 * 86_400), through: Self.t0.addingTimeInterval(3 * 86_400))
            #expect(made == 12, "six days of two tables")
            try await check.run(store)
        }
    }

    /// A message whose day has no partition is stored in the default partition, and moves to its day's partition when
    /// that is created, with its attempt.
    @Test func aDayWithoutPartitionFallsBackToTheDefaultUntilItsPartitionExists() async throws {
        try await PostgresTestDatabase.withStore { store in
            let app = Fixtures.application(at: Self.t0)
            try await store.insertApplication(app)
            let endpoint = Fixtures.endpoint(app: app, at: Self.t0)
            try await store.insertEndpoint(endpoint)
            let message = Fixtures.message(app: app, eventId: "evt-stray", at: Self.t0)
            #expect(try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: Self.t0)]) == [.inserted])
            let claimed = try await store.claimDeliveries(ClaimRequest(now: Self.t0, limit: 1, leaseUntil: Self.t0.addingTimeInterval(30)))
            let delivery = try #require(claimed.first)
            try await store.completeDeliveries([
                DeliveryOutcome(
                    claimed: delivery, attempt: Fixtures.attempt(for: delivery, status: .success, code: 200, at: Self.t0), next: .succeeded,
                    now: Self.t0)
            ])
            func homes() async throws -> [String] {
                try await store.reading { session in
                    try await session.strings(
                        """
                        SELECT tableoid::regclass::text FROM message WHERE id = '\(message.id)'
                        UNION ALL SELECT tableoid::regclass::text FROM attempt WHERE message_id = '\(message.id)'
                        """)
                }
            }
            #expect(try await homes() == ["message_default", "attempt_default"])
            let day = PostgresPartitionDay(containing: Self.t0)
            #expect(try await store.createPartitions(from: Self.t0, through: Self.t0) == 2)
            #expect(try await homes() == ["message_d\(day.label)", "attempt_d\(day.label)"])
            #expect(try await store.message(appId: app.id, id: "evt-stray")?.id == message.id, "still found by its event id")
            #expect(try await store.attempts(AttemptQuery(appId: app.id, messageId: message.id)).items.count == 1)
        }
    }
}

/// Partition days and names as values: no database needed.
@Suite struct PostgresPartitionDayTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func daysNameAndBoundTheirIdRange() throws {
        let day = PostgresPartitionDay(containing: Self.t0)
        #expect(day.label == "20231114")
        #expect(PostgresPartitionDay(label: "20231114") == day)
        #expect(PostgresPartitionDay(label: "20231131") == nil)
        let partition = PostgresPartition(table: .message, range: .day(day))
        #expect(partition.name == "message_d20231114")
        #expect(PostgresPartition(table: .message, name: "message_d20231114") == partition)
        #expect(PostgresPartition(table: .attempt, name: "attempt_upto_20231115")?.end == day.next)
        let inside = Identifier.make(.message, at: Self.t0)
        #expect(PostgresPartitionedTable.message.bound(day) <= inside && inside < PostgresPartitionedTable.message.bound(day.next))
        let nextMorning = Identifier.make(.message, at: Date(millisecondsSince1970: day.next.start))
        #expect(nextMorning >= PostgresPartitionedTable.message.bound(day.next))
        #expect(PostgresPartitionDay.days(from: day, through: day.adding(days: 2)).map(\.label) == ["20231114", "20231115", "20231116"])
        #expect(PostgresPartitionDay.days(from: day.next, through: day).isEmpty)
        #expect(PostgresPartitionDay(containing: day.start + PostgresPartitionDay.length - 1) == day)
    }
}
