import Foundation

/// Success and failure counts over a sliding window, kept in ten buckets so recording is O(1).
struct OutcomeWindow: Sendable {
    private struct Bucket: Sendable {
        var start: Date
        var successes = 0
        var failures = 0
    }

    private var buckets: [Bucket] = []
    /// Outcomes in the window.
    private(set) var total = 0
    /// Failures in the window.
    private(set) var failures = 0

    /// Outcomes and failures still inside the window at `now`, without changing it.
    func counts(now: Date, span: Duration) -> (total: Int, failures: Int) {
        let width = max(span.timeInterval / 10, 0.001)
        let horizon = now.addingTimeInterval(-span.timeInterval)
        var total = 0
        var failures = 0
        for bucket in buckets where bucket.start.addingTimeInterval(width) > horizon {
            total += bucket.successes + bucket.failures
            failures += bucket.failures
        }
        return (total, failures)
    }

    /// Counts one outcome at `now`, forgetting buckets older than `span`.
    mutating func record(success: Bool, now: Date, span: Duration) {
        let width = max(span.timeInterval / 10, 0.001)
        let horizon = now.addingTimeInterval(-span.timeInterval)
        while let first = buckets.first, first.start.addingTimeInterval(width) <= horizon {
            total -= first.successes + first.failures
            failures -= first.failures
            buckets.removeFirst()
        }
        if buckets.isEmpty || now >= buckets[buckets.count - 1].start.addingTimeInterval(width) {
            buckets.append(Bucket(start: now))
        }
        if success {
            buckets[buckets.count - 1].successes += 1
        } else {
            buckets[buckets.count - 1].failures += 1
            failures += 1
        }
        total += 1
    }
}
