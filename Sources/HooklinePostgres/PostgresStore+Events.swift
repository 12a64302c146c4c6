import Foundation
import HooklineCore
import PostgresNIO

extension PostgresSession {
    /// The advisory lock key of the event-order lock: appenders hold it shared, a reader's fence briefly exclusive
    /// (see `appendEvents` and `completeEventHorizon`).
    static let eventLockKey: Int64 = 0x486B_6C6E_4576_6E74

    /// How long the statement that takes the event-order lock and appends the events took (the lock's wait, the
    /// insert and one round trip; for a one-statement ingest or completion, that whole statement and its commit), on
    /// `/metrics`; created at first use.
    static let eventAppend = StoreWaitTimer(label: "hookline_store_event_append_seconds")

    /// Appends events inside the caller's transaction, so they commit with the change they report, and queues
    /// an `events` notification (and `also`, when given), in one statement. Call it last in a transaction: it holds
    /// the event-order lock, shared, until commit. A `relaxed` transaction commits without waiting for its WAL flush.
    ///
    /// Readers page with `events(after:)`, so they must never move past an id that is still to become visible.
    /// Identity values are handed out when rows are inserted, not when transactions commit: a transaction that took
    /// id 10 can commit after one that took id 11. Appenders take the event-order lock *shared* before drawing ids
    /// (the `lock` CTE, scanned by the insert's source below its `ORDER BY`; the identity values are drawn above the
    /// sort, so after the lock, and in `n` order), so appenders never wait for each other; a reader closes the log
    /// first (`completeEventHorizon`), and reads only up to the ids that were drawn before it did.
    func appendEvents(_ drafts: [EventDraft], also: StoreChange? = nil, relaxed: Bool = false) async throws {
        guard !drafts.isEmpty else { return }
        let appending = ContinuousClock.now
        try await execute(
            """
            WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(\(Self.eventLockKey)) AS taken),
            appended AS (
                INSERT INTO event (kind, app_id, message_id, endpoint_id, event_type, channels, latency_ms, details, created_at)
                SELECT x.kind, x.app_id, x.message_id, x.endpoint_id, x.event_type, x.channels, x.latency_ms, x.details, x.created_at
                FROM lock, \(events: PostgresEventRows(drafts))
                ORDER BY x.n
                RETURNING 1
            )
            SELECT pg_notify(\(PostgresChangeFeed.channel), c.change),
                CASE WHEN \(relaxed) THEN set_config('synchronous_commit', 'off', true) END
            FROM (SELECT count(*) FROM appended) AS done,
                unnest(ARRAY[\(StoreChange.eventsAppended.rawValue), \(also?.rawValue)]::text[]) AS c(change)
            WHERE c.change IS NOT NULL
            """)
        Self.eventAppend.record(ContinuousClock.now - appending)
    }
}

extension PostgresSession {
    /// The largest event id up to which the log is complete, or `nil` when that cannot be known within `wait` (`.zero`:
    /// no limit).
    ///
    /// The statement reads the identity sequence's last value, then takes the event-order lock exclusively: that
    /// waits for every appender holding it shared, and every transaction that drew an id up to that value took the
    /// lock before drawing it. The lock is released when the statement ends, and the caller's next statement (a new
    /// snapshot) sees every committed event up to the value, with no gap left to fill. While the fence waits, new
    /// appenders queue behind it; an appender that holds the lock for long (a stalled connection) makes the fence give
    /// up after `wait` (`lock_timeout`) rather than hold the queue.
    func completeEventHorizon(wait: Duration) async throws -> Int64? {
        let milliseconds = String(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)
        do {
            // `OFFSET 0` keeps each level a separate step, evaluated inner first: the timeout, then the sequence, then the lock.
            return try await value(
                """
                SELECT fenced.last FROM (
                    SELECT pg_advisory_xact_lock(\(Self.eventLockKey)) AS taken, drawn.last FROM (
                        SELECT set_config('lock_timeout', \(milliseconds), true) AS timeout,
                        COALESCE(pg_sequence_last_value(pg_get_serial_sequence('event', 'id')::regclass), 0) AS last OFFSET 0
                    ) AS drawn OFFSET 0
                ) AS fenced
                """, as: Int64.self)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == Self.lockNotAvailable {
            return nil
        }
    }

    /// The SQLSTATE of a lock wait that hit `lock_timeout`.
    static let lockNotAvailable = "55P03"
}

extension PostgresStore {
    /// Appends events in one transaction; ids increase in commit order.
    package func appendEvents(_ drafts: [EventDraft]) async throws {
        guard !drafts.isEmpty else { return }
        try await writing { session in try await session.appendEvents(drafts) }
    }

    /// Up to `limit` events after `id`, in id order, none past the log's complete horizon (`completeEventHorizon`).
    package func events(after id: Int64, limit: Int) async throws -> [StreamEvent] {
        try await reading { session in
            guard let horizon = try await session.completeEventHorizon(wait: eventFenceWait), horizon > id else { return [] }
            return try await session.rows("SELECT * FROM event WHERE id > \(id) AND id <= \(horizon) ORDER BY id LIMIT \(limit)")
                .map(StreamEvent.init(pg:))
        }
    }

    /// The oldest id kept and the largest id ever assigned (by the event id sequence).
    package func eventLogBounds() async throws -> EventLogBounds {
        try await reading { session in
            let row = try await session.first(
                """
                SELECT (SELECT MIN(id) FROM event) AS first,
                COALESCE(pg_sequence_last_value(pg_get_serial_sequence('event', 'id')::regclass), 0) AS last,
                COALESCE((SELECT value FROM checkpoint WHERE name = \(EventLogBounds.prunedThroughCheckpoint)), 0) AS pruned
                """)
            return EventLogBounds(
                firstId: try row?.get("first", as: Int64?.self), lastId: try row?.get("last", as: Int64.self) ?? 0,
                prunedThrough: try row?.get("pruned", as: Int64.self) ?? 0)
        }
    }

    /// Deletes up to `limit` events created before `cutoff`, found per kind through `event_kind_time` (a sweep reads only
    /// expired rows), and raises `EventLogBounds.prunedThroughCheckpoint` to the largest id deleted, in one statement;
    /// returns how many.
    package func deleteEvents(before cutoff: Date, limit: Int) async throws -> Int {
        try await writing { session in
            let row = try await session.first(
                """
                WITH pruned AS (
                    DELETE FROM event WHERE id IN (
                        SELECT id FROM event WHERE kind = ANY(\(EventKind.all.map(\.rawValue))) AND created_at < \(cutoff.millisecondsSince1970)
                        LIMIT \(limit))
                    RETURNING id),
                raised AS (
                    INSERT INTO checkpoint (name, value, updated_at)
                    SELECT \(EventLogBounds.prunedThroughCheckpoint), max(id), \(Date().millisecondsSince1970) FROM pruned HAVING count(*) > 0
                    ON CONFLICT (name) DO UPDATE SET value = GREATEST(checkpoint.value, excluded.value), updated_at = excluded.updated_at)
                SELECT count(*) AS pruned FROM pruned
                """)
            return try row?.get("pruned", as: Int.self) ?? 0
        }
    }

    /// The newest event of `kind`, if any.
    package func latestEvent(kind: EventKind) async throws -> StreamEvent? {
        try await reading { session in
            try await session.first("SELECT * FROM event WHERE kind = \(kind.rawValue) ORDER BY created_at DESC, id DESC LIMIT 1")
                .map(StreamEvent.init(pg:))
        }
    }

    /// Counts by kind, first-attempt and time-to-success latency percentiles (nearest rank) for events created at or after `since`.
    package func eventStatistics(since: Date) async throws -> EventStatistics {
        try await reading { session in
            let start = since.millisecondsSince1970
            var counts = Dictionary(uniqueKeysWithValues: EventKind.all.map { ($0, 0) })
            // `kind = ANY(…)` gives `event_kind_time` a range per kind: on `created_at` alone it would read the whole log.
            let kinds = EventKind.all.map(\.rawValue)
            for row in try await session.rows(
                "SELECT kind, COUNT(*) AS n FROM event WHERE kind = ANY(\(kinds)) AND created_at >= \(start) GROUP BY kind")
            {
                let kind = EventKind(rawValue: try row.get("kind"))
                if counts[kind] != nil { counts[kind] = try row.get("n", as: Int.self) }
            }
            guard (counts[.deliverySucceeded] ?? 0) > 0 else { return EventStatistics(counts: counts, firstAttemptMs: nil, timeToSuccessMs: nil) }
            // One grouped pass over the window's successes gives both latency sets (`EventStatistics(counts:successes:)`).
            let successes = try await session.rows(
                """
                SELECT latency_ms, COUNT(*) AS n, COUNT(*) FILTER (WHERE details::jsonb @> '{"firstAttempt": true}') AS first
                FROM event WHERE kind = \(EventKind.deliverySucceeded.rawValue) AND created_at >= \(start) AND latency_ms IS NOT NULL
                GROUP BY latency_ms
                """
            ).map { row in
                EventStatistics.LatencyGroup(
                    latencyMs: try row.get("latency_ms"), count: try row.get("n", as: Int.self), firstAttempts: try row.get("first", as: Int.self))
            }
            return EventStatistics(counts: counts, successes: successes)
        }
    }

    /// Up to `limit` events of the status window after `id` (from its first event when `nil`), in id order, none past
    /// the log's complete horizon (`completeEventHorizon`).
    package func tallyEntries(after id: Int64?, since: Date, limit: Int) async throws -> [EventTally.Entry] {
        try await reading { session in
            guard let horizon = try await session.completeEventHorizon(wait: eventFenceWait), horizon > (id ?? 0) else { return [] }
            let start = since.millisecondsSince1970
            var from = (id ?? 0) + 1
            if id == nil {
                // The window's first event of each kind is one seek of `event_kind_time`; the earliest of them starts the read.
                let kinds = EventKind.all.map(\.rawValue)
                let first = try await session.value(
                    """
                    SELECT MIN(f.id) FROM unnest(\(kinds)::text[]) AS k(kind),
                    LATERAL (SELECT id FROM event WHERE event.kind = k.kind AND created_at >= \(start) ORDER BY created_at LIMIT 1) AS f
                    """, as: Int64?.self)
                guard let first = first ?? nil else { return [] }
                from = first
            }
            return try await session.rows(
                """
                SELECT id, kind, created_at, latency_ms,
                kind = \(EventKind.deliverySucceeded.rawValue) AND details::jsonb @> '{"firstAttempt": true}' AS first FROM event
                WHERE id >= \(from) AND id <= \(horizon) AND created_at >= \(start) ORDER BY id LIMIT \(limit)
                """
            ).map { row in
                EventTally.Entry(
                    id: try row.get("id"), kind: EventKind(rawValue: try row.get("kind")), createdAtMs: try row.get("created_at"),
                    latencyMs: try row.get("latency_ms", as: Int64?.self), firstAttempt: try row.get("first", as: Bool.self))
            }
        }
    }

    /// Up to `limit` disabled endpoints, across applications.
    package func disabledEndpoints(limit: Int) async throws -> [Endpoint] {
        try await reading { session in
            try await session.rows("SELECT * FROM endpoint WHERE disabled ORDER BY id LIMIT \(limit)").map(Endpoint.init(pg:))
        }
    }
}
