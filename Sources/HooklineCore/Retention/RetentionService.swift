import Foundation
import Logging
import ServiceLifecycle

/// Applies retention in small batches on a schedule: deletes finished messages past the history retention with their
/// deliveries and attempts, then empties payloads and attempt bodies past the (shorter) payload retention.
///
/// Between the two a message row, its attempts and its payload size are kept without the bulky bytes.
package struct RetentionService<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// What is kept and how often the sweep runs.
    package struct Configuration: Sendable {
        /// How long payloads and response bodies are kept.
        package var retention: Duration
        /// Time between sweeps.
        package var interval: Duration
        /// Rows changed per transaction, so the writer is never held for long.
        package var batchSize: Int
        /// How long finished messages, their deliveries and attempts are kept at all; `nil` keeps them forever. Default 90 days.
        package var historyRetention: Duration? = .seconds(90 * 86400)
        /// Messages deleted per transaction (each takes its deliveries and attempts along); default 100.
        package var messageBatchSize = 100
        /// The share of time deleting messages may take: after each batch the sweep waits on the clock for the batch's
        /// duration × (1 ÷ share − 1), leaving the writer and the CPU to ingest the rest of the time; 1 never waits.
        /// Default 0.5.
        package var purgeShare = 0.5
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
                        if summary.messages + summary.inboundRequests + summary.payloads + summary.responses > 0 {
                            logger.info(
                                "retention purged",
                                metadata: [
                                    "messages": "\(summary.messages)", "inboundRequests": "\(summary.inboundRequests)",
                                    "payloads": "\(summary.payloads)",
                                    "responses": "\(summary.responses)",
                                ])
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

    /// Waits on the clock so that deleting messages takes at most `purgeShare` of the time (see `Configuration`).
    private func pause(after busy: Duration) async throws {
        let share = min(1, max(0.01, configuration.purgeShare))
        guard share < 1 else { return await Task.yield() }
        try await clock.sleep(until: clock.now().adding(busy * (1 / share - 1)))
    }

    /// Purges everything older than the retention period at `now`, batch by batch.
    package func sweep(now: Date) async throws -> RetentionSummary {
        let cutoff = now.adding(.zero - configuration.retention)
        var summary = RetentionSummary(payloads: 0, payloadBytes: 0, responses: 0)
        // Expired rows go first, so their payloads are not emptied just before the rows are deleted.
        let historyCutoff = configuration.historyRetention.map { now.adding(.zero - $0) }
        if let historyCutoff {
            while !Task.isCancelled {
                let started = ContinuousClock.now
                let deleted = try await store.purgeMessages(before: historyCutoff, limit: configuration.messageBatchSize)
                summary.messages += deleted
                metrics.messagesPurged.increment(by: deleted)
                if deleted < configuration.messageBatchSize { break }
                try await pause(after: started.duration(to: .now))
            }
            // Stored inbound requests (bodies included) go with the history they fed, paced the same way.
            while !Task.isCancelled {
                let started = ContinuousClock.now
                let deleted = try await store.purgeInboundRequests(before: historyCutoff, limit: configuration.messageBatchSize)
                summary.inboundRequests += deleted
                if deleted < configuration.messageBatchSize { break }
                try await pause(after: started.duration(to: .now))
            }
        }
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
        // Events never outlive the history they describe: the log keeps the shorter of its own and the history retention.
        let eventCutoff = max(now.adding(.zero - configuration.eventRetention), historyCutoff ?? .distantPast)
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
