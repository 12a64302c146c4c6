import Foundation

/// How urgent a message is, and the claim order it implies: pure arithmetic, no I/O.
///
/// Levels run from 0 (least urgent) to 9 (most urgent); 5 is the default. Claims order due
/// deliveries by an *effective due time*, `nextAttemptAt − level × aging`: one level is worth
/// `aging` (10 s) of waiting. A level-8 delivery therefore goes before level-5 deliveries that
/// became due less than 30 s before it, but a level-5 delivery that has waited longer than that goes
/// first — a low level delays a delivery by at most 9 × 10 s behind newer urgent work, it never
/// starves. Priority never makes a delivery due early: only due rows are claimed.
///
/// Stores apply the same key (see `sortKey`) in SQL, one index lane per level.
package struct PriorityLane: Sendable, Hashable, Comparable {
    /// Every level, least urgent first.
    package static let levels: ClosedRange<Int> = 0...9
    /// The level of a message that names none.
    package static let normal = PriorityLane(level: 5)
    /// The level the API calls `"high"`.
    package static let high = PriorityLane(level: 8)
    /// The level the API calls `"low"`.
    package static let low = PriorityLane(level: 2)
    /// How much waiting one level is worth, in milliseconds (10 s).
    package static let agingMilliseconds: Int64 = 10_000

    /// The level, within `levels`.
    package let level: Int

    /// A lane for `level`, clamped into `levels`.
    package init(clamping level: Int) {
        self.level = min(max(level, Self.levels.lowerBound), Self.levels.upperBound)
    }

    private init(level: Int) {
        self.level = level
    }

    /// The lane the API names `"high"`, `"normal"` or `"low"` (case-insensitive), or `nil`.
    package init?(name: String) {
        switch name.lowercased() {
        case "high": self = .high
        case "normal": self = .normal
        case "low": self = .low
        default: return nil
        }
    }

    /// How far ahead of its due time this lane's deliveries are ordered, in milliseconds.
    package var advanceMilliseconds: Int64 { Int64(level) * Self.agingMilliseconds }

    /// The effective due time (ms since 1970) claims order by: smaller goes first.
    package func sortKey(dueAtMilliseconds due: Int64) -> Int64 {
        due - advanceMilliseconds
    }

    /// The effective due time of a delivery due at `due`.
    package func sortKey(dueAt due: Date) -> Int64 {
        sortKey(dueAtMilliseconds: due.millisecondsSince1970)
    }

    /// Orders lanes by level.
    package static func < (lhs: PriorityLane, rhs: PriorityLane) -> Bool { lhs.level < rhs.level }
}

/// Picks which claimable deliveries one claim leases: fair across endpoints, then by effective due time.
///
/// Pure: stores gather candidates (each endpoint's most urgent due rows) and the per-endpoint
/// allowance, then let this decide. Each endpoint contributes at most its allowance, most urgent first;
/// the batch then takes every endpoint's first candidate before any endpoint's second (round robin by
/// rank), and within a rank the smaller `sortKey` first. So a backlog of one endpoint never keeps
/// another endpoint's single due delivery out of a batch.
package struct ClaimSelector: Sendable {
    /// A delivery that could be claimed.
    package struct Candidate: Sendable, Hashable {
        /// The delivery row id.
        package var id: Int64
        /// Its endpoint.
        package var endpointId: String
        /// Its effective due time (`PriorityLane.sortKey`).
        package var sortKey: Int64

        /// Creates a candidate.
        package init(id: Int64, endpointId: String, sortKey: Int64) {
            self.id = id
            self.endpointId = endpointId
            self.sortKey = sortKey
        }
    }

    /// The most candidates to lease.
    package var limit: Int

    /// Creates a selector for a claim of at most `limit` rows.
    package init(limit: Int) {
        self.limit = limit
    }

    /// The candidates to lease, in lease order; `allowance` is how many more rows each endpoint may take.
    package func select(_ candidates: [Candidate], allowance: (String) -> Int) -> [Candidate] {
        guard limit > 0 else { return [] }
        var byEndpoint: [String: [Candidate]] = [:]
        for candidate in candidates { byEndpoint[candidate.endpointId, default: []].append(candidate) }
        var ranked: [(rank: Int, candidate: Candidate)] = []
        for (endpointId, rows) in byEndpoint {
            let take = min(max(0, allowance(endpointId)), limit)
            var seen = Set<Int64>()
            let unique = rows.sorted(by: Self.urgentFirst).filter { seen.insert($0.id).inserted }
            for (rank, candidate) in unique.prefix(take).enumerated() { ranked.append((rank, candidate)) }
        }
        ranked.sort { lhs, rhs in
            lhs.rank != rhs.rank ? lhs.rank < rhs.rank : Self.urgentFirst(lhs.candidate, rhs.candidate)
        }
        return ranked.prefix(limit).map(\.candidate)
    }

    /// Smaller effective due time first; the older row (smaller id) on a tie.
    package static func urgentFirst(_ lhs: Candidate, _ rhs: Candidate) -> Bool {
        lhs.sortKey != rhs.sortKey ? lhs.sortKey < rhs.sortKey : lhs.id < rhs.id
    }
}
