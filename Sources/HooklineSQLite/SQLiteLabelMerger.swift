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
/// of messages deleted before their merge are dropped. A merge runs in transactions of `batchSize` rows in key order, so
/// it holds the writer a few milliseconds at a time (one transaction of 10 000 rows held ingest for ~40 ms) while each
/// value's rows still land together.
package struct SQLiteLabelMerger<Clock: HooklineClock>: Service {
    /// How often and in what steps the rows are merged.
    package struct Configuration: Sendable {
        /// The interval between merges.
        package var interval: Duration
        /// The most rows one transaction merges.
        package var batchSize: Int

        /// Creates a configuration; defaults: every second, 1 000 rows per transaction.
        package init(interval: Duration = .seconds(1), batchSize: Int = 1_000) {
            self.interval = interval
            self.batchSize = batchSize
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

    /// Merges batch after batch until one comes back short, letting other writers in between.
    private func merge() async {
        do {
            var merged = 0
            while true {
                let batch = try await store.mergeRecentLabels(limit: configuration.batchSize)
                merged += batch
                if batch < configuration.batchSize { break }
                await Task.yield()
            }
            if merged > 0 { logger.trace("merged label rows", metadata: ["rows": "\(merged)"]) }
        } catch {
            logger.debug("merging label rows failed", metadata: ["error": "\(error)"])
        }
    }
}

extension SQLiteStore {
    /// Moves up to `limit` recent label rows of each label, the first in key order, into their ordered table (but those
    /// whose message no longer exists), in one transaction; returns the most rows it took of one label.
    package func mergeRecentLabels(limit: Int = .max) async throws -> Int {
        try await pool.write { db in
            var most = 0
            for label in SQLiteMessageLabel.allCases {
                let taken = try Int64.fetchAll(
                    db, sql: "SELECT rowid FROM \(label.recent) ORDER BY app_id, \(label.rawValue), message_id LIMIT ?", arguments: [limit])
                guard !taken.isEmpty else { continue }
                let rowids = taken.map(String.init).joined(separator: ",")
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO \(label.table) SELECT r.app_id, r.\(label.rawValue), r.message_id FROM \(label.recent) r
                        WHERE r.rowid IN (\(rowids)) AND EXISTS (SELECT 1 FROM message WHERE id = r.message_id) ORDER BY 1, 2, 3
                        """)
                try db.execute(sql: "DELETE FROM \(label.recent) WHERE rowid IN (\(rowids))")
                most = max(most, taken.count)
            }
            return most
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
