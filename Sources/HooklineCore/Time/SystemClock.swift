import Foundation

/// The real clock: `Date()` and `Task.sleep`.
public struct SystemClock: HooklineClock {
    /// Creates the system clock.
    public init() {}

    /// The current time.
    public func now() -> Date { Date() }

    /// Sleeps until `deadline`.
    public func sleep(until deadline: Date) async throws {
        let interval = deadline.timeIntervalSinceNow
        guard interval > 0 else { return }
        try await Task.sleep(for: .milliseconds(Int64((interval * 1000).rounded(.up))))
    }
}
