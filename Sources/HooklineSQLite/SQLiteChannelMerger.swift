import Foundation
import GRDB
import HooklineCore
import Logging
import ServiceLifecycle

/// Moves the channel rows new messages appended to `message_channel_recent` into `message_channel`, every second.
///
/// A trigger appends each new message's channels to `message_channel_recent`, a table without an index, so a commit
/// writes only its last page. Merged a second's rows at a time, sorted, each channel's page in `message_channel` is
/// written once per merge instead of once per commit. Lists by channel read both tables (`SQLiteListQuery`), so a
/// message is listed from its commit on, merged or not. Rows of messages deleted before their merge are dropped.
package struct SQLiteChannelMerger<Clock: HooklineClock>: Service {
    /// How often the rows are merged.
    package struct Configuration: Sendable {
        /// The interval between merges.
        package var interval: Duration

        /// Creates a configuration; default: every second.
        package init(interval: Duration = .seconds(1)) {
            self.interval = interval
        }
    }

    let configuration: Configuration
    let store: SQLiteStore
    let clock: Clock
    let logger: Logger

    /// Creates the service over `store`.
    package init(configuration: Configuration = .init(), store: SQLiteStore, clock: Clock, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Merges at every interval until shutdown, then once more; a failure is logged and tried again next time.
    package func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = clock.now()
                await merge()
                try? await clock.sleep(until: started.adding(configuration.interval))
            }
        }
        await merge()
    }

    private func merge() async {
        do {
            let merged = try await store.mergeRecentChannels()
            if merged > 0 { logger.trace("merged channel rows", metadata: ["rows": "\(merged)"]) }
        } catch {
            logger.debug("merging channel rows failed", metadata: ["error": "\(error)"])
        }
    }
}

extension SQLiteStore {
    /// Moves every row of `message_channel_recent` whose message still exists into `message_channel`, sorted, in one
    /// transaction; returns how many rows it read.
    package func mergeRecentChannels() async throws -> Int {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM message_channel_recent)") == true else { return 0 }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO message_channel
                    SELECT r.app_id, r.channel, r.message_id FROM message_channel_recent r
                    WHERE EXISTS (SELECT 1 FROM message WHERE id = r.message_id) ORDER BY 1, 2, 3
                    """)
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM message_channel_recent") ?? 0
            try db.execute(sql: "DELETE FROM message_channel_recent")
            return count
        }
    }
}

/// The tables of channel rows a list by channel reads: merged, then recent.
enum SQLiteChannelTables {
    /// Both, in that order.
    static let all = ["message_channel", "message_channel_recent"]
}
