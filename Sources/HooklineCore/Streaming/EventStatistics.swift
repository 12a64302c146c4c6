/// Counts and latency of the events in a time window, for the status endpoint.
public struct EventStatistics: Sendable, Equatable {
    /// How many events of each kind the window holds.
    public var counts: [EventKind: Int]
    /// Accepted → 2xx latency percentiles in milliseconds (50, 95, 99); `nil` without successes.
    public var latencyMs: Percentiles?

    /// Three latency percentiles.
    public struct Percentiles: Sendable, Equatable {
        /// The median.
        public var p50: Int64
        /// The 95th percentile.
        public var p95: Int64
        /// The 99th percentile.
        public var p99: Int64

        /// Creates percentiles.
        public init(p50: Int64, p95: Int64, p99: Int64) {
            self.p50 = p50
            self.p95 = p95
            self.p99 = p99
        }
    }

    /// Creates statistics.
    public init(counts: [EventKind: Int], latencyMs: Percentiles?) {
        self.counts = counts
        self.latencyMs = latencyMs
    }
}
