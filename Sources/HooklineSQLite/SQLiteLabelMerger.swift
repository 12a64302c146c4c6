import Foundation
import GRDB
import HooklineCore
import Logging
import ServiceLifecycle

/// Moves the label rows (channels, tags) new messages appended to the recent tables into the ordered ones, every second.
///
/// Triggers append each new message's channels to `message_channel_recent` and its tags to `message_tag_recent`, tables
/// without an index, so a commit writes only their last pages. Merged a second's rows at a time, sorted, each channel's
/// (or tag's) page in `message_channel` (`message_tag`) is written once per merge instead of once per commit. Lists by
/// channel or tag read both tables (`SQLiteListQuery`), so a message is listed from its commit on, merged or not. Rows
/// of messages deleted before their merge are dropped.
package struct SQLiteLabelMerger<Clock: HooklineClock>: Service {
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
            let merged = try await store.mergeRecentLabels()
            if merged > 0 { logger.trace("merged label rows", metadata: ["rows": "\(merged)"]) }
        } catch {
            logger.debug("merging label rows failed", metadata: ["error": "\(error)"])
        }
    }
}

extension SQLiteStore {
    /// Moves every recent label row whose message still exists into its ordered table, sorted, in one transaction;
    /// returns how many rows it read.
    package func mergeRecentLabels() async throws -> Int {
        try await pool.write { db in
            var count = 0
            for label in SQLiteMessageLabel.allCases {
                guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(label.recent))") == true else { continue }
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO \(label.table)
                        SELECT r.app_id, r.\(label.rawValue), r.message_id FROM \(label.recent) r
                        WHERE EXISTS (SELECT 1 FROM message WHERE id = r.message_id) ORDER BY 1, 2, 3
                        """)
                count += try Int.fetchOne(db, sql: "SELECT count(*) FROM \(label.recent)") ?? 0
                try db.execute(sql: "DELETE FROM \(label.recent)")
            }
            return count
        }
    }
}

/// A list-valued message column whose values have tables of their own, so lists by a value read a range.
enum SQLiteMessageLabel: String, CaseIterable {
    /// `channels`: `message_channel` (v20).
    case channel
    /// `tags`: `message_tag` (v21).
    case tag

    /// The rows in order: (app_id, value, message_id).
    var table: String { "message_\(rawValue)" }
    /// The rows appended since the last merge, unordered.
    var recent: String { "message_\(rawValue)_recent" }
    /// The message column holding the list (JSON text).
    var column: String { rawValue + "s" }
    /// The alias a list gives the table it reads.
    var alias: String { rawValue == "channel" ? "mc" : "mt" }
}
