import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Leases up to `request.limit` due deliveries: fair across endpoints, then by effective due time
    /// (priority with aging), an ordered endpoint's head only (see `SQLiteClaimPlan`).
    ///
    /// A claim is committed without its own fsync (`synchronous=NORMAL`): a claim lost to a power cut
    /// only leaves the row pending, and the next fsync'd commit persists it anyway.
    /// A claim first looks on a reader connection whether anything is due at all, so the engine's wake-ups
    /// after commits whose rows were all leased at commit never take the writer.
    package func claimDeliveries(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        let anythingDue = try await pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: SQLiteDueReads.anyDueSQL),
                arguments: [request.now.millisecondsSince1970]) ?? false
        }
        guard anythingDue else { return [] }
        return try await writeRelaxed { db in try claim(db, request) }
    }

    private func claim(_ db: Database, _ request: ClaimRequest) throws -> [ClaimedDelivery] {
        let now = request.now.millisecondsSince1970
        var plan = SQLiteClaimPlan(db, request)
        let order = try plan.select().map(\.id)
        guard !order.isEmpty else { return [] }
        // One cached statement for any batch size: the ids travel as one JSON array.
        let ids = "[" + order.map(String.init).joined(separator: ",") + "]"
        var claimed: [(delivery: Delivery, token: Int64)] = []
        let cursor = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    UPDATE delivery SET state = 1, next_attempt_at = ?, claim_token = claim_token + 1, updated_at = ?
                    WHERE id IN (SELECT value FROM json_each(?)) RETURNING \(Delivery.columns), claim_token
                    """),
            arguments: [request.leaseUntil.millisecondsSince1970, now, ids])
        while let row = try cursor.next() { claimed.append((Delivery(row: row), row[9])) }
        guard !claimed.isEmpty else { return [] }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let deliveries = claimed.sorted { position[$0.delivery.id, default: 0] < position[$1.delivery.id, default: 0] }
        let messages = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT \(Message.columns) FROM message WHERE id IN (SELECT value FROM json_each(?))"),
            arguments: [JSONValue.compactText(Array(Set(deliveries.map(\.delivery.messageId))))]
        ).reduce(into: [String: Message]()) { messages, row in messages[row[0]] = Message(row: row) }
        // Endpoints and throttles come from the resource cache (filled on a miss): it is dropped on every commit
        // that touches them, and this transaction, on the one writer, sees every earlier commit.
        var endpoints: [String: Endpoint] = [:]
        var throttles: [String: Int?] = [:]
        for appId in Set(deliveries.map(\.0.appId)) {
            for endpoint in try cachedEndpoints(db, appId: appId) { endpoints[endpoint.id] = endpoint }
            throttles[appId] = try cachedApplication(db, id: appId)?.throttleRate
        }
        return deliveries.compactMap { delivery, token in
            guard let message = messages[delivery.messageId] else { return nil }
            var claimed = ClaimedDelivery(delivery: delivery, claimToken: token, message: message, endpoint: endpoints[delivery.endpointId])
            claimed.applicationThrottleRate = throttles[delivery.appId] ?? nil
            return claimed
        }
    }

    /// When the earliest active delivery becomes due.
    package func nextDueTime() async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(db.cachedStatement(sql: SQLiteDueReads.earliestSQL))
                .map(Date.init(millisecondsSince1970:))
        }
    }

    /// The delivery rows of a message.
    package func deliveries(messageId: String) async throws -> [Delivery] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Delivery.columns) FROM delivery WHERE message_id = ? ORDER BY id", arguments: [messageId])
                .map(Delivery.init(row:))
        }
    }

    /// A page of attempts, newest first.
    package func attempts(_ query: AttemptQuery) async throws -> Page<Attempt> {
        var list = SQLiteListQuery(from: "attempt")
        list.filter("app_id = ?", [query.appId])
        if let messageId = query.messageId { list.filter("message_id = ?", [messageId]) }
        if let endpointId = query.endpointId { list.filter("endpoint_id = ?", [endpointId]) }
        if let status = query.status {
            list.filter("status = ?", [status.rawValue])
            if status == .fail { list.filter(AttemptStatus.failedPredicate, []) }
        }
        if let codeClass = query.statusCodeClass {
            list.filter("status_code >= ? AND status_code < ?", [codeClass * 100, codeClass * 100 + 100])
        }
        list.filter(query.filter, messageColumn: "message_id")
        return try await pool.read { [list] db in
            try list.page(query.page, in: db, id: \.id, decode: Attempt.init(row:))
        }
    }

    private func cachedEndpoints(_ db: Database, appId: String) throws -> [Endpoint] {
        if let cached = cache.endpoints(appId: appId) { return cached }
        let generation = cache.generation
        let endpoints = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM endpoint WHERE app_id = ? ORDER BY id"), arguments: [appId])
            .map(Endpoint.init(row:))
        cache.store(endpoints, appId: appId, generation: generation)
        return endpoints
    }

    private func cachedApplication(_ db: Database, id: String) throws -> Application? {
        if let cached = cache.application(id) { return cached }
        let generation = cache.generation
        let application = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM application WHERE id = ?"), arguments: [id])
            .map(Application.init(row:))
        if let application { cache.store(application, generation: generation) }
        return application
    }
}

extension SQLiteStore {
    /// The earliest due time after `now` of an active delivery (one seek per priority level of `delivery_lane`).
    package func nextDueTime(after now: Date) async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: SQLiteDueReads.earliestAfterSQL), arguments: [now.millisecondsSince1970]
            ).map(Date.init(millisecondsSince1970:))
        }
    }
}

extension SQLiteStore {
    /// Persists a completion plan in one transaction (without its own fsync: see `writeRelaxed`), with cached statements: the attempts, the guarded
    /// moves (a stale lease moves nothing), the inspected endpoints' standing (read before any endpoint row
    /// changes), the coalesced failure streaks, then what `plan.resolve` decides: disables and events.
    package func completeDeliveries(_ plan: CompletionPlan) async throws {
        guard !plan.isEmpty else { return }
        try await writeRelaxed { db in
            try Self.insertAttempts(db, plan.attempts)
            let moved = try Self.applyMoves(db, plan.moves)
            let standings = try Self.standings(db, of: plan.inspectedEndpoints)
            try Self.applyStreaks(db, plan.streaks)
            let resolution = plan.resolve(moved: moved, standings: standings)
            try Self.disableEndpoints(db, resolution.disables)
            try Self.insertEvents(db, resolution.events)
        }
    }

    /// Inserts attempt rows.
    private static func insertAttempts(_ db: Database, _ attempts: [Attempt]) throws {
        guard !attempts.isEmpty else { return }
        for attempt in attempts {
            let insert = try SQLiteBoundStatement(
                db,
                sql: """
                    INSERT INTO attempt (id, message_id, endpoint_id, app_id, url, status_code, response, duration_ms, status,
                    trigger_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            insert.bind(1, attempt.id)
            insert.bind(2, attempt.messageId)
            insert.bind(3, attempt.endpointId)
            insert.bind(4, attempt.appId)
            insert.bind(5, attempt.url)
            insert.bind(6, Int64(attempt.responseStatusCode))
            insert.bind(7, attempt.response)
            insert.bind(8, Int64(attempt.durationMs))
            insert.bind(9, Int64(attempt.status.rawValue))
            insert.bind(10, Int64(attempt.trigger.rawValue))
            insert.bind(11, attempt.timestamp.millisecondsSince1970)
            try insert.run()
        }
    }

    /// Applies the guarded moves; returns the indices of those that changed their row.
    private static func applyMoves(_ db: Database, _ moves: [CompletionPlan.Move]) throws -> Set<Int> {
        var moved = Set<Int>()
        for (index, move) in moves.enumerated() {
            let update = try SQLiteBoundStatement(
                db,
                sql: """
                    UPDATE delivery SET state = ?, attempts = attempts + ?, next_attempt_at = ?, updated_at = ?,
                    manual = CASE WHEN ? = 1 THEN 0 ELSE manual END
                    WHERE id = ? AND claim_token = ?
                    """)
            let attempted: Int64 = move.attempted ? 1 : 0
            update.bind(1, Int64(move.state.rawValue))
            update.bind(2, attempted)
            update.bind(3, move.nextAttemptAt.millisecondsSince1970)
            update.bind(4, move.updatedAt.millisecondsSince1970)
            update.bind(5, attempted)
            update.bind(6, move.deliveryId)
            update.bind(7, move.claimToken)
            try update.run()
            if update.changes > 0 { moved.insert(index) }
        }
        return moved
    }

    /// The stored standing of the endpoints that still exist among `endpointIds`.
    private static func standings(_ db: Database, of endpointIds: [String]) throws -> [String: EndpointStanding] {
        guard !endpointIds.isEmpty else { return [:] }
        let select = try db.cachedStatement(sql: "SELECT failing_since, disabled FROM endpoint WHERE id = ?")
        var standings: [String: EndpointStanding] = [:]
        for id in endpointIds {
            guard let row = try Row.fetchOne(select, arguments: [id]) else { continue }
            standings[id] = EndpointStanding(
                failingSince: (row["failing_since"] as Int64?).map(Date.init(millisecondsSince1970:)), disabled: row["disabled"])
        }
        return standings
    }

    /// Applies each endpoint's failure-streak change, writing only rows whose `failing_since` changes.
    private static func applyStreaks(_ db: Database, _ changes: [CompletionPlan.StreakChange]) throws {
        for change in changes {
            switch change.effect {
            case .clear:
                try db.cachedStatement(sql: "UPDATE endpoint SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL")
                    .execute(arguments: [change.endpointId])
            case .startIfUnset(let time):
                try db.cachedStatement(sql: "UPDATE endpoint SET failing_since = ? WHERE id = ? AND failing_since IS NULL")
                    .execute(arguments: [time.millisecondsSince1970, change.endpointId])
            case .set(let time):
                try db.cachedStatement(sql: "UPDATE endpoint SET failing_since = ?1 WHERE id = ?2 AND failing_since IS NOT ?1")
                    .execute(arguments: [time.millisecondsSince1970, change.endpointId])
            }
        }
    }

    /// Disables endpoints as the plan resolved (each is enabled as read in this transaction).
    private static func disableEndpoints(_ db: Database, _ disables: [CompletionResolution.Disable]) throws {
        for disable in disables {
            try db.cachedStatement(sql: "UPDATE endpoint SET disabled = 1, updated_at = ? WHERE id = ? AND disabled = 0")
                .execute(arguments: [disable.at.millisecondsSince1970, disable.endpointId])
        }
    }
}
