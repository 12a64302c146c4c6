/// The loss and duplicate audit of the wrk phases: every id a 2xx acknowledged for an application
/// delivering to nginx must appear in nginx's log exactly once.
struct ExactlyOnceAudit: Codable, Sendable {
    /// Ids acknowledged with a 2xx (drain, sustained, latency, isolation's healthy endpoint).
    var acknowledged: Int
    /// Of those, arrived at least once.
    var delivered: Int
    /// Acknowledged and never arrived. Must be 0.
    var lost: Int
    /// Arrivals beyond the first for the same id (any id). Must be 0.
    var duplicates: Int
    /// Distinct ids that arrived without a 2xx the bench saw: requests in flight when wrk stopped,
    /// which Hookline accepted but whose answer wrk dropped. Informational.
    var unacknowledgedArrivals: Int
    /// How long the final wait for stragglers took, seconds.
    var waitedSeconds: Double

    /// Audits `expected` against everything `arrivals` holds now.
    init(expected: [String], arrivals: ArrivalLog, waitedSeconds: Double) {
        let expectedSet = Set(expected)
        acknowledged = expectedSet.count
        delivered = expectedSet.count { arrivals.firstArrival[$0] != nil }
        lost = acknowledged - delivered
        duplicates = arrivals.counts.values.reduce(0) { $0 + max($1 - 1, 0) }
        unacknowledgedArrivals = arrivals.counts.keys.count { !expectedSet.contains($0) }
        self.waitedSeconds = waitedSeconds
    }
}
