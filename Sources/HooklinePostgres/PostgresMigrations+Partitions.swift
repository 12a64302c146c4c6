import Foundation
import HooklineCore

extension PostgresMigrations {
    /// v13: `message` and `attempt` partitioned by UTC day of their id, so retention drops whole days
    /// (`PostgresPartitionedTable`); an application's event ids move to `message_event_id`.
    ///
    /// A unique index of a partitioned table must contain its partition key, so `(app_id, event_id)` can no longer be
    /// unique on `message`: the small unpartitioned `message_event_id` keeps each event id's message, and retention
    /// deletes its rows with their messages. On a database that holds rows, each table is renamed and attached whole
    /// as the partition `<table>_upto_<day>` of every id before the day after its newest row: its indexes are attached
    /// as they are (none is rebuilt), and the only work proportional to the data is one scan of each table that
    /// checks the partition bound, plus copying the event ids. Day partitions follow from that day on (from today on
    /// an empty database, whose tables are replaced), and rows no partition covers land in `<table>_default`.
    static let partitionedHistory = Migration(
        version: 13, name: "v13-partitioned-history",
        statements: [
            // The index's name is the new table's; the table's primary key enforces the same rule.
            "DROP INDEX message_event_id",
            """
            CREATE TABLE message_event_id (
                app_id TEXT COLLATE "C" NOT NULL,
                event_id TEXT COLLATE "C" NOT NULL,
                message_id TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (app_id, event_id))
            """,
            "INSERT INTO message_event_id (app_id, event_id, message_id) SELECT app_id, event_id, id FROM message WHERE event_id IS NOT NULL",
            "CREATE INDEX message_event_id_message ON message_event_id(message_id)",
        ],
        step: partitionTables)

    /// The indexes of each partitioned table besides its primary key (as v1, v3 and v12 made them).
    static let partitionedIndexes: [PostgresPartitionedTable: [String]] = [
        .message: [
            "CREATE INDEX message_app ON message(app_id, id)",
            "CREATE INDEX message_unpurged ON message(created_at) WHERE payload_purged_at IS NULL",
        ],
        .attempt: [
            "CREATE INDEX attempt_message ON attempt(message_id, id)",
            "CREATE INDEX attempt_endpoint ON attempt(endpoint_id, id)",
            "CREATE INDEX attempt_app ON attempt(app_id, id)",
            "CREATE INDEX attempt_unpurged ON attempt(created_at) WHERE response <> ''",
        ],
    ]

    /// Replaces `message` and `attempt` by partitioned tables, attaching populated ones as their `upto` partition.
    @Sendable static func partitionTables(_ session: PostgresSession) async throws {
        let now = try await session.databaseNow()
        // The first day partition starts the day after the newest id of either table (ids sort by time), or today.
        var first = PostgresPartitionDay(containing: now)
        var populated: Set<PostgresPartitionedTable> = []
        for table in PostgresPartitionedTable.allCases {
            guard let newest = try await session.scalar("SELECT max(id) FROM \(table.rawValue)", as: String?.self) ?? nil else { continue }
            populated.insert(table)
            if first == PostgresPartitionDay(containing: now) { first = first.next }
            var steps = 0
            while newest >= table.bound(first) {
                first = first.next
                steps += 1
                guard steps < 36_600 else { throw HooklineError(.internalError, "\(table.rawValue) holds an id \(newest) past any day") }
            }
        }
        for table in PostgresPartitionedTable.allCases {
            let name = table.rawValue
            let legacy = name + "_unpartitioned"
            try await session.run("ALTER TABLE \(name) RENAME TO \(legacy)")
            // Free the index names for the partitioned table's; attaching adopts the old indexes under their new names.
            for index in try await session.strings("SELECT indexname FROM pg_indexes WHERE tablename = '\(legacy)'") {
                try await session.run("ALTER INDEX \(index) RENAME TO \(index)_upto")
            }
            try await session.run("CREATE TABLE \(name) (LIKE \(legacy) INCLUDING DEFAULTS) PARTITION BY RANGE (id)")
            try await session.run("ALTER TABLE \(name) ADD CONSTRAINT \(name)_pkey PRIMARY KEY (id)")
            for statement in partitionedIndexes[table] ?? [] { try await session.run(statement) }
            try await session.run("CREATE TABLE \(table.defaultPartition) PARTITION OF \(name) DEFAULT")
            if populated.contains(table) {
                let upTo = PostgresPartition(table: table, range: .upTo(first))
                try await session.run("ALTER TABLE \(legacy) RENAME TO \(upTo.name)")
                try await session.run("ALTER TABLE \(name) ATTACH PARTITION \(upTo.name) \(upTo.bounds)")
            } else {
                try await session.run("DROP TABLE \(legacy)")
            }
        }
        let last = PostgresPartitionDay(containing: now).adding(days: PostgresPartitionMaintenance.daysAhead)
        // The migration created the tables and holds them: no lock timeout, which would outlive this step in the transaction.
        _ = try await session.createPartitions(PostgresPartitionDay.days(from: first, through: last), bounded: false)
    }
}
