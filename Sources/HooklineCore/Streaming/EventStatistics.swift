/// Counts and latency of the events in a time window, for the status endpoint.
public struct EventStatistics: Sendable, Equatable {
    /// How many events of each kind the window holds.
    public var counts: [EventKind: Int]
    /// Accepted → 2xx on the delivery's first attempt (manual resends excluded); `nil` without such successes.
    public var firstAttemptMs: Percentiles?
    /// Accepted → 2xx over every success (after retries, or a resend, included); `nil` without successes.
    public var timeToSuccessMs: Percentiles?

    /// Three latency percentiles (nearest rank) over `count` successes.
    public struct Percentiles: Sendable, Equatable {
        /// How many successes the percentiles are taken over.
        public var count: Int
        /// The median.
        public var p50: Int64
        /// The 95th percentile.
        public var p95: Int64
        /// The 99th percentile.
        public var p99: Int64

        /// Creates percentiles.
        public init(count: Int, p50: Int64, p95: Int64, p99: Int64) {
            self.count = count
            self.p50 = p50
            self.p95 = p95
            self.p99 = p99
        }

        /// The 0-based position of the nearest-rank `fraction` percentile among `count` sorted values.
        public static func rank(_ fraction: Double, of count: Int) -> Int {
            max(0, min(count - 1, Int((Double(count) * fraction).rounded(.up)) - 1))
        }
    }

    /// Creates statistics.
    public init(counts: [EventKind: Int], firstAttemptMs: Percentiles?, timeToSuccessMs: Percentiles?) {
        self.counts = counts
        self.firstAttemptMs = firstAttemptMs
        self.timeToSuccessMs = timeToSuccessMs
    }
}
