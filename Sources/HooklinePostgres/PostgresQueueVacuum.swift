import Foundation
import HooklineCore
import Logging
import ServiceLifecycle

/// Vacuums `delivery_queue` every few seconds, so claims never walk more than a few seconds of dead queue entries.
///
/// Every claim and completion leaves a dead row version in the queue (see `PostgresMigrations.activeQueue`). Autovacuum
/// visits a table at most once per `autovacuum_naptime` (a minute by default), and a claim's index scans grow slower
/// with every dead entry until then. The queue holds only active rows, so a vacuum of it takes milliseconds; each
/// node runs its own (`SKIP_LOCKED`: one already running elsewhere is not waited for).
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
        self.init(configuration: configuration, clock: clock, logger: logger) { try await store.vacuumQueue() }
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
}
