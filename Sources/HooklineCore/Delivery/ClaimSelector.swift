/// Picks which claimable deliveries one claim leases: fair across endpoints, then by effective due time.
///
/// Pure: stores gather candidates (each endpoint's most urgent due rows) and the per-endpoint
/// allowance, then let this decide. Each endpoint contributes at most its allowance, most urgent first;
/// the batch then takes every endpoint's first candidate before any endpoint's second (round robin by
/// rank), and within a rank the smaller `sortKey` first. So a backlog of one endpoint never keeps
/// another endpoint's single due delivery out of a batch.
public struct ClaimSelector: Sendable {
    /// A delivery that could be claimed.
    public struct Candidate: Sendable, Hashable {
        /// The delivery row id.
        public var id: Int64
        /// Its endpoint.
        public var endpointId: String
        /// Its effective due time (`PriorityLane.sortKey`).
        public var sortKey: Int64

        /// Creates a candidate.
        public init(id: Int64, endpointId: String, sortKey: Int64) {
            self.id = id
            self.endpointId = endpointId
            self.sortKey = sortKey
        }
    }

    /// The most candidates to lease.
    public var limit: Int

    /// Creates a selector for a claim of at most `limit` rows.
    public init(limit: Int) {
        self.limit = limit
    }

    /// The candidates to lease, in lease order; `allowance` is how many more rows each endpoint may take.
    public func select(_ candidates: [Candidate], allowance: (String) -> Int) -> [Candidate] {
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
    public static func urgentFirst(_ lhs: Candidate, _ rhs: Candidate) -> Bool {
        lhs.sortKey != rhs.sortKey ? lhs.sortKey < rhs.sortKey : lhs.id < rhs.id
    }
}
