import Foundation
import HooklineCore
import Logging
import ServiceLifecycle

/// Vacuums `delivery_queue` every few seconds, so claims never walk more than a few seconds of dead queue entries.
///
/// Every claim and completion leaves a dead row version in the queue (see `PostgresMigrations.activeQueue`). Autovacuum
/// visits a table at most once per `autovacuum_naptime` (a minute by default), and a claim's index scans grow slower
/// with every dead entry until then. The queue holds only active rows, so a vacuum of it takes tens of milliseconds.
/// Every node runs this service, but the cluster vacuums at most about twice per interval, not once per node: a node
/// skips its turn when the queue was vacuumed (by any node, or autovacuum) less than half an interval ago, and does
/// not wait for a vacuum already running (`SKIP_LOCKED`). A lone node vacuums at every turn.
package struct PostgresQueueVacuum<Clock: HooklineClock>: Service {
    /// How often the queue is vacuumed.
    package struct Configuration: Sendable {
        /// The interval between vacuums.
        package var interval: Duration

        /// Creates a configuration; default: every 2 s.
        package init(interval: Duration = .seconds(2)) {
            self.interval = interval
        }
    }

    let configuration: Configuration
    let clock: Clock
    let logger: Logger
    let vacuum: @Sendable () async throws -> Void

    /// Creates the service over `store`.
    package init(configuration: Configuration = .init(), store: PostgresStore, clock: Clock, logger: Logger) {
        let recent = configuration.interval / 2
        self.init(configuration: configuration, clock: clock, logger: logger) { _ = try await store.vacuumQueue(unlessWithin: recent) }
    }

    /// Creates the service running `vacuum` at every interval.
    package init(configuration: Configuration = .init(), clock: Clock, logger: Logger, vacuum: @escaping @Sendable () async throws -> Void) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.vacuum = vacuum
    }

    /// Vacuums at every interval until shutdown; a failure (the database away) is logged and tried again next time.
    package func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = clock.now()
                do {
                    try await vacuum()
                } catch {
                    logger.debug("vacuuming the delivery queue failed", metadata: ["error": "\(error)"])
                }
                try? await clock.sleep(until: started.adding(configuration.interval))
            }
        }
    }
}

extension PostgresStore {
    /// Vacuums `delivery_queue` (not waiting for a vacuum of it already running); returns when done.
    package func vacuumQueue() async throws {
        try await read { connection in
            _ = try await connection.query("VACUUM (SKIP_LOCKED) delivery_queue", logger: logger)
        }
    }

    /// Vacuums `delivery_queue` unless a vacuum of it (any node's, or autovacuum's) finished less than `recent` ago,
    /// by the database's clock; returns whether it vacuumed.
    package func vacuumQueue(unlessWithin recent: Duration) async throws -> Bool {
        let since = try await reading { session in
            try await session.scalar(
                """
                SELECT (extract(epoch FROM clock_timestamp() - GREATEST(pg_stat_get_last_vacuum_time(q), pg_stat_get_last_autovacuum_time(q)))
                    * 1000)::bigint FROM (SELECT 'delivery_queue'::regclass AS q) AS t
                """, as: Int64?.self) ?? nil
        }
        let limit = recent.components.seconds * 1000 + recent.components.attoseconds / 1_000_000_000_000_000
        if let since, since < limit { return false }
        try await vacuumQueue()
        return true
    }
}
