extension BenchReport {
    /// Phase h: status endpoint and inbound acknowledgement latencies.
    struct Edge: Encodable, Sendable {
        /// Sequential `GET /api/v1/status` latency.
        var status: LatencySummary?
        /// Inbound acknowledgements at a fixed rate.
        var inbound: Inbound?
        /// Why a probe did not run, if one did not.
        var note: String?
    }

    /// Inbound acknowledgement figures.
    struct Inbound: Encodable, Sendable {
        /// Requests per second offered.
        var offeredRate: Double
        /// Requests answered 2xx.
        var acknowledged: Int
        /// Requests that failed or were refused.
        var errors: Int
        /// Scheduled send → 2xx.
        var latency: LatencySummary
    }
}
