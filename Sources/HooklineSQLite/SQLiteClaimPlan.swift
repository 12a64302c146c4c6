import Foundation
import GRDB
import HooklineCore

/// Finds the deliveries one claim leases, inside the claim's write transaction.
///
/// 1. *Fast path*: the most urgent due rows overall — ten short ranges of `delivery_lane`, one per
///    priority level, merged by `PriorityLane.sortKey` — at most `scanLimit` of them.
/// 2. Each endpoint met there gets its allowance: an ordered endpoint only its head (the oldest active
///    row, by row id = acceptance order) and only when nothing of it is in flight; another endpoint
///    `perEndpointLimit − in flight`.
/// 3. *Fair path*: when the scan was full and rows were held back (one endpoint dominated it), step
///    through the endpoints with active rows (`delivery_endpoint_lane`, a loose index scan: about 6 µs
///    per endpoint with active rows, finished rows are never read) and take each due endpoint's most
///    urgent rows, until `limit` more endpoints contributed.
/// 4. `ClaimSelector` interleaves the candidates by rank per endpoint, then by effective due time.
struct SQLiteClaimPlan {
    private struct Lane {
        var ordered: Bool
        var inFlight: Int
    }

    /// The claim's write transaction.
    let db: Database
    /// The claim time, ms since 1970.
    let now: Int64
    /// The most rows to lease.
    let limit: Int
    /// The in-flight cap per endpoint (`ClaimRequest.perEndpointLimit`).
    let perEndpointLimit: Int?
    /// The engine's own in-flight counts (`ClaimRequest.inFlightByEndpoint`), used for unordered endpoints.
    let engineInFlight: [String: Int]?
    private var lanes: [String: Lane] = [:]

    /// A plan for `request` in `db`.
    init(_ db: Database, _ request: ClaimRequest) {
        self.db = db
        self.now = request.now.millisecondsSince1970
        self.limit = request.limit
        self.perEndpointLimit = request.perEndpointLimit
        self.engineInFlight = request.inFlightByEndpoint
    }

    /// How many rows the fast path reads at most: four times the batch (64 to 1024), and never fewer than `limit`.
    var scanLimit: Int { max(limit, min(max(limit * 4, 64), 1024)) }

    /// The candidates to lease, in lease order.
    mutating func select() throws -> [ClaimSelector.Candidate] {
        guard limit > 0 else { return [] }
        let scanned = try Self.rows(db, sql: Self.dueSQL, arguments: ["now": now, "scan": scanLimit])
        var candidates: [ClaimSelector.Candidate] = []
        var heldBack = false
        var seen = Set<String>()
        for endpointId in scanned.map(\.endpointId) where seen.insert(endpointId).inserted {
            let own = scanned.filter { $0.endpointId == endpointId }
            let taken = try admit(endpointId, own)
            candidates += taken
            if own.contains(where: { !taken.contains($0) }) { heldBack = true }
        }
        if heldBack && scanned.count >= scanLimit {
            candidates += try fairPath(skipping: seen)
        }
        return ClaimSelector(limit: limit).select(candidates) { allowance(for: $0) }
    }

    /// Steps through the endpoints with due rows (in id order, a chunk at a time) and gathers the rows
    /// of those not yet seen, until `limit` endpoints contributed or none is left.
    private mutating func fairPath(skipping seen: Set<String>) throws -> [ClaimSelector.Candidate] {
        var candidates: [ClaimSelector.Candidate] = []
        var contributors = 0
        var after = ""
        let chunk = limit + seen.count
        while contributors < limit {
            let endpoints = try String.fetchAll(
                db.cachedStatement(sql: Self.dueEndpointsSQL), arguments: ["after": after, "now": now, "max": chunk])
            for endpointId in endpoints where !seen.contains(endpointId) && contributors < limit {
                let due = try Self.rows(
                    db, sql: Self.endpointDueSQL, arguments: ["now": now, "scan": min(limit, perEndpointLimit ?? limit), "endpoint": endpointId])
                let taken = try admit(endpointId, due)
                if !taken.isEmpty { contributors += 1 }
                candidates += taken
            }
            guard endpoints.count == chunk, let last = endpoints.last else { break }
            after = last
        }
        return candidates
    }

    /// The rows of `endpointId` (most urgent first) the endpoint may take now.
    private mutating func admit(_ endpointId: String, _ rows: [ClaimSelector.Candidate]) throws -> [ClaimSelector.Candidate] {
        let lane = try lane(endpointId)
        guard lane.ordered else { return Array(rows.prefix(allowance(for: endpointId))) }
        guard lane.inFlight == 0, let head = try Int64.fetchOne(db.cachedStatement(sql: Self.headSQL), arguments: [endpointId, endpointId])
        else { return [] }
        if let row = rows.first(where: { $0.id == head }) { return [row] }
        return try Self.rows(db, sql: Self.dueRowSQL, arguments: ["now": now, "id": head])
    }

    /// How many rows `endpointId` may take in this claim.
    private func allowance(for endpointId: String) -> Int {
        guard let lane = lanes[endpointId] else { return 0 }
        if lane.ordered { return lane.inFlight == 0 ? 1 : 0 }
        guard let cap = perEndpointLimit else { return limit }
        return max(0, cap - lane.inFlight)
    }

    private mutating func lane(_ endpointId: String) throws -> Lane {
        if let lane = lanes[endpointId] { return lane }
        let ordered = try Bool.fetchOne(db.cachedStatement(sql: "SELECT ordered FROM endpoint WHERE id = ?"), arguments: [endpointId]) ?? false
        // This file serves one process, so the engine's count is exact; an ordered endpoint's head rule reads rows.
        if !ordered, let engineInFlight {
            let lane = Lane(ordered: false, inFlight: engineInFlight[endpointId] ?? 0)
            lanes[endpointId] = lane
            return lane
        }
        let inFlight =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM delivery WHERE endpoint_id = ? AND state = 1 AND next_attempt_at > ?"),
                arguments: [endpointId, now]) ?? 0
        let lane = Lane(ordered: ordered, inFlight: inFlight)
        lanes[endpointId] = lane
        return lane
    }

    private static func rows(_ db: Database, sql: String, arguments: StatementArguments) throws -> [ClaimSelector.Candidate] {
        // By position (`id, endpoint_id, sort_key`) on one reused row: no copies, no column-name lookups.
        var candidates: [ClaimSelector.Candidate] = []
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try cursor.next() {
            candidates.append(ClaimSelector.Candidate(id: row[0], endpointId: row[1], sortKey: row[2]))
        }
        return candidates
    }

    /// Due rows, most urgent first: one `LIMIT :scan` range per priority level, merged by effective due time.
    static let dueSQL = lanesSQL(endpointFilter: "")
    /// The same for one endpoint (`:endpoint`), through `delivery_endpoint_lane`.
    static let endpointDueSQL = lanesSQL(endpointFilter: "endpoint_id = :endpoint AND ")

    private static func lanesSQL(endpointFilter: String) -> String {
        let lanes = PriorityLane.levels.map { level in
            """
            SELECT * FROM (SELECT id, endpoint_id, next_attempt_at - \(PriorityLane(clamping: level).advanceMilliseconds) AS sort_key
            FROM delivery WHERE \(endpointFilter)state IN (0, 1) AND priority = \(level) AND next_attempt_at <= :now
            ORDER BY next_attempt_at LIMIT :scan)
            """
        }
        return "SELECT id, endpoint_id, sort_key FROM (\(lanes.joined(separator: " UNION ALL "))) ORDER BY sort_key, id LIMIT :scan"
    }

    /// Endpoints after `:after` (id order) with a due row, at most `:max`: a loose index scan of
    /// `delivery_endpoint_lane` (one seek per endpoint with active rows, never a finished row).
    static let dueEndpointsSQL = """
        WITH RECURSIVE lane(endpoint_id) AS (
            SELECT MIN(endpoint_id) FROM delivery INDEXED BY delivery_endpoint_lane WHERE state IN (0, 1) AND endpoint_id > :after
            UNION ALL
            SELECT (SELECT MIN(endpoint_id) FROM delivery INDEXED BY delivery_endpoint_lane
                    WHERE state IN (0, 1) AND endpoint_id > lane.endpoint_id)
            FROM lane WHERE lane.endpoint_id IS NOT NULL
        )
        SELECT endpoint_id FROM lane WHERE endpoint_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM delivery INDEXED BY delivery_endpoint_lane WHERE delivery.endpoint_id = lane.endpoint_id
            AND state IN (0, 1) AND priority IN (\(PriorityLane.levels.map(String.init).joined(separator: ", "))) AND next_attempt_at <= :now)
        LIMIT :max
        """

    /// The head of an ordered endpoint: its oldest active row.
    static let headSQL = """
        SELECT MIN(id) FROM (SELECT MIN(id) AS id FROM delivery WHERE endpoint_id = ? AND state = 0
        UNION ALL SELECT MIN(id) FROM delivery WHERE endpoint_id = ? AND state = 1)
        """

    /// Row `:id` as a candidate when it is active and due.
    static let dueRowSQL = """
        SELECT id, endpoint_id, next_attempt_at - priority * \(PriorityLane.agingMilliseconds) AS sort_key
        FROM delivery WHERE id = :id AND state IN (0, 1) AND next_attempt_at <= :now
        """
}
