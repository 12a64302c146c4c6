import Foundation

/// A source of wall-clock time that can also suspend until a deadline.
public protocol HooklineClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Suspends until `deadline` has passed; throws `CancellationError` when cancelled.
    func sleep(until deadline: Date) async throws
}
