import Foundation

/// Decides when an endpoint that keeps failing is disabled (pure logic; `CompletionPlan.resolve` applies it
/// to what the store read in the completion transaction).
///
/// An endpoint carries the start of its unbroken failure streak (`failingSince`): set by the first
/// failed attempt after a success, cleared by any successful attempt. When a delivery exhausts its
/// retries and the streak is at least `window` old, the endpoint is disabled. A zero window never
/// disables.
public struct AutoDisablePolicy: Sendable, Equatable {
    /// Svix's default: 5 days.
    public static let defaultWindow: Duration = .seconds(5 * 86400)

    /// How long an endpoint must have failed without a success before an exhausted delivery disables it.
    public var window: Duration

    /// Creates a policy; default window 5 days; `.zero` never disables.
    public init(window: Duration = AutoDisablePolicy.defaultWindow) {
        self.window = window
    }

    /// Whether the policy can disable anything.
    public var isEnabled: Bool { window > .zero }

    /// The value an exhausting outcome carries (`DeliveryOutcome.autoDisableAfter`): the window, or `nil` when disabled.
    public var outcomeWindow: Duration? { isEnabled ? window : nil }

    /// The streak start after an attempt at `time`: kept while failing, started by a first failure, cleared by a success.
    public static func streakStart(current: Date?, attemptSucceeded: Bool, at time: Date) -> Date? {
        if attemptSucceeded { return nil }
        return current ?? time
    }

    /// Whether an exhausted delivery at `now` disables an endpoint failing since `failingSince`.
    public func shouldDisable(failingSince: Date?, exhausted: Bool, now: Date) -> Bool {
        guard isEnabled, exhausted, let failingSince else { return false }
        return now.timeIntervalSince(failingSince) >= window.timeInterval
    }
}
