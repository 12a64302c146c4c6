import Logging
import ServiceLifecycle

/// Turns changes committed by other nodes into this node's wake-ups (engine, stream, inbound router, tasks).
public struct ChangeFeedRelay: Service {
    /// The signals raised per change.
    public struct Targets: Sendable {
        /// Raised for `deliveriesDue`.
        public var deliveries: WakeSignal
        /// Raised for `eventsAppended`.
        public var events: WakeSignal
        /// Raised for `inboundPending`.
        public var inbound: WakeSignal
        /// Raised for `tasksQueued`.
        public var tasks: WakeSignal

        /// Creates the targets.
        public init(deliveries: WakeSignal, events: WakeSignal, inbound: WakeSignal, tasks: WakeSignal) {
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
    public init(feed: any StoreChangeFeed, targets: Targets, logger: Logger) {
        self.feed = feed
        self.targets = targets
        self.logger = logger
    }

    /// Listens until shutdown; the feed reconnects by itself, and consumers also poll, so a failure here only delays work.
    public func run() async {
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
