import Foundation

/// A per-endpoint circuit breaker as a pure state machine; see `docs/delivery-states.md`.
///
/// Closed: every outcome is counted in a sliding window. It opens after `consecutiveFailures`
/// failures in a row, or when at least `minimumCalls` outcomes in the window fail at `failureRatio`
/// or worse. Open: nothing is sent until `openDuration` passes. Half-open: one probe is let
/// through; its success closes the breaker, its failure opens it again.
package struct CircuitBreaker: Sendable, Equatable {
    /// When the breaker trips and how long it stays open.
    package struct Configuration: Sendable, Equatable {
        /// Failures in a row that open the breaker.
        package var consecutiveFailures: Int
        /// The failure ratio over the window that opens the breaker.
        package var failureRatio: Double
        /// Outcomes the window needs before the ratio counts.
        package var minimumCalls: Int
        /// The length of the sliding window.
        package var window: Duration
        /// How long the breaker stays open before a probe.
        package var openDuration: Duration

        /// Creates a configuration; defaults: 10 in a row, or 50% of at least 20 calls in 60 s; open for 30 s.
        package init(
            consecutiveFailures: Int = 10, failureRatio: Double = 0.5, minimumCalls: Int = 20, window: Duration = .seconds(60),
            openDuration: Duration = .seconds(30)
        ) {
            self.consecutiveFailures = consecutiveFailures
            self.failureRatio = failureRatio
            self.minimumCalls = minimumCalls
            self.window = window
            self.openDuration = openDuration
        }
    }

    /// Where the breaker stands.
    package enum State: Sendable, Equatable {
        /// Deliveries flow.
        case closed
        /// Deliveries wait until the date.
        case open(until: Date)
        /// One probe is in flight.
        case halfOpen
    }

    /// What the caller may do with the next delivery.
    package enum Decision: Sendable, Equatable {
        /// Send it.
        case send
        /// Send it as the half-open probe.
        case probe
        /// Defer it to this time without spending an attempt.
        case deferUntil(Date)
    }

    /// The configuration in force.
    package let configuration: Configuration
    /// The current state.
    package private(set) var state: State = .closed
    /// When the state last changed; `nil` while it has been closed since the breaker was created.
    package private(set) var changedAt: Date?
    private var window = OutcomeWindow()
    private var failuresInARow = 0

    /// Failures in a row since the last success (kept while open, reset when the breaker closes).
    package var consecutiveFailures: Int { failuresInARow }

    /// Outcomes and failures in the sliding window as of `now` (the window restarts when the breaker closes).
    package func recentOutcomes(now: Date) -> (total: Int, failures: Int) {
        window.counts(now: now, span: configuration.window)
    }

    /// Creates a closed breaker.
    package init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Whether a delivery may go now.
    package mutating func decide(now: Date) -> Decision {
        switch state {
        case .closed:
            return .send
        case .open(let until) where now >= until:
            move(to: .halfOpen, now: now)
            return .probe
        case .open(let until):
            return .deferUntil(until)
        case .halfOpen:
            return .deferUntil(now.adding(configuration.openDuration))
        }
    }

    /// Records an outcome; returns true when this outcome changed the state.
    @discardableResult
    package mutating func record(success: Bool, now: Date) -> Bool {
        let before = state
        switch state {
        case .halfOpen where success:
            // Counters restart with the closed state; until then they describe the failures that opened it.
            move(to: .closed, now: now)
            window = OutcomeWindow()
            failuresInARow = 0
        case .halfOpen:
            move(to: .open(until: now.adding(configuration.openDuration)), now: now)
            failuresInARow += 1
        case .open:
            break
        case .closed:
            window.record(success: success, now: now, span: configuration.window)
            failuresInARow = success ? 0 : failuresInARow + 1
            let ratioTrips =
                window.total >= configuration.minimumCalls
                && Double(window.failures) / Double(window.total) >= configuration.failureRatio
            if failuresInARow >= configuration.consecutiveFailures || ratioTrips {
                move(to: .open(until: now.adding(configuration.openDuration)), now: now)
            }
        }
        return before != state
    }

    private mutating func move(to next: State, now: Date) {
        state = next
        changedAt = now
    }

    /// Equal when state and counters agree.
    package static func == (lhs: CircuitBreaker, rhs: CircuitBreaker) -> Bool {
        lhs.state == rhs.state && lhs.failuresInARow == rhs.failuresInARow && lhs.window.total == rhs.window.total
    }
}
