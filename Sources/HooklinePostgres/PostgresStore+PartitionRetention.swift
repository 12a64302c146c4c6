import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Drops the partitions of `message` and `attempt` that end at or before `cutoff`, oldest first, keeping what
    /// retention must keep; returns how many messages went.
    ///
    /// For each such day (or `upto` partition): if any of its messages was created at or after `cutoff` (its id and
    /// creation time disagree), it and every later day are left to row-by-row purging. Otherwise the finished
    /// delivery rows and event ids of its messages that have no active delivery are deleted in batches (an index
    /// range on the message id); then one short transaction detaches both partitions, copies back the messages that
    /// have an active delivery and the attempts of every message still stored (they land in the default partition)
    /// and drops the detached tables; a last transaction deletes what a delivery finished meanwhile left behind. Only
    /// the drop locks the tables, and it gives up after `PostgresPartitionMaintenance.lockTimeout`.
    package func dropExpiredPartitions(before cutoff: Date) async throws -> Int {
        let limit = cutoff.millisecondsSince1970
        let (messages, attempts) = try await reading { session in
            (try await session.partitions(of: .message), try await session.partitions(of: .attempt))
        }
        let ends = Set((messages + attempts).compactMap(\.end)).filter { $0.start <= limit }.sorted()
        var dropped = 0
        for end in ends {
            let message = messages.first { $0.end == end }
            let attempt = attempts.first { $0.end == end }
            let low = message?.lowerId ?? "", high = PostgresPartitionedTable.message.bound(end)
            var count = 0
            if let message {
                let query = PostgresQuery(
                    unsafeSQL: "SELECT count(*), count(*) FILTER (WHERE created_at >= $1) FROM \(message.name)", binds: try Self.binds(limit))
                let counts: [Int64] = try await reading { session in
                    guard let row = try await session.connection.query(query, logger: logger).collect().first else { return [0, 0] }
                    let (rows, young) = try row.decode((Int64, Int64).self)
                    return [rows, young]
                }
                let (rows, young) = (counts[0], counts[1])
                guard young == 0 else {
                    logger.warning(
                        "a partition past retention holds messages created later; left to row-by-row purging",
                        metadata: ["partition": "\(message.name)", "messages": "\(young)"])
                    break
                }
                count = Int(rows)
                try await deleteLeftovers(low: low, high: high, laterAttempts: PostgresPartitionedTable.attempt.bound(end))
            }
            let clock = ContinuousClock()
            let locked = clock.now
            let kept = try await writing { session in
                try await session.dropPartitions(message: message, attempt: attempt, low: low, high: high)
            }
            let unlocked = clock.now
            try await writing { session in try await session.deleteOrphans(low: low, high: high) }
            dropped += max(0, count - kept)
            logger.info(
                "retention dropped a partition",
                metadata: [
                    "end": "\(end.label)", "messages": "\(count - kept)", "kept": "\(kept)",
                    "drop_ms": "\((unlocked - locked) / .milliseconds(1))",
                ])
        }
        return dropped
    }

    /// Deletes, in batches, the finished delivery rows, the event ids and the attempts made on later days (ids from
    /// `laterAttempts` on: other partitions) of messages with ids in `[low, high)` that have no active delivery.
    private func deleteLeftovers(low: String, high: String, laterAttempts: String) async throws {
        let finished = "NOT EXISTS (SELECT 1 FROM delivery a WHERE a.message_id = x.message_id AND a.state IN (0, 1))"
        for statement in [
            """
            DELETE FROM delivery WHERE id IN (
                SELECT x.id FROM delivery x WHERE x.message_id >= $1 AND x.message_id < $2 AND x.state NOT IN (0, 1) AND \(finished)
                LIMIT $3)
            AND state NOT IN (0, 1)
            RETURNING 1
            """,
            """
            DELETE FROM message_event_id WHERE (app_id, event_id) IN (
                SELECT x.app_id, x.event_id FROM message_event_id x WHERE x.message_id >= $1 AND x.message_id < $2 AND \(finished)
                LIMIT $3)
            RETURNING 1
            """,
            """
            DELETE FROM attempt WHERE id IN (
                SELECT x.id FROM attempt x WHERE x.message_id >= $1 AND x.message_id < $2 AND x.id >= $4 AND \(finished) LIMIT $3)
            RETURNING 1
            """,
        ] {
            while true {
                let deleted = try await writing { session in
                    let binds =
                        statement.contains("$4")
                        ? try Self.binds(low, high, PostgresPartitionMaintenance.batchSize, laterAttempts)
                        : try Self.binds(low, high, PostgresPartitionMaintenance.batchSize)
                    return try await session.execute(PostgresQuery(unsafeSQL: statement, binds: binds))
                }
                if deleted < PostgresPartitionMaintenance.batchSize { break }
            }
        }
    }
}

extension PostgresSession {
    /// Detaches and drops one day's partitions, copying back what must stay; returns how many messages it kept.
    func dropPartitions(message: PostgresPartition?, attempt: PostgresPartition?, low: String, high: String) async throws -> Int {
        try await run("SELECT pg_advisory_xact_lock(\(PostgresPartitionMaintenance.lockKey))")
        try await run("SET LOCAL lock_timeout = '\(PostgresPartitionMaintenance.lockTimeout)'")
        // One lock order for both tables (attempt, then message), as deleting an application takes them.
        try await run("LOCK TABLE attempt, message IN ACCESS EXCLUSIVE MODE")
        // Active rows are found through a partial index of active deliveries (the backlog): `|| ''` keeps the planner off
        // `delivery_message`, whose range still holds an entry for every delivery row the batches deleted until vacuum.
        let activeRange = "message_id || '' >= '\(low)' AND message_id || '' < '\(high)'"
        var kept = 0
        if let message {
            try await run("ALTER TABLE message DETACH PARTITION \(message.name)")
            kept =
                try await scalar(
                    """
                    WITH kept AS (
                        INSERT INTO message SELECT * FROM \(message.name)
                        WHERE id IN (SELECT message_id FROM delivery WHERE state IN (0, 1) AND \(activeRange))
                        RETURNING 1)
                    SELECT count(*) FROM kept
                    """, as: Int64.self
                ).map(Int.init) ?? 0
        }
        if let attempt {
            try await run("ALTER TABLE attempt DETACH PARTITION \(attempt.name)")
            // Older days are gone, so every message an attempt of this day may still belong to is in the default partition.
            try await run(
                """
                INSERT INTO attempt SELECT a.* FROM \(PostgresPartitionedTable.message.defaultPartition) m
                JOIN \(attempt.name) a ON a.message_id = m.id
                """)
        }
        for partition in [message, attempt].compactMap(\.self) { try await run("DROP TABLE \(partition.name)") }
        return kept
    }

    /// Deletes what messages with ids in `[low, high)` that are gone left behind: rows of messages whose last active
    /// delivery finished after the batches looked (few; the range is read through its indexes).
    func deleteOrphans(low: String, high: String) async throws {
        let range = "message_id >= '\(low)' AND message_id < '\(high)'"
        let gone = "NOT EXISTS (SELECT 1 FROM message m WHERE m.id = x.message_id)"
        try await run("DELETE FROM delivery x WHERE \(range) AND \(gone)")
        try await run("DELETE FROM message_event_id x WHERE \(range) AND \(gone)")
        try await run("DELETE FROM attempt x WHERE \(range) AND \(gone)")
    }
}
