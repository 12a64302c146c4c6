import Foundation
import Logging
import ServiceLifecycle

/// Purges payloads of finished messages and old attempt bodies, in small batches, on a schedule.
///
/// Message rows, attempt rows and a payload size summary are kept; only the bulky bytes go.
package struct RetentionService<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// What is kept and how often the sweep runs.
    package struct Configuration: Sendable {
        /// How long payloads and response bodies are kept.
        package var retention: Duration
        /// Time between sweeps.
        package var interval: Duration
        /// Rows changed per transaction, so the writer is never held for long.
        package var batchSize: Int
        /// How long the stream's event log is kept (resume with an older id gets a `stream.gap` event); default 24 h.
        package var eventRetention: Duration = .seconds(24 * 3600)
        /// Who this service is when it leases the sweep, so one node of a cluster sweeps; default this process.
        package var leaseHolder: String = ClusterLease.processHolder

        /// Creates a configuration; defaults: keep 30 days, sweep hourly, 500 rows per batch.
        package init(retention: Duration = .seconds(30 * 86400), interval: Duration = .seconds(3600), batchSize: Int = 500) {
            self.retention = retention
            self.interval = interval
            self.batchSize = batchSize
        }
    }

    let configuration: Configuration
    let store: Store
    let clock: Clock
    let metrics = HooklineMetrics()
    let logger: Logger

    /// Creates a retention service.
    package init(configuration: Configuration = .init(), store: Store, clock: Clock, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Sweeps now and then every `interval` until shutdown.
    package func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = clock.now()
                do {
                    let lease = ClusterLease(
                        name: "retention", holder: configuration.leaseHolder, now: started,
                        until: started.adding(configuration.interval + configuration.interval))
                    if try await store.acquireLease(lease) {
                        let summary = try await sweep(now: started)
                        if summary.payloads + summary.responses > 0 {
                            logger.info("retention purged", metadata: ["payloads": "\(summary.payloads)", "responses": "\(summary.responses)"])
                        }
                    } else {
                        logger.debug("retention sweep left to the node holding its lease")
                    }
                } catch {
                    logger.warning("retention sweep failed", metadata: ["error": "\(error)"])
                }
                try? await clock.sleep(until: started.adding(configuration.interval))
            }
        }
    }

    /// Purges everything older than the retention period at `now`, batch by batch.
    package func sweep(now: Date) async throws -> RetentionSummary {
        let cutoff = now.adding(.zero - configuration.retention)
        var summary = RetentionSummary(payloads: 0, payloadBytes: 0, responses: 0)
        while !Task.isCancelled {
            let purged = try await store.purgePayloads(createdBefore: cutoff, limit: configuration.batchSize, now: now)
            summary.payloads += purged
            metrics.payloadsPurged.increment(by: purged)
            if purged < configuration.batchSize { break }
            await Task.yield()
        }
        while !Task.isCancelled {
            let purged = try await store.purgeAttemptResponses(before: cutoff, limit: configuration.batchSize)
            summary.responses += purged
            metrics.responsesPurged.increment(by: purged)
            if purged < configuration.batchSize { break }
            await Task.yield()
        }
        let eventCutoff = now.adding(.zero - configuration.eventRetention)
        while !Task.isCancelled {
            let pruned = try await store.deleteEvents(before: eventCutoff, limit: configuration.batchSize * 10)
            if pruned < configuration.batchSize * 10 { break }
            await Task.yield()
        }
        // Expired tenant-portal tokens open nothing any more; their rows go at once.
        _ = try await store.deletePortalTokens(expiredBefore: now)
        return summary
    }
}
