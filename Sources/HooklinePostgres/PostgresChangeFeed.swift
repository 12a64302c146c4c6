import Foundation
import HooklineCore
import Logging
import PostgresNIO

/// Changes committed by any node, heard through PostgreSQL `LISTEN hookline`.
///
/// `PostgresStore` sends `pg_notify('hookline', change)` inside the transaction that makes the change, so a
/// notification arrives only after its commit. The feed holds one pooled connection while it listens and
/// reconnects (after `retryDelay`) whenever that connection is lost; after a reconnect it reports every kind of
/// change once, because notifications sent while it was away are gone.
package struct PostgresChangeFeed: StoreChangeFeed {
    /// The notification channel.
    package static let channel = "hookline"

    /// The client to listen on (the pool's current one).
    let client: @Sendable () -> PostgresClient
    let logger: Logger
    let clock: any HooklineClock
    let retryDelay: Duration

    /// Creates a feed on `client` (whose `run()` the caller manages); it waits `retryDelay` (1 s by default)
    /// between reconnection attempts.
    package init(client: PostgresClient, logger: Logger, clock: any HooklineClock = SystemClock(), retryDelay: Duration = .seconds(1)) {
        self.client = { client }
        self.logger = logger
        self.clock = clock
        self.retryDelay = retryDelay
    }

    /// Creates a feed on the current client of `pool` (whose `run()` the caller manages), reconnecting through
    /// the replacement after an outage.
    package init(pool: PostgresPool, logger: Logger, clock: any HooklineClock = SystemClock(), retryDelay: Duration = .seconds(1)) {
        self.client = { pool.client }
        self.logger = logger
        self.clock = clock
        self.retryDelay = retryDelay
    }

    /// Listens until cancelled, calling `handler` for each change; reconnects by itself after failures.
    package func listen(_ handler: @escaping @Sendable (StoreChange) -> Void) async throws {
        var connectedBefore = false
        while !Task.isCancelled {
            do {
                try await client().withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        if connectedBefore {
                            logger.info("change feed reconnected")
                            for change in [StoreChange.deliveriesDue, .eventsAppended, .inboundPending, .tasksQueued] { handler(change) }
                        }
                        connectedBefore = true
                        for try await notification in notifications {
                            handler(StoreChange(rawValue: notification.payload))
                        }
                    }
                }
                if Task.isCancelled { break }
                logger.warning("change feed connection ended; reconnecting")
            } catch {
                if Task.isCancelled || error is CancellationError { break }
                logger.warning("change feed connection lost; reconnecting", metadata: ["error": "\(PostgresErrors.summary(error))"])
            }
            try await clock.sleep(until: clock.now().adding(retryDelay))
        }
        throw CancellationError()
    }
}
