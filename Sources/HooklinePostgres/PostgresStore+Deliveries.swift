import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Leases up to `request.limit` due deliveries: fair across endpoints, then by effective due time (priority with
    /// aging), an ordered endpoint's head only (see `PostgresClaimPlan`).
    ///
    /// The picks are locked with `FOR UPDATE SKIP LOCKED` and re-checked as due, so nodes claim at the same time
    /// without waiting on each other or leasing a row twice. The claim commits without waiting for its WAL flush
    /// (`synchronous_commit = off`): a claim lost in a crash only leaves the row claimable again, like a lapsed lease.
    package func claimDeliveries(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        guard request.limit > 0 else { return [] }
        let now = request.now.millisecondsSince1970
        return try await writing { session in
            var plan = PostgresClaimPlan(session, request)
            let order = try await plan.select().map(\.id)
            guard !order.isEmpty else { return [] }
            let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let rows = try await session.rows(
                """
                UPDATE delivery SET state = 1, next_attempt_at = \(request.leaseUntil.millisecondsSince1970),
                    claim_token = claim_token + 1, updated_at = \(now)
                WHERE id IN (
                    SELECT id FROM delivery WHERE id = ANY(\(order)::int8[]) AND state IN (0, 1) AND next_attempt_at <= \(now)
                    FOR UPDATE SKIP LOCKED)
                RETURNING *, set_config('synchronous_commit', 'off', true) AS relaxed
                """)
            guard !rows.isEmpty else { return [] }
            var leased: [(delivery: Delivery, token: Int64)] = []
            for row in rows { leased.append((try Delivery(pg: row), try row.get("claim_token"))) }
            leased.sort { position[$0.delivery.id, default: 0] < position[$1.delivery.id, default: 0] }
            let messageIds = Array(Set(leased.map(\.delivery.messageId)))
            let endpointIds = Array(Set(leased.map(\.delivery.endpointId)))
            var messages: [String: Message] = [:]
            for row in try await session.rows("SELECT * FROM message WHERE id = ANY(\(messageIds)::text[])") {
                let message = try Message(pg: row)
                messages[message.id] = message
            }
            var endpoints: [String: Endpoint] = [:]
            var throttles: [String: Int] = [:]
            // Each endpoint with its application's throttle, in one round trip.
            for row in try await session.rows(
                """
                SELECT endpoint.*, application.throttle_rate AS application_throttle_rate
                FROM endpoint JOIN application ON application.id = endpoint.app_id WHERE endpoint.id = ANY(\(endpointIds)::text[])
                """)
            {
                let endpoint = try Endpoint(pg: row)
                endpoints[endpoint.id] = endpoint
                if let rate = try row.get("application_throttle_rate", as: Int?.self) { throttles[endpoint.appId] = rate }
            }
            return leased.compactMap { item in
                guard let message = messages[item.delivery.messageId] else { return nil }
                var claimed = ClaimedDelivery(
                    delivery: item.delivery, claimToken: item.token, message: message, endpoint: endpoints[item.delivery.endpointId])
                claimed.applicationThrottleRate = throttles[item.delivery.appId]
                return claimed
            }
        }
    }

    /// When the earliest active delivery becomes due, or `nil` when none is active.
    package func nextDueTime() async throws -> Date? {
        try await reading { session in
            try await session.value("SELECT MIN(next_attempt_at) FROM delivery_queue", as: Int64?.self)?
                .map(Date.init(millisecondsSince1970:))
        }
    }

    /// The earliest due time after `now` of an active delivery.
    package func nextDueTime(after now: Date) async throws -> Date? {
        try await reading { session in
            try await session.value(
                "SELECT MIN(next_attempt_at) FROM delivery_queue WHERE next_attempt_at > \(now.millisecondsSince1970)",
                as: Int64?.self)?
                .map(Date.init(millisecondsSince1970:))
        }
    }

    /// The delivery rows of a message.
    package func deliveries(messageId: String) async throws -> [Delivery] {
        try await reading { session in
            try await session.rows("SELECT * FROM delivery WHERE message_id = \(messageId) ORDER BY id").map(Delivery.init(pg:))
        }
    }

    /// How many active deliveries are due, scheduled and in flight at `now`.
    package func queueDepth(now: Date) async throws -> QueueDepth {
        let now = now.millisecondsSince1970
        return try await reading { session in
            let row = try await session.first(
                """
                SELECT COUNT(*) FILTER (WHERE state = 0 AND next_attempt_at <= \(now)) AS due,
                COUNT(*) FILTER (WHERE state = 0 AND next_attempt_at > \(now)) AS scheduled,
                COUNT(*) FILTER (WHERE state = 1) AS in_flight
                FROM delivery_queue
                """)
            return QueueDepth(
                due: try row?.get("due", as: Int.self) ?? 0, scheduled: try row?.get("scheduled", as: Int.self) ?? 0,
                inFlight: try row?.get("in_flight", as: Int.self) ?? 0)
        }
    }

    /// A page of attempts, newest first.
    package func attempts(_ query: AttemptQuery) async throws -> Page<Attempt> {
        var list = PostgresListQuery(from: "attempt")
        // The narrowest of the three is read from its index (`attempt_message`, `attempt_endpoint`, `attempt_app`).
        if let messageId = query.messageId {
            try list.only("message_id", equals: messageId)
            try list.filter("app_id = ?", query.appId)
            // No attempt precedes its message: the days before the message's (less a day for clocks apart) are pruned.
            if let sent = Identifier.time(of: messageId, kind: .message) {
                try list.filter("id >= ?", Identifier.floor(.attempt, at: sent.addingTimeInterval(-86_400)))
            }
            if let endpointId = query.endpointId { try list.filter("endpoint_id = ?", endpointId) }
        } else if let endpointId = query.endpointId {
            try list.only("endpoint_id", equals: endpointId)
            try list.filter("app_id = ?", query.appId)
        } else {
            try list.only("app_id", equals: query.appId)
        }
        if let status = query.status {
            try list.filter("status = ?", status.rawValue)
            if status == .fail { try list.filter(AttemptStatus.failedPredicate) }
        }
        if let codeClass = query.statusCodeClass {
            try list.filter("status_code >= ? AND status_code < ?", codeClass * 100, codeClass * 100 + 100)
        }
        try list.filter(query.filter, messageColumn: "message_id")
        return try await reading { [list] session in
            try await list.page(query.page, in: session, id: \.id, decode: Attempt.init(pg:))
        }
    }
}

extension PostgresStore {
    /// Persists a completion plan in one transaction and few round trips: the inspected endpoints' standing
    /// (locked, only when the plan has a 410 or a possible auto-disable), ONE statement for the attempts, the
    /// failure streaks and the guarded moves, then what `plan.resolve` decides — disables, a `deliveries`
    /// notification when a retry became due, and the events (appended last, under the event-order lock, in the
    /// same statement as the notifications). It commits without waiting for its WAL flush.
    ///
    /// A plan that inspects no endpoint (no 410, no possible auto-disable: nearly every batch) is first tried as one
    /// statement that commits by itself, resolved as if every guarded move applies; if one does not (a stale claim
    /// token), that statement fails, having written nothing, and the plan runs as above.
    package func completeDeliveries(_ plan: CompletionPlan) async throws {
        guard !plan.isEmpty else { return }
        if plan.inspectedEndpoints.isEmpty {
            let atOnce = PostgresSession.AtOnce(plan.resolve(moved: Set(plan.moves.indices), standings: [:]), moves: plan.moves.count)
            do {
                let started = ContinuousClock.now
                try await committing { session in _ = try await session.applyRows(of: plan, atOnce: atOnce) }
                if atOnce.appends { PostgresSession.eventAppend.record(ContinuousClock.now - started) }
                return
            } catch let error as HooklineError where PostgresSession.AtOnce.isMismatch(error) {
                // A move did not apply: record the batch with the moves that do.
            }
        }
        try await writing { session in
            let standings = try await session.endpointStandings(plan.inspectedEndpoints)
            let moved = try await session.applyRows(of: plan)
            let resolution = plan.resolve(moved: moved, standings: standings)
            try await session.disableEndpoints(resolution.disables)
            // Recorded outcomes commit without waiting for their WAL flush (as claims do, and as SQLite's relaxed
            // writes): one lost in a crash only makes its delivery run again, at least once, never lost.
            if resolution.events.isEmpty {
                if resolution.schedulesRetry { try await session.notify(.deliveriesDue) }
                try await session.execute("SET LOCAL synchronous_commit = off")
            } else {
                try await session.appendEvents(resolution.events, also: resolution.schedulesRetry ? .deliveriesDue : nil, relaxed: true)
            }
        }
    }
}

extension PostgresSession {
    /// The standing of the endpoints that still exist among `endpointIds`, locked until commit so no other
    /// transaction changes their streak or disables them meanwhile. Read before this transaction changes them.
    fileprivate func endpointStandings(_ endpointIds: [String]) async throws -> [String: EndpointStanding] {
        guard !endpointIds.isEmpty else { return [:] }
        var standings: [String: EndpointStanding] = [:]
        for row in try await rows(
            "SELECT id, failing_since, disabled FROM endpoint WHERE id = ANY(\(endpointIds)::text[]) ORDER BY id FOR UPDATE")
        {
            standings[try row.get("id")] = EndpointStanding(failingSince: try row.optionalDate("failing_since"), disabled: try row.get("disabled"))
        }
        return standings
    }

    /// A completion resolved before its statement ran, as if every guarded move applies: the statement appends its
    /// events, queues its notifications and commits without waiting for its flush, or fails if a move did not apply.
    fileprivate struct AtOnce {
        /// The SQLSTATE the statement fails with when fewer moves applied than resolved (division by zero).
        static let mismatch = "22012"
        /// The resolution's events.
        var events = PostgresEventRows()
        /// Whether there are events to append (and so the event-order lock to take).
        var appends = false
        /// Whether a retry became due (a `deliveriesDue` notification).
        var schedulesRetry = false
        /// How many moves must apply.
        var moves = 0
        /// Whether the statement completes the plan at once.
        var enabled = false

        /// Off: the statement only writes the rows.
        init() {}

        /// The statement completes `resolution` at once if all `moves` apply.
        init(_ resolution: CompletionResolution, moves: Int) {
            events = PostgresEventRows(resolution.events)
            appends = !resolution.events.isEmpty
            schedulesRetry = resolution.schedulesRetry
            self.moves = moves
            enabled = true
        }

        /// Whether `error` is the statement's failure for a move that did not apply.
        static func isMismatch(_ error: HooklineError) -> Bool {
            (error.cause as? PSQLError)?.serverInfo?[.sqlState] == mismatch
        }
    }

    /// Inserts the plan's attempts (an id already stored means the batch is being recorded again: the first
    /// is kept), applies its failure-streak changes (writing only rows that change) and its guarded moves, in
    /// one statement; returns the indices of the moves that changed their row. With `atOnce` enabled the same
    /// statement also completes the plan (see `AtOnce`), appending its events under the event-order lock.
    fileprivate func applyRows(of plan: CompletionPlan, atOnce: AtOnce = AtOnce()) async throws -> Set<Int> {
        let applied = try await rows(prepared: CompletionStatement.self, Self.completionQuery(plan, atOnce: atOnce))
        return Set(try applied.compactMap { row in try row.decode((Int64?, String?).self).0.map { Int($0) - 1 } })
    }

    /// The completion statement, prepared on each connection like the ingest's: parsing and planning it anew cost
    /// PostgreSQL about as much as running it.
    ///
    /// Its plan may be a generic one made while `endpoint` and `delivery` were small. So their rows are matched by
    /// ranges (`id BETWEEN x AND x`) rather than by `=`: a range can be neither hashed nor merged, so the only plan
    /// that does not scan the table once per row is the primary key's index lookup, whatever size the table had when
    /// the plan was made (with `=`, a generic plan made on an empty `delivery` hash-joined a sequential scan of it,
    /// and kept doing so as it grew, until the next analyze). `PostgresPreparedPlanTests` checks the plan.
    enum CompletionStatement: PostgresPreparedKind {
        /// The statement's name on each connection.
        static let name = "hookline_completion"
        /// The text of every completion statement.
        static let sql = PostgresSession.completionQuery(CompletionPlan([]), atOnce: AtOnce()).sql
    }

    /// The completion statement for `plan` (see `applyRows`).
    fileprivate static func completionQuery(_ plan: CompletionPlan, atOnce: AtOnce) -> PostgresQuery {
        let attempts = plan.attempts
        let streaks = plan.streaks
        let streakEffects: [Int64] = streaks.map {
            switch $0.effect {
            case .clear: 0
            case .startIfUnset: 1
            case .set: 2
            }
        }
        let streakTimes: [Int64] = streaks.map {
            switch $0.effect {
            case .clear: 0
            case .startIfUnset(let time), .set(let time): time.millisecondsSince1970
            }
        }
        let moves = plan.moves
        return """
            WITH new_attempts AS (
                INSERT INTO attempt (id, message_id, endpoint_id, app_id, url, status_code, response, duration_ms, status,
                trigger_type, created_at)
                SELECT * FROM UNNEST(\(attempts.map(\.id))::text[], \(attempts.map(\.messageId))::text[],
                    \(attempts.map(\.endpointId))::text[], \(attempts.map(\.appId))::text[], \(attempts.map(\.url))::text[],
                    \(attempts.map(\.responseStatusCode))::int8[], \(attempts.map(\.response.withoutNUL))::text[],
                    \(attempts.map(\.durationMs))::int8[], \(attempts.map(\.status.rawValue))::int8[],
                    \(attempts.map(\.trigger.rawValue))::int8[], \(attempts.map(\.timestamp.millisecondsSince1970))::int8[])
                ON CONFLICT (id) DO NOTHING
            ), streaks AS (
                UPDATE endpoint e SET failing_since = CASE WHEN s.effect = 0 THEN NULL ELSE s.at END
                FROM UNNEST(\(streaks.map(\.endpointId))::text[], \(streakEffects)::int8[], \(streakTimes)::int8[]) AS s(id, effect, at)
                WHERE e.id BETWEEN s.id AND s.id AND CASE s.effect
                    WHEN 0 THEN e.failing_since IS NOT NULL
                    WHEN 1 THEN e.failing_since IS NULL
                    ELSE e.failing_since IS DISTINCT FROM s.at END
            ), moved AS (
                UPDATE delivery d SET state = m.state, attempts = d.attempts + m.attempted, next_attempt_at = m.next_at,
                updated_at = m.updated_at, manual = CASE WHEN m.attempted = 1 THEN false ELSE d.manual END
                FROM UNNEST(\(moves.map(\.deliveryId))::int8[], \(moves.map(\.claimToken))::int8[],
                    \(moves.map { Int64($0.state.rawValue) })::int8[], \(moves.map { Int64($0.attempted ? 1 : 0) })::int8[],
                    \(moves.map(\.nextAttemptAt.millisecondsSince1970))::int8[], \(moves.map(\.updatedAt.millisecondsSince1970))::int8[])
                    WITH ORDINALITY AS m(id, token, state, attempted, next_at, updated_at, n)
                WHERE d.id BETWEEN m.id AND m.id AND d.claim_token BETWEEN m.token AND m.token
                RETURNING m.n
            ),
            checked AS (
                SELECT 1 / (CASE WHEN (SELECT count(*) FROM moved) = \(atOnce.moves) THEN 1 ELSE 0 END) AS ok WHERE \(atOnce.enabled)
            ),
            lock AS MATERIALIZED (
                SELECT pg_advisory_xact_lock_shared(\(Self.eventLockKey)) AS taken FROM checked WHERE \(atOnce.appends)
            ),
            appended AS (
                INSERT INTO event (kind, app_id, message_id, endpoint_id, event_type, channels, latency_ms, details, created_at)
                SELECT x.kind, x.app_id, x.message_id, x.endpoint_id, x.event_type, x.channels, x.latency_ms, x.details, x.created_at
                FROM lock, \(events: atOnce.events)
                ORDER BY x.n
                RETURNING 1
            )
            SELECT n, NULL AS done FROM moved
            UNION ALL
            SELECT NULL, pg_notify(\(PostgresChangeFeed.channel), c.change)::text
            FROM checked, (SELECT count(*) AS appended FROM appended) AS a,
                unnest(ARRAY[CASE WHEN a.appended > 0 THEN \(StoreChange.eventsAppended.rawValue) END,
                    CASE WHEN \(atOnce.schedulesRetry) THEN \(StoreChange.deliveriesDue.rawValue) END]::text[]) AS c(change)
            WHERE c.change IS NOT NULL
            UNION ALL
            SELECT NULL, set_config('synchronous_commit', 'off', true) FROM checked
            """
    }

    /// Disables endpoints as the plan resolved (each is enabled and locked, as read in this transaction).
    fileprivate func disableEndpoints(_ disables: [CompletionResolution.Disable]) async throws {
        guard !disables.isEmpty else { return }
        try await execute(
            """
            UPDATE endpoint e SET disabled = true, updated_at = x.at
            FROM UNNEST(\(disables.map(\.endpointId))::text[], \(disables.map(\.at.millisecondsSince1970))::int8[]) AS x(id, at)
            WHERE e.id = x.id AND NOT e.disabled
            """)
    }
}
