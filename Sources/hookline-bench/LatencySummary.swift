import Histogram

/// The percentiles of one latency histogram that the report shows, in microseconds.
struct LatencySummary: Codable, Sendable {
    /// Number of samples.
    var count: UInt64
    /// Median.
    var p50Us: UInt64
    /// 90th percentile.
    var p90Us: UInt64
    /// 99th percentile.
    var p99Us: UInt64
    /// 99.9th percentile.
    var p999Us: UInt64
    /// Largest sample (at histogram precision).
    var maxUs: UInt64
    /// Arithmetic mean.
    var meanUs: Double

    /// Summarises `histogram`; an empty histogram gives all zeros.
    init(_ histogram: Histogram<UInt64>) {
        count = histogram.totalCount
        guard count > 0 else {
            (p50Us, p90Us, p99Us, p999Us, maxUs, meanUs) = (0, 0, 0, 0, 0, 0)
            return
        }
        p50Us = histogram.valueAtPercentile(50)
        p90Us = histogram.valueAtPercentile(90)
        p99Us = histogram.valueAtPercentile(99)
        p999Us = histogram.valueAtPercentile(99.9)
        maxUs = histogram.max
        meanUs = histogram.mean
    }
}
