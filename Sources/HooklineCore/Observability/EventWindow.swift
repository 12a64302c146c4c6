import Foundation
import Synchronization

/// The status window's statistics, kept in an `EventTally` that each refresh tops up with the events committed since.
package final class EventWindow: Sendable {
    /// Events read per store call while catching up.
    package static let pageSize = 5_000

    private let tally = Mutex(EventTally())

    /// An empty window; the first refresh reads the window's events once.
    package init() {}

    /// Reads the events committed since the last refresh, drops the seconds before `since`, and returns the statistics.
    ///
    /// Cancellation stops between pages, keeping what was read: a refresh cut short by the status part's timeout
    /// leaves the next one less to read.
    package func statistics(from store: some HooklineStore, since: Date) async throws -> EventStatistics {
        let sinceMs = since.millisecondsSince1970
        while true {
            try Task.checkCancellation()
            let after = tally.withLock { $0.lastId }
            let page = try await store.tallyEntries(after: after, since: since, limit: Self.pageSize)
            tally.withLock { $0.add(page, sinceMs: sinceMs) }
            if page.count < Self.pageSize { break }
        }
        return tally.withLock { tally in
            tally.prune(beforeMs: sinceMs)
            return tally.statistics
        }
    }
}
