import Foundation
import HooklineCore
import PostgresNIO

/// Finds the deliveries one claim leases, inside the claim's transaction (the SQLite store's plan, in SQL for PostgreSQL),
/// reading only `delivery_queue`: the active rows, which triggers on `delivery` keep (see `PostgresMigrations.activeQueue`).
///
/// 1. *Fast path*: the most urgent due rows overall — ten short ranges of `delivery_queue_lane`, one per priority
///    level, merged by `PriorityLane` sort key — at most `scanLimit` of them.
/// 2. Each endpoint met there gets its allowance: an ordered endpoint only its head (its oldest active row) and
///    only when nothing of it is in flight; another endpoint `perEndpointLimit − in flight`. What the allowance
///    needs (ordered or not, rows leased) is read for all the endpoints of a scan in one round trip.
/// 3. *Fair path*: when the scan was full and rows were held back, step through the endpoints with due rows
///    (a loose index scan of `delivery_queue_endpoint`) and take each one's most urgent rows, until `limit` more contributed.
/// 4. `ClaimSelector` interleaves the candidates by rank per endpoint, then by effective due time.
///
/// The plan reads without locks; the claim then locks its picks with `FOR UPDATE SKIP LOCKED` and re-checks that
/// they are still due, so a row another node is claiming at the same moment is skipped, never leased twice.
struct PostgresClaimPlan {
    private struct Lane {
        var ordered: Bool
        var inFlight: Int
    }

    let session: PostgresSession
    let now: Int64
    let limit: Int
    let perEndpointLimit: Int?
    private var lanes: [String: Lane] = [:]

    /// A plan for `request` in `session`.
    init(_ session: PostgresSession, _ request: ClaimRequest) {
        self.session = session
        self.now = request.now.millisecondsSince1970
        self.limit = request.limit
        self.perEndpointLimit = request.perEndpointLimit
    }

    /// How many rows the fast path reads at most: four times the batch (64 to 1024), and never fewer than `limit`.
    var scanLimit: Int { max(limit, min(max(limit * 4, 64), 1024)) }

    /// The candidates to lease, in lease order.
    mutating func select() async throws -> [ClaimSelector.Candidate] {
        guard limit > 0 else { return [] }
        let scanned = try await candidates(endpoint: nil, scan: scanLimit)
        try await loadLanes(scanned.map(\.endpointId))
        var candidates: [ClaimSelector.Candidate] = []
        var heldBack = false
        var seen = Set<String>()
        for endpointId in scanned.map(\.endpointId) where seen.insert(endpointId).inserted {
            let own = scanned.filter { $0.endpointId == endpointId }
            let taken = try await admit(endpointId, own)
            candidates += taken
            if own.contains(where: { !taken.contains($0) }) { heldBack = true }
        }
        if heldBack && scanned.count >= scanLimit {
            candidates += try await fairPath(skipping: seen)
        }
        let lanes = self.lanes
        let perEndpointLimit = self.perEndpointLimit
        let limit = self.limit
        return ClaimSelector(limit: limit).select(candidates) { endpointId in
            Self.allowance(lanes[endpointId], perEndpointLimit: perEndpointLimit, limit: limit)
        }
    }

    /// Steps through the endpoints with due rows (in id order, a chunk at a time) and gathers the rows of those
    /// not yet seen, until `limit` endpoints contributed or none is left.
    private mutating func fairPath(skipping seen: Set<String>) async throws -> [ClaimSelector.Candidate] {
        var candidates: [ClaimSelector.Candidate] = []
        var contributors = 0
        var after = ""
        let chunk = limit + seen.count
        while contributors < limit {
            let endpoints = try await session.rows(
                """
                WITH RECURSIVE lane(endpoint_id) AS (
                    SELECT MIN(endpoint_id) FROM delivery_queue WHERE endpoint_id > \(after)
                    UNION ALL
                    SELECT (SELECT MIN(endpoint_id) FROM delivery_queue WHERE endpoint_id > lane.endpoint_id)
                    FROM lane WHERE lane.endpoint_id IS NOT NULL)
                SELECT endpoint_id FROM lane WHERE endpoint_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM delivery_queue q WHERE q.endpoint_id = lane.endpoint_id
                    AND priority IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9) AND next_attempt_at <= \(now))
                LIMIT \(chunk)
                """
            ).map { try $0.get("endpoint_id", as: String.self) }
            try await loadLanes(endpoints.filter { !seen.contains($0) })
            for endpointId in endpoints where !seen.contains(endpointId) && contributors < limit {
                let due = try await self.candidates(endpoint: endpointId, scan: min(limit, perEndpointLimit ?? limit))
                let taken = try await admit(endpointId, due)
                if !taken.isEmpty { contributors += 1 }
                candidates += taken
            }
            guard endpoints.count == chunk, let last = endpoints.last else { break }
            after = last
        }
        return candidates
    }

    /// The rows of `endpointId` (most urgent first) the endpoint may take now.
    private mutating func admit(_ endpointId: String, _ rows: [ClaimSelector.Candidate]) async throws -> [ClaimSelector.Candidate] {
        let lane = try await lane(endpointId)
        guard lane.ordered else { return Array(rows.prefix(Self.allowance(lane, perEndpointLimit: perEndpointLimit, limit: limit))) }
        guard lane.inFlight == 0,
            let head = try await session.value(
                "SELECT MIN(id) FROM delivery_queue WHERE endpoint_id = \(endpointId)", as: Int64?.self) ?? nil
        else { return [] }
        if let row = rows.first(where: { $0.id == head }) { return [row] }
        return try await Self.decode(
            session.rows(
                """
                SELECT id, endpoint_id, next_attempt_at - priority * \(PriorityLane.agingMilliseconds) AS sort_key
                FROM delivery_queue WHERE id = \(head) AND next_attempt_at <= \(now)
                """))
    }

    /// How many rows an endpoint with `lane` may take in this claim.
    private static func allowance(_ lane: Lane?, perEndpointLimit: Int?, limit: Int) -> Int {
        guard let lane else { return 0 }
        if lane.ordered { return lane.inFlight == 0 ? 1 : 0 }
        guard let cap = perEndpointLimit else { return limit }
        return max(0, cap - lane.inFlight)
    }

    private mutating func lane(_ endpointId: String) async throws -> Lane {
        if let lane = lanes[endpointId] { return lane }
        try await loadLanes([endpointId])
        return lanes[endpointId] ?? Lane(ordered: false, inFlight: 0)
    }

    /// Reads the lanes of `endpointIds` not read yet in one round trip: whether each endpoint is ordered, and how
    /// many of its rows are leased now (one query per endpoint made a claim's cost grow with the endpoints it met).
    private mutating func loadLanes(_ endpointIds: [String]) async throws {
        var asked = Set<String>()
        let missing = endpointIds.filter { lanes[$0] == nil && asked.insert($0).inserted }
        guard !missing.isEmpty else { return }
        for row in try await session.rows(
            """
            SELECT ids.id, COALESCE(endpoint.ordered, false) AS ordered,
                (SELECT COUNT(*) FROM delivery_queue q WHERE q.endpoint_id = ids.id AND state = 1 AND next_attempt_at > \(now)) AS in_flight
            FROM UNNEST(\(missing)::text[]) AS ids(id) LEFT JOIN endpoint ON endpoint.id = ids.id
            """)
        {
            lanes[try row.get("id", as: String.self)] = Lane(
                ordered: try row.get("ordered", as: Bool.self), inFlight: try row.get("in_flight", as: Int.self))
        }
    }

    /// Due rows, most urgent first (of one endpoint when given): one `LIMIT scan` range per priority level,
    /// merged by effective due time.
    private func candidates(endpoint: String?, scan: Int) async throws -> [ClaimSelector.Candidate] {
        var binds = PostgresBindings()
        binds.append(now)
        binds.append(scan)
        var filter = ""
        if let endpoint {
            binds.append(endpoint)
            filter = "endpoint_id = $3 AND "
        }
        let lanes = PriorityLane.levels.map { level in
            """
            (SELECT id, endpoint_id, next_attempt_at - \(PriorityLane(clamping: level).advanceMilliseconds) AS sort_key
            FROM delivery_queue WHERE \(filter)priority = \(level) AND next_attempt_at <= $1
            ORDER BY next_attempt_at LIMIT $2)
            """
        }
        let sql = "SELECT id, endpoint_id, sort_key FROM (\(lanes.joined(separator: " UNION ALL "))) AS lanes ORDER BY sort_key, id LIMIT $2"
        return try Self.decode(await session.rows(PostgresQuery(unsafeSQL: sql, binds: binds)))
    }

    private static func decode(_ rows: [PostgresRandomAccessRow]) throws -> [ClaimSelector.Candidate] {
        try rows.map { ClaimSelector.Candidate(id: try $0.get("id"), endpointId: try $0.get("endpoint_id"), sortKey: try $0.get("sort_key")) }
    }
}
