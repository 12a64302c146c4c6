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
    public func claimDeliveries(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        guard request.limit > 0 else { return [] }
        let now = request.now.millisecondsSince1970
        return try await writing { session in
            var plan = PostgresClaimPlan(session, request)
            let order = try await plan.select().map(\.id)
            guard !order.isEmpty else { return [] }
            // Only a claim that writes needs it: an empty one saves the round trip.
            try await session.execute("SET LOCAL synchronous_commit = off")
            let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let rows = try await session.rows(
                """
                UPDATE delivery SET state = 1, next_attempt_at = \(request.leaseUntil.millisecondsSince1970),
                    claim_token = claim_token + 1, updated_at = \(now)
                WHERE id IN (
                    SELECT id FROM delivery WHERE id = ANY(\(order)::int8[]) AND state IN (0, 1) AND next_attempt_at <= \(now)
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """)
            guard !rows.isEmpty else { return [] }
            var leased: [(delivery: Delivery, token: Int64)] = []
            for row in rows { leased.append((try Delivery(pg: row), try row.get("claim_token"))) }
            leased.sort { position[$0.delivery.id, default: 0] < position[$1.delivery.id, default: 0] }
            let messageIds = Array(Set(leased.map(\.delivery.messageId)))
            let endpointIds = Array(Set(leased.map(\.delivery.endpointId)))
            let appIds = Array(Set(leased.map(\.delivery.appId)))
            var messages: [String: Message] = [:]
            for row in try await session.rows("SELECT * FROM message WHERE id = ANY(\(messageIds)::text[])") {
                let message = try Message(pg: row)
                messages[message.id] = message
            }
            var endpoints: [String: Endpoint] = [:]
            for row in try await session.rows("SELECT * FROM endpoint WHERE id = ANY(\(endpointIds)::text[])") {
                let endpoint = try Endpoint(pg: row)
                endpoints[endpoint.id] = endpoint
            }
            var throttles: [String: Int] = [:]
            for row in try await session.rows("SELECT id, throttle_rate FROM application WHERE id = ANY(\(appIds)::text[])") {
                if let rate = try row.get("throttle_rate", as: Int?.self) { throttles[try row.get("id")] = rate }
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
    public func nextDueTime() async throws -> Date? {
        try await reading { session in
            try await session.value("SELECT MIN(next_attempt_at) FROM delivery WHERE state IN (0, 1)", as: Int64?.self)?
                .map(Date.init(millisecondsSince1970:))
        }
    }

    /// The earliest due time after `now` of an active delivery.
    public func nextDueTime(after now: Date) async throws -> Date? {
        try await reading { session in
            try await session.value(
                "SELECT MIN(next_attempt_at) FROM delivery WHERE state IN (0, 1) AND next_attempt_at > \(now.millisecondsSince1970)",
                as: Int64?.self)?
                .map(Date.init(millisecondsSince1970:))
        }
    }

    /// The delivery rows of a message.
    public func deliveries(messageId: String) async throws -> [Delivery] {
        try await reading { session in
            try await session.rows("SELECT * FROM delivery WHERE message_id = \(messageId) ORDER BY id").map(Delivery.init(pg:))
        }
    }

    /// How many active deliveries are due, scheduled and in flight at `now`.
    public func queueDepth(now: Date) async throws -> QueueDepth {
        let now = now.millisecondsSince1970
        return try await reading { session in
            let row = try await session.first(
                """
                SELECT COUNT(*) FILTER (WHERE state = 0 AND next_attempt_at <= \(now)) AS due,
                COUNT(*) FILTER (WHERE state = 0 AND next_attempt_at > \(now)) AS scheduled,
                COUNT(*) FILTER (WHERE state = 1) AS in_flight
                FROM delivery WHERE state IN (0, 1)
                """)
            return QueueDepth(
                due: try row?.get("due", as: Int.self) ?? 0, scheduled: try row?.get("scheduled", as: Int.self) ?? 0,
                inFlight: try row?.get("in_flight", as: Int.self) ?? 0)
        }
    }

    /// A page of attempts, newest first.
    public func attempts(_ query: AttemptQuery) async throws -> Page<Attempt> {
        var list = PostgresListQuery(from: "attempt")
        try list.filter("app_id = ?", query.appId)
        if let messageId = query.messageId { try list.filter("message_id = ?", messageId) }
        if let endpointId = query.endpointId { try list.filter("endpoint_id = ?", endpointId) }
        if let status = query.status { try list.filter("status = ?", status.rawValue) }
        if let codeClass = query.statusCodeClass {
            try list.filter("status_code >= ? AND status_code < ?", codeClass * 100, codeClass * 100 + 100)
        }
        try list.filter(query.filter, messageColumn: "message_id")
        return try await reading { [list] session in
            try await list.page(query.page, in: session, id: \.id, decode: Attempt.init(pg:))
        }
    }
}
