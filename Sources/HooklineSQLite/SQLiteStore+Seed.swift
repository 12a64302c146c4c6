import Foundation
import GRDB
import HooklineCore

extension SQLiteStore: HistorySeeding {
    /// Writes a batch of finished history in one transaction, with the same columns the live path writes.
    ///
    /// The transaction commits without fsync (`synchronous=OFF`: a seed is rebuilt, not recovered, after a power cut),
    /// and the writer keeps 256 MiB of pages in memory while it runs.
    public func seedHistory(_ batch: [SeededMessage]) async throws {
        guard !batch.isEmpty else { return }
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000") }
            try db.inTransaction(.immediate) {
                try Self.writeSeed(db, batch)
                return .commit
            }
        }
    }

    private static func writeSeed(_ db: Database, _ batch: [SeededMessage]) throws {
        let writer = try SQLiteSeedWriter(db)
        defer { writer.finalize() }
        var events: [EventDraft] = []
        for item in batch {
            try writer.write(item)
            events += item.events
        }
        events.sort { $0.createdAt < $1.createdAt }
        try insertEvents(db, events)
    }
}
