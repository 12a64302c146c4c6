import Foundation
import HooklineCore
import Logging
import ServiceLifecycle
import Synchronization

/// Logs a graceful shutdown: `draining` when SIGINT/SIGTERM arrives (what is leased and due), `stopped` once every
/// service has finished (how long the drain took, the attempts it finished, what is left for the next start).
///
/// It runs as the last service of the group, so it hears the shutdown first.
final class ShutdownReport<Store: HooklineStore>: Service, Sendable {
    private let store: Store
    private let logger: Logger
    private let drainStarted = Mutex<Date?>(nil)

    /// A report over `store`'s queue and event log.
    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Waits for the graceful shutdown and logs that the node is draining.
    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled: the group is failing, not draining
        }
        let now = Date()
        drainStarted.withLock { $0 = now }
        var metadata: Logger.Metadata = [:]
        if let depth = try? await store.queueDepth(now: now) {
            metadata = ["leased": "\(depth.inFlight)", "due": "\(depth.due)", "scheduled": "\(depth.scheduled)"]
        }
        logger.info("shutting down: draining in-flight deliveries", metadata: metadata)
    }

    /// Logs that the node stopped, with what the drain finished and what waits for the next start.
    func stopped() async {
        guard let started = drainStarted.withLock({ $0 }) else { return }
        let now = Date()
        var metadata: Logger.Metadata = ["drain_ms": "\(Int((now.timeIntervalSince(started) * 1000).rounded()))"]
        if let stats = try? await store.eventStatistics(since: started) {
            metadata["attempts_finished"] = "\(stats.counts[.attemptMade] ?? 0)"
            metadata["succeeded"] = "\(stats.counts[.deliverySucceeded] ?? 0)"
            metadata["retrying"] = "\(stats.counts[.deliveryFailed] ?? 0)"
        }
        if let depth = try? await store.queueDepth(now: now) {
            metadata["left_due"] = "\(depth.due)"
            metadata["left_scheduled"] = "\(depth.scheduled)"
            metadata["left_leased"] = "\(depth.inFlight)"
        }
        logger.info("stopped", metadata: metadata)
    }
}
