import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Hookline's own metrics, created on whatever `MetricsSystem` backend was bootstrapped.
package struct HooklineMetrics: Sendable {
    /// Messages accepted and committed.
    package let messagesCreated = Counter(label: "hookline_messages_created_total")
    /// Delivery rows created by routing.
    package let deliveriesCreated = Counter(label: "hookline_deliveries_created_total")
    /// Fresh deliveries leased in their message's commit and started from memory, without a claim.
    package let deliveriesLeasedAtCommit = Counter(label: "hookline_deliveries_leased_at_commit_total")
    /// Deliveries that reached a 2xx.
    package let deliveriesSucceeded = Counter(label: "hookline_delivery_outcomes_total", dimensions: [("outcome", "succeeded")])
    /// Failed attempts that were rescheduled.
    package let deliveriesRetried = Counter(label: "hookline_delivery_outcomes_total", dimensions: [("outcome", "retry")])
    /// Deliveries that exhausted their schedule (dead letters).
    package let deliveriesFailed = Counter(label: "hookline_delivery_outcomes_total", dimensions: [("outcome", "failed")])
    /// Deliveries dropped because their endpoint is gone.
    package let deliveriesCanceled = Counter(label: "hookline_delivery_outcomes_total", dimensions: [("outcome", "canceled")])
    /// Deliveries set aside (`skipped`) because their endpoint is disabled.
    package let deliveriesSkipped = Counter(label: "hookline_delivery_outcomes_total", dimensions: [("outcome", "skipped")])
    /// Attempts the network policy refused before connecting (an address `--allow-network` does not cover).
    package let deliveriesRefused = Counter(label: "hookline_delivery_refusals_total")
    /// How long one HTTP attempt took.
    package let attemptDuration = Timer(label: "hookline_attempt_duration_seconds")
    /// From acceptance of a message to its 2xx at an endpoint.
    package let endToEndLatency = Timer(label: "hookline_end_to_end_latency_seconds")
    /// How long each group commit of new messages took, from the store call to its durable return.
    package let ingestCommitDuration = Timer(label: "hookline_ingest_commit_seconds")
    /// Group commits of new messages (messages per commit: `hookline_messages_created_total` ÷ this).
    package let ingestCommits = Counter(label: "hookline_ingest_commits_total")
    /// Deliveries due now and waiting for a worker.
    package let queueDue = Gauge(label: "hookline_queue_depth", dimensions: [("state", "due")])
    /// Deliveries waiting for a later retry or `deliverAt`.
    package let queueScheduled = Gauge(label: "hookline_queue_depth", dimensions: [("state", "scheduled")])
    /// Deliveries leased by an engine.
    package let queueInFlight = Gauge(label: "hookline_queue_depth", dimensions: [("state", "in_flight")])
    /// Endpoints whose circuit is open or half-open on this node.
    package let openCircuits = Gauge(label: "hookline_open_circuits")
    /// Message payloads removed by retention.
    package let payloadsPurged = Counter(label: "hookline_retention_purged_total", dimensions: [("kind", "payload")])
    /// Attempt response bodies removed by retention.
    package let responsesPurged = Counter(label: "hookline_retention_purged_total", dimensions: [("kind", "response")])
    /// Messages deleted by retention, with their deliveries and attempts.
    package let messagesPurged = Counter(label: "hookline_retention_purged_total", dimensions: [("kind", "message")])

    /// Creates the metric handles.
    package init() {}

    /// Counts one outcome.
    package func record(_ next: DeliveryOutcome.Next) {
        switch next {
        case .succeeded: deliveriesSucceeded.increment()
        case .retry: deliveriesRetried.increment()
        case .failed: deliveriesFailed.increment()
        case .canceled: deliveriesCanceled.increment()
        case .skipped: deliveriesSkipped.increment()
        }
    }
}

extension Timer {
    /// Records a `TimeInterval` in seconds, clamped at zero.
    func recordInterval(_ seconds: TimeInterval) {
        recordNanoseconds(Int64(max(0, seconds) * 1_000_000_000))
    }
}

/// Samples the queue depth into gauges at a fixed interval, for dashboards and autoscaling.
package struct QueueMonitor<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// How often the queue is sampled.
    package struct Configuration: Sendable {
        /// The sampling interval.
        package var interval: Duration

        /// Creates a configuration; default: every 5 s.
        package init(interval: Duration = .seconds(5)) {
            self.interval = interval
        }
    }

    let configuration: Configuration
    let store: Store
    let clock: Clock
    let metrics: HooklineMetrics
    let logger: Logger

    /// Creates a monitor.
    package init(configuration: Configuration = .init(), store: Store, clock: Clock, metrics: HooklineMetrics, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// Samples until shutdown.
    package func run() async {
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
