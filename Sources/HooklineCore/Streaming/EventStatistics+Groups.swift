/// The status window's successes as stores read them: one row per latency value, percentiles computed here.
extension EventStatistics {
    /// The window's successes that took one latency: how many, and how many of them came on a first attempt.
    package struct LatencyGroup: Sendable, Equatable {
        /// Accepted → 2xx, in milliseconds.
        package var latencyMs: Int64
        /// Successes with this latency.
        package var count: Int
        /// Those of them on the delivery's first attempt (not a retry, not a manual resend).
        package var firstAttempts: Int

        /// Creates a group.
        package init(latencyMs: Int64, count: Int, firstAttempts: Int) {
            self.latencyMs = latencyMs
            self.count = count
            self.firstAttempts = firstAttempts
        }
    }

    /// Statistics from the window's per-kind counts and its successes grouped by latency (in any order).
    ///
    /// One grouped read of the successes gives both latency sets: stores no longer sort the window once per percentile.
    package init(counts: [EventKind: Int], successes: [LatencyGroup]) {
        let sorted = successes.sorted { $0.latencyMs < $1.latencyMs }
        self.init(
            counts: counts,
            firstAttemptMs: Percentiles(sorted.map { ($0.latencyMs, $0.firstAttempts) }),
            timeToSuccessMs: Percentiles(sorted.map { ($0.latencyMs, $0.count) }))
    }
}

extension EventStatistics.Percentiles {
    /// Nearest-rank percentiles of values given with their counts, ascending by value; `nil` when the counts sum to 0.
    package init?(_ ascending: [(value: Int64, count: Int)]) {
        let total = ascending.reduce(0) { $0 + $1.count }
        guard total > 0 else { return nil }
        func value(at fraction: Double) -> Int64 {
            let rank = Self.rank(fraction, of: total)
            var seen = 0
            for (value, count) in ascending {
                seen += count
                if seen > rank { return value }
            }
            return ascending.last { $0.count > 0 }?.value ?? 0
        }
        self.init(count: total, p50: value(at: 0.5), p95: value(at: 0.95), p99: value(at: 0.99))
    }
}
