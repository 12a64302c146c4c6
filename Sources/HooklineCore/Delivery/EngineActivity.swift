import Foundation
import Synchronization

/// When the delivery engine last started an attempt: the signal the readiness check reads to spot a stall.
public final class EngineActivity: Sendable {
    private let startedAt = Atomic<Int64>(0)
    private let lastAttemptAt = Atomic<Int64>(0)

    /// Creates an activity record for an engine that has not started yet.
    public init() {}

    /// Notes that the engine's claim loop started at `now`.
    public func markStarted(_ now: Date) {
        startedAt.store(now.millisecondsSince1970, ordering: .relaxed)
    }

    /// Notes that an attempt (or a deferral decision) began at `now`.
    public func markAttempt(_ now: Date) {
        lastAttemptAt.store(now.millisecondsSince1970, ordering: .relaxed)
    }

    /// When the engine started, or `nil` before it runs.
    public var started: Date? { Self.date(startedAt.load(ordering: .relaxed)) }

    /// The last time the engine moved a delivery forward, or its start when it has not yet; `nil` before it runs.
    public var lastProgress: Date? {
        Self.date(max(lastAttemptAt.load(ordering: .relaxed), startedAt.load(ordering: .relaxed)))
    }

    private static func date(_ milliseconds: Int64) -> Date? {
        milliseconds == 0 ? nil : Date(millisecondsSince1970: milliseconds)
    }
}
