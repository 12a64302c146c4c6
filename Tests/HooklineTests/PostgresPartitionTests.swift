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
    }
}
