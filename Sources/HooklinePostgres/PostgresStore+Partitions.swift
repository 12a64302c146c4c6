import Foundation
import HooklineCore
import PostgresNIO

/// How far ahead day partitions are made, and how long partition changes may wait for their table locks.
enum PostgresPartitionMaintenance {
    /// Day partitions exist from today through this many days ahead (made at every start and retention sweep).
    static let daysAhead = 3
    /// The advisory lock key that serializes partition changes across nodes.
    static let lockKey: Int64 = 0x486B_6C6E_5061_7274
    /// Creating or detaching a partition locks its table exclusively: give up after this instead of queueing every
    /// request behind a long-running statement (the next sweep tries again).
    static let lockTimeout = "5s"
    /// Delivery and event-id rows deleted per transaction before a partition is dropped.
    static let batchSize = 5_000
}

extension PostgresSession {
    /// Runs one statement made of trusted text (table names and id bounds the store computed), without tracing it.
    func run(_ sql: String) async throws {
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
    }

    /// The first column of the first row of `sql`, untraced.
    func scalar<T: PostgresDecodable>(_ sql: String, as type: T.Type = T.self) async throws -> T? {
        guard let row = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().first else { return nil }
        return try row.decode(T.self)
    }

    /// The first column of every row of `sql`, untraced.
    func strings(_ sql: String) async throws -> [String] {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().map { try $0.decode(String.self) }
    }

    /// The database server's clock, in milliseconds since 1970.
    func databaseNow() async throws -> Int64 {
        try await scalar("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint", as: Int64.self) ?? 0
    }

    /// The partitions of `table`, from the catalog.
    func partitions(of table: PostgresPartitionedTable) async throws -> [PostgresPartition] {
        try await strings(
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '\(table.rawValue)'::regclass"
        ).compactMap { PostgresPartition(table: table, name: $0) }
    }

    /// Creates the day partitions of both tables for `now`'s day (the database's clock when `nil`) and the days ahead.
    func createPartitionsAhead(now: Date?) async throws {
        let milliseconds: Int64
        if let now { milliseconds = now.millisecondsSince1970 } else { milliseconds = try await databaseNow() }
        let today = PostgresPartitionDay(containing: milliseconds)
        _ = try await createPartitions(PostgresPartitionDay.days(from: today, through: today.adding(days: PostgresPartitionMaintenance.daysAhead)))
    }

    /// Creates the missing day partitions of `days` for both tables; returns how many it made. Rows of such a day
    /// that the default partition holds move into the new partition. Days an `upto` partition covers are skipped.
    /// `bounded` gives up on locks after `PostgresPartitionMaintenance.lockTimeout` (for the rest of the transaction).
    func createPartitions(_ days: [PostgresPartitionDay], bounded: Bool = true) async throws -> Int {
        guard !days.isEmpty else { return 0 }
        try await run("SELECT pg_advisory_xact_lock(\(PostgresPartitionMaintenance.lockKey))")
        if bounded { try await run("SET LOCAL lock_timeout = '\(PostgresPartitionMaintenance.lockTimeout)'") }
        var created = 0
        for table in PostgresPartitionedTable.allCases {
            let existing = try await partitions(of: table)
            let covered = existing.compactMap { partition -> PostgresPartitionDay? in
                if case .upTo(let day) = partition.range { return day }
                return nil
            }.max()
            let names = Set(existing.map(\.name))
            for day in days where covered.map({ day >= $0 }) ?? true {
                let partition = PostgresPartition(table: table, range: .day(day))
                guard !names.contains(partition.name) else { continue }
                let strays = "FROM \(table.defaultPartition) WHERE id >= '\(table.bound(day))' AND id < '\(table.bound(day.next))'"
                let moving = try await scalar("SELECT EXISTS (SELECT 1 \(strays))", as: Bool.self) ?? false
                if moving {
                    try await run("CREATE TEMP TABLE hookline_moved ON COMMIT DROP AS SELECT * \(strays)")
                    try await run("DELETE \(strays)")
                }
                try await run("CREATE TABLE \(partition.name) PARTITION OF \(table.rawValue) \(partition.bounds)")
                if moving {
                    try await run("INSERT INTO \(table.rawValue) SELECT * FROM hookline_moved")
                    try await run("DROP TABLE hookline_moved")
                }
                created += 1
            }
        }
        return created
    }
}

extension PostgresStore {
    /// Creates the day partitions of `message` and `attempt` from `now`'s day through the days ahead that are missing.
    package func createPartitionsAhead(now: Date) async throws {
        try await writing { session in try await session.createPartitionsAhead(now: now) }
    }

    /// Creates the day partitions of `message` and `attempt` for every day from `start` through `end` that has none
    /// (seeding history, tests); returns how many it made.
    package func createPartitions(from start: Date, through end: Date) async throws -> Int {
        try await writing { session in
            try await session.createPartitions(
                PostgresPartitionDay.days(from: PostgresPartitionDay(containing: start), through: PostgresPartitionDay(containing: end)))
        }
    }

    /// The names of the partitions of `message` and `attempt`, sorted.
    package func partitionNames() async throws -> [String] {
        try await reading { session in
            var names: [String] = []
            for table in PostgresPartitionedTable.allCases { names += try await session.partitions(of: table).map(\.name) }
            return names.sorted()
        }
    }
}
