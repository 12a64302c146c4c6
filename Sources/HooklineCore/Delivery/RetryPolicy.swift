import Foundation

/// Decides when a failed delivery is tried again, or that it is exhausted.
///
/// The first attempt is immediate; after the n-th failed attempt the delivery waits `schedule[n-1]`
/// scaled by a random factor in `1 ± jitter`. A `Retry-After` hint is honoured but clamped to
/// `[scheduled, 2 × scheduled]`, and overload answers (429, timeouts) wait at least `overloadMinimum`.
public struct RetryPolicy: Sendable, Equatable {
    /// Svix's default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
    public static let defaultSchedule: [Duration] = [
        .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18000), .seconds(36000),
        .seconds(36000),
    ]

    /// Delays before the 2nd, 3rd, … attempts.
    public var schedule: [Duration]
    /// The relative jitter applied to each delay, 0.2 meaning ±20%.
    public var jitter: Double
    /// The least wait after a 429 or a timeout.
    public var overloadMinimum: Duration

    /// Creates a policy; defaults: Svix's schedule, ±20% jitter, 60 s after overload.
    public init(schedule: [Duration] = RetryPolicy.defaultSchedule, jitter: Double = 0.2, overloadMinimum: Duration = .seconds(60)) {
        self.schedule = schedule
        self.jitter = jitter
        self.overloadMinimum = overloadMinimum
    }

    /// The total number of attempts a delivery gets.
    public var maxAttempts: Int { schedule.count + 1 }

    /// The wait before the next attempt after `attempts` failed ones, or `nil` when exhausted.
    public func delay(
        afterAttempts attempts: Int, hint: RetryHint = RetryHint(),
        using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        guard attempts >= 1, attempts <= schedule.count else { return nil }
        let base = schedule[attempts - 1].timeInterval
        let factor = jitter > 0 ? Double.random(in: (1 - jitter)...(1 + jitter), using: &generator) : 1
        var seconds = base * factor
        if let retryAfter = hint.retryAfter?.timeInterval {
            seconds = min(max(retryAfter, seconds), 2 * seconds)
        }
        if hint.overloaded {
            seconds = max(seconds, overloadMinimum.timeInterval)
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

/// What the receiver's answer says about retrying.
public struct RetryHint: Sendable, Equatable {
    /// The receiver's `Retry-After`, if any.
    public var retryAfter: Duration?
    /// Whether the answer signals overload (429 or a timeout).
    public var overloaded: Bool

    /// Creates a hint; by default, no preference.
    public init(retryAfter: Duration? = nil, overloaded: Bool = false) {
        self.retryAfter = retryAfter
        self.overloaded = overloaded
    }
}
