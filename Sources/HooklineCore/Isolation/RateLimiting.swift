import Foundation

/// A token bucket: `rate` tokens per second, holding at most `burst`; pure state, time passed in.
package struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second.
    package let rate: Double
    /// The most tokens the bucket holds.
    package let burst: Double
    private(set) var tokens: Double
    private(set) var updatedAt: Date

    /// Creates a full bucket at `now`; `burst` defaults to one second's worth (at least 1).
    package init(rate: Double, burst: Double? = nil, now: Date) {
        self.rate = max(rate, 0.000_001)
        self.burst = max(burst ?? rate, 1)
        self.tokens = self.burst
        self.updatedAt = now
    }

    /// Takes one token if available; otherwise returns when the next token will be, without taking it.
    package mutating func take(now: Date) -> Date? {
        refill(now: now)
        if tokens >= 1 - 1e-6 {
            tokens = max(0, tokens - 1)
            return nil
        }
        return now.addingTimeInterval((1 - tokens) / rate)
    }

    private mutating func refill(now: Date) {
        let elapsed = now.timeIntervalSince(updatedAt)
        if elapsed > 0 {
            tokens = min(burst, tokens + elapsed * rate)
            updatedAt = now
        }
    }
}

/// What one node knows of its cluster: how many nodes share the work, and which circuits others opened.
package struct ClusterView: Sendable, Equatable {
    /// Live nodes, this one included (at least 1).
    package var size: Int
    /// Endpoints whose circuit another node opened, with when it closes.
    package var openCircuits: [String: Date]

    /// Creates a view; by default a single node with no remote circuits.
    package init(size: Int = 1, openCircuits: [String: Date] = [:]) {
        self.size = max(1, size)
        self.openCircuits = openCircuits
    }

    /// This node's share of a cluster-wide per-endpoint rate.
    package func share(ofRate rate: Int) -> Double { Double(rate) / Double(size) }

    /// This node's share of a cluster-wide per-endpoint in-flight cap (at least one).
    package func share(ofCap cap: Int) -> Int { max(1, cap / size) }
}
