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
    public func claimDeliveries(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        let anythingDue = try await pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM delivery WHERE state IN (0, 1) AND next_attempt_at <= ? LIMIT 1"),
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
        let placeholders = Array(repeating: "?", count: order.count).joined(separator: ",")
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let rows = try Row.fetchAll(
            db,
            sql: """
                UPDATE delivery SET state = 1, next_attempt_at = ?, claim_token = claim_token + 1, updated_at = ?
                WHERE id IN (\(placeholders)) RETURNING *
                """,
            arguments: StatementArguments([request.leaseUntil.millisecondsSince1970, now] + order.map { $0 as any DatabaseValueConvertible })
        ).sorted { position[$0["id"] as Int64, default: 0] < position[$1["id"] as Int64, default: 0] }
        guard !rows.isEmpty else { return [] }
        let deliveries = rows.map { (Delivery(row: $0), $0["claim_token"] as Int64) }
        let messages = try fetchByIds(db, table: "message", ids: Set(deliveries.map(\.0.messageId))).mapValues(Message.init(row:))
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
    public func nextDueTime() async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM delivery WHERE state IN (0, 1)")
                .map(Date.init(millisecondsSince1970:))
        }
    }

    /// The delivery rows of a message.
    public func deliveries(messageId: String) async throws -> [Delivery] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM delivery WHERE message_id = ? ORDER BY id", arguments: [messageId])
                .map(Delivery.init(row:))
        }
    }

    /// A page of attempts, newest first.
    public func attempts(_ query: AttemptQuery) async throws -> Page<Attempt> {
        var list = SQLiteListQuery(from: "attempt")
        list.filter("app_id = ?", [query.appId])
        if let messageId = query.messageId { list.filter("message_id = ?", [messageId]) }
        if let endpointId = query.endpointId { list.filter("endpoint_id = ?", [endpointId]) }
        if let status = query.status { list.filter("status = ?", [status.rawValue]) }
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

    private func fetchByIds(_ db: Database, table: String, ids: Set<String>) throws -> [String: Row] {
        let list = Array(ids)
        let placeholders = Array(repeating: "?", count: list.count).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE id IN (\(placeholders))", arguments: StatementArguments(list))
        return Dictionary(rows.map { ($0["id"] as String, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
