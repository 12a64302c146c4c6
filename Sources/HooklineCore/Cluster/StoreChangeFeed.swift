/// What another node committed that this node should react to.
public struct StoreChange: Hashable, Sendable, CustomStringConvertible {
    /// The change's wire name, as carried by a notification.
    public let rawValue: String

    /// Wraps a wire name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Deliveries became due (new messages, retries, resend, recover): wake the delivery engine.
    public static let deliveriesDue = StoreChange(rawValue: "deliveries")
    /// Events were appended to the event log: wake the broadcaster.
    public static let eventsAppended = StoreChange(rawValue: "events")
    /// Inbound requests were stored or re-queued: wake the inbound router.
    public static let inboundPending = StoreChange(rawValue: "inbound")
    /// A background task was created: wake the task runner.
    public static let tasksQueued = StoreChange(rawValue: "tasks")

    /// The wire name.
    public var description: String { rawValue }
}

/// Commits made by other processes on the same database, delivered to this node as they happen.
///
/// A single-process store (SQLite) has none; a shared store (PostgreSQL) implements it with LISTEN/NOTIFY.
/// Delivery is best-effort: every consumer also polls, so a lost notification only delays work.
public protocol StoreChangeFeed: Sendable {
    /// Listens until cancelled, calling `handler` for each change; reconnects by itself after failures.
    func listen(_ handler: @escaping @Sendable (StoreChange) -> Void) async throws
}
