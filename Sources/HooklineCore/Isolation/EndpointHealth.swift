import Foundation

/// What one node's governor knows of an endpoint right now: circuit state, recent failures, load.
package struct EndpointHealth: Sendable, Equatable {
    /// The circuit breaker's state, as the API names it.
    package enum Circuit: String, Sendable, Equatable {
        /// Deliveries flow.
        case closed
        /// Deliveries wait until `openUntil`.
        case open
        /// One probe delivery is in flight; its outcome closes or re-opens the circuit.
        case halfOpen = "half-open"
    }

    /// The breaker's state on this node.
    package var circuit: Circuit
    /// When the breaker entered that state; `nil` when it has been closed since the node started.
    package var since: Date?
    /// When an open breaker lets a probe through.
    package var openUntil: Date?
    /// Failed attempts in a row since the last success.
    package var consecutiveFailures: Int
    /// Attempts counted in the breaker's sliding window.
    package var recentAttempts: Int
    /// Failed attempts among them.
    package var recentFailures: Int
    /// Deliveries to the endpoint in flight on this node.
    package var inFlight: Int
    /// The throttle in messages per second this node applies (its share of the configured rate), if any.
    package var throttleRate: Double?
    /// When a circuit another node opened for this endpoint closes, if one is open.
    package var openElsewhereUntil: Date?

    /// `recentFailures / recentAttempts`, or `nil` when the window is empty.
    package var failureRatio: Double? {
        recentAttempts == 0 ? nil : Double(recentFailures) / Double(recentAttempts)
    }

    /// Creates a snapshot.
    package init(
        circuit: Circuit, since: Date? = nil, openUntil: Date? = nil, consecutiveFailures: Int = 0, recentAttempts: Int = 0,
        recentFailures: Int = 0, inFlight: Int = 0, throttleRate: Double? = nil, openElsewhereUntil: Date? = nil
    ) {
        self.circuit = circuit
        self.since = since
        self.openUntil = openUntil
        self.consecutiveFailures = consecutiveFailures
        self.recentAttempts = recentAttempts
        self.recentFailures = recentFailures
        self.inFlight = inFlight
        self.throttleRate = throttleRate
        self.openElsewhereUntil = openElsewhereUntil
    }
}

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
