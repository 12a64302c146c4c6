import Histogram

/// Counts and latencies of one stream of requests; tallies of parallel workers merge into one.
struct LoadTally: Sendable {
    /// Requests answered 202.
    var accepted = 0
    /// Requests answered with another status.
    var rejected = 0
    /// Those other statuses, with their counts.
    var rejectedByStatus: [UInt: Int] = [:]
    /// Requests with no usable HTTP answer.
    var failed = 0
    /// Why, with counts.
    var failedByReason: [String: Int] = [:]
    /// Latency of every answered request, 202 or not, in microseconds.
    var latency = Histogram<UInt64>.latency()

    /// Requests that did not end in a 202.
    var errors: Int { rejected + failed }

    /// Counts one request that took `elapsed`.
    mutating func record(_ outcome: MessageOutcome, after elapsed: Duration) {
        switch outcome {
        case .accepted:
            accepted += 1
            latency.record(elapsed)
        case let .rejected(status):
            rejected += 1
            rejectedByStatus[status, default: 0] += 1
            latency.record(elapsed)
        case let .failed(reason):
            failed += 1
            failedByReason[reason, default: 0] += 1
        }
    }

    /// Adds another worker's tally to this one.
    mutating func merge(_ other: LoadTally) {
        accepted += other.accepted
        rejected += other.rejected
        failed += other.failed
        rejectedByStatus.merge(other.rejectedByStatus, uniquingKeysWith: +)
        failedByReason.merge(other.failedByReason, uniquingKeysWith: +)
        latency.add(other.latency)
    }
}
