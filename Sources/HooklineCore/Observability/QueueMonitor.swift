import Foundation
import Logging
import ServiceLifecycle

/// Samples the queue depth into gauges at a fixed interval, for dashboards and autoscaling.
public struct QueueMonitor<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// How often the queue is sampled.
    public struct Configuration: Sendable {
        /// The sampling interval.
        public var interval: Duration

        /// Creates a configuration; default: every 5 s.
        public init(interval: Duration = .seconds(5)) {
            self.interval = interval
        }
    }

    let configuration: Configuration
    let store: Store
    let clock: Clock
    let metrics: HooklineMetrics
    let logger: Logger

    /// Creates a monitor.
    public init(configuration: Configuration = .init(), store: Store, clock: Clock, metrics: HooklineMetrics, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// Samples until shutdown.
    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = clock.now()
                do {
                    let depth = try await store.queueDepth(now: now)
                    metrics.queueDue.record(depth.due)
                    metrics.queueScheduled.record(depth.scheduled)
                    metrics.queueInFlight.record(depth.inFlight)
                } catch {
                    logger.warning("sampling the queue depth failed", metadata: ["error": "\(error)"])
                }
                try? await clock.sleep(until: now.adding(configuration.interval))
            }
        }
    }
}
