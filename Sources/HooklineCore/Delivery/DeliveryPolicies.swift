import Foundation

/// Decides when a failed delivery is tried again, or that it is exhausted.
///
/// The first attempt is immediate; after the n-th failed attempt the delivery waits `schedule[n-1]`
/// scaled by a random factor in `1 ± jitter`. A `Retry-After` hint is honoured but clamped to
/// `[scheduled, 2 × scheduled]`, and overload answers (429, timeouts) wait at least `overloadMinimum`.
package struct RetryPolicy: Sendable, Equatable {
    /// Svix's default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
    package static let defaultSchedule: [Duration] = [
        .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18000), .seconds(36000),
        .seconds(36000),
    ]

    /// Delays before the 2nd, 3rd, … attempts.
    package var schedule: [Duration]
    /// The relative jitter applied to each delay, 0.2 meaning ±20%.
    package var jitter: Double
    /// The least wait after a 429 or a timeout.
    package var overloadMinimum: Duration

    /// Creates a policy; defaults: Svix's schedule, ±20% jitter, 60 s after overload.
    package init(schedule: [Duration] = RetryPolicy.defaultSchedule, jitter: Double = 0.2, overloadMinimum: Duration = .seconds(60)) {
        self.schedule = schedule
        self.jitter = jitter
        self.overloadMinimum = overloadMinimum
    }

    /// The total number of attempts a delivery gets.
    package var maxAttempts: Int { schedule.count + 1 }

    /// The wait before the next attempt after `attempts` failed ones, or `nil` when exhausted.
    package func delay(
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
package struct RetryHint: Sendable, Equatable {
    /// The receiver's `Retry-After`, if any.
    package var retryAfter: Duration?
    /// Whether the answer signals overload (429 or a timeout).
    package var overloaded: Bool

    /// Creates a hint; by default, no preference.
    package init(retryAfter: Duration? = nil, overloaded: Bool = false) {
        self.retryAfter = retryAfter
        self.overloaded = overloaded
    }
}

/// Parses a `Retry-After` value: delta seconds or an HTTP date.
package enum RetryAfter {
    /// The wait `value` asks for at `now`, or `nil` when it is malformed or in the past.
    package static func parse(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        let interval = date.timeIntervalSince(now)
        return interval > 0 ? .milliseconds(Int64(interval * 1000)) : nil
    }
}

/// Parses human durations such as `250ms`, `5s`, `5m`, `2h`, `1d` and comma lists of them.
package enum DurationList {
    /// Parses one duration.
    package static func parseOne(_ text: String) throws -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            if let value = Double(number), value >= 0, value.isFinite {
                return .milliseconds(Int64((value * scale * 1000).rounded()))
            }
        }
        throw HooklineError(.validation, "'\(trimmed)' is not a duration such as 250ms, 5s, 5m, 2h or 1d")
    }

    /// Parses a comma-separated list of durations.
    package static func parse(_ text: String) throws -> [Duration] {
        try text.split(separator: ",").map { try parseOne(String($0)) }
    }
}

/// Decides when an endpoint that keeps failing is disabled (pure logic; `CompletionPlan.resolve` applies it
/// to what the store read in the completion transaction).
///
/// An endpoint carries the start of its unbroken failure streak (`failingSince`): set by the first
/// failed attempt after a success, cleared by any successful attempt. When a delivery exhausts its
/// retries and the streak is at least `window` old, the endpoint is disabled. A zero window never
/// disables.
package struct AutoDisablePolicy: Sendable, Equatable {
    /// Svix's default: 5 days.
    package static let defaultWindow: Duration = .seconds(5 * 86400)

    /// How long an endpoint must have failed without a success before an exhausted delivery disables it.
    package var window: Duration

    /// Creates a policy; default window 5 days; `.zero` never disables.
    package init(window: Duration = AutoDisablePolicy.defaultWindow) {
        self.window = window
    }

    /// Whether the policy can disable anything.
    package var isEnabled: Bool { window > .zero }

    /// The value an exhausting outcome carries (`DeliveryOutcome.autoDisableAfter`): the window, or `nil` when disabled.
    package var outcomeWindow: Duration? { isEnabled ? window : nil }

    /// The streak start after an attempt at `time`: kept while failing, started by a first failure, cleared by a success.
    package static func streakStart(current: Date?, attemptSucceeded: Bool, at time: Date) -> Date? {
        if attemptSucceeded { return nil }
        return current ?? time
    }

    /// Whether an exhausted delivery at `now` disables an endpoint failing since `failingSince`.
    package func shouldDisable(failingSince: Date?, exhausted: Bool, now: Date) -> Bool {
        guard isEnabled, exhausted, let failingSince else { return false }
        return now.timeIntervalSince(failingSince) >= window.timeInterval
    }
}
