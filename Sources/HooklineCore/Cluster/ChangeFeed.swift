import Logging
import ServiceLifecycle

/// What another node committed that this node should react to.
package struct StoreChange: Hashable, Sendable, CustomStringConvertible {
    /// The change's wire name, as carried by a notification.
    package let rawValue: String

    /// Wraps a wire name.
    package init(rawValue: String) { self.rawValue = rawValue }

    /// Deliveries became due (new messages, retries, resend, recover): wake the delivery engine.
    package static let deliveriesDue = StoreChange(rawValue: "deliveries")
    /// Events were appended to the event log: wake the broadcaster.
    package static let eventsAppended = StoreChange(rawValue: "events")
    /// Inbound requests were stored or re-queued: wake the inbound router.
    package static let inboundPending = StoreChange(rawValue: "inbound")
    /// A background task was created: wake the task runner.
    package static let tasksQueued = StoreChange(rawValue: "tasks")

    /// The wire name.
    package var description: String { rawValue }
}

/// Commits made by other processes on the same database, delivered to this node as they happen.
///
/// A single-process store (SQLite) has none; a shared store (PostgreSQL) implements it with LISTEN/NOTIFY.
/// Delivery is best-effort: every consumer also polls, so a lost notification only delays work.
package protocol StoreChangeFeed: Sendable {
    /// Listens until cancelled, calling `handler` for each change; reconnects by itself after failures.
    func listen(_ handler: @escaping @Sendable (StoreChange) -> Void) async throws
}

/// Turns changes committed by other nodes into this node's wake-ups (engine, stream, inbound router, tasks).
package struct ChangeFeedRelay: Service {
    /// The signals raised per change.
    package struct Targets: Sendable {
        /// Raised for `deliveriesDue`.
        package var deliveries: WakeSignal
        /// Raised for `eventsAppended`.
        package var events: WakeSignal
        /// Raised for `inboundPending`.
        package var inbound: WakeSignal
        /// Raised for `tasksQueued`.
        package var tasks: WakeSignal

        /// Creates the targets.
        package init(deliveries: WakeSignal, events: WakeSignal, inbound: WakeSignal, tasks: WakeSignal) {
            self.deliveries = deliveries
            self.events = events
            self.inbound = inbound
            self.tasks = tasks
        }
    }

    let feed: any StoreChangeFeed
    let targets: Targets
    let logger: Logger

    /// Creates a relay from `feed` to `targets`.
    package init(feed: any StoreChangeFeed, targets: Targets, logger: Logger) {
        self.feed = feed
        self.targets = targets
        self.logger = logger
    }

    /// Listens until shutdown; the feed reconnects by itself, and consumers also poll, so a failure here only delays work.
    package func run() async {
        let targets = targets
        let logger = logger
        do {
            try await cancelWhenGracefulShutdown {
                try await feed.listen { change in
                    logger.trace("change from another node", metadata: ["change": "\(change)"])
                    switch change {
                    case .deliveriesDue: targets.deliveries.signal()
                    case .eventsAppended: targets.events.signal()
                    case .inboundPending: targets.inbound.signal()
                    case .tasksQueued: targets.tasks.signal()
                    default: break
                    }
                }
            }
        } catch is CancellationError {
            return
        } catch {
            if !Task.isCancelled { logger.error("change feed stopped", metadata: ["error": "\(error)"]) }
        }
    }
}
