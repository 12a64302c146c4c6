import Foundation
import GRDB
import HooklineCore

extension SQLiteStore: StoreHealthProbe {
    /// Room left for the database: the free space of its file system, or less when `max_page_count` caps it.
    /// Throws `unavailable` when the data directory refuses a new file (read-only, e.g. remounted so after an I/O
    /// error, or its permissions changed): the database's open files may fail next, and no room is left at all.
    package func freeSpace() async throws -> Int64? {
        let path = pool.path
        // max_page_count is per connection: the writer's is the one that limits growth.
        let pages = try await pool.writeWithoutTransaction { db in
            try Self.probeWritable((path as NSString).deletingLastPathComponent)
            return (
                try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0,
                try Int64.fetchOne(db, sql: "PRAGMA max_page_count") ?? 0,
                try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            )
        }
        let capRoom = max(0, pages.1 - pages.0) * pages.2
        var stats = statvfs()
        guard statvfs((path as NSString).deletingLastPathComponent, &stats) == 0 else { return capRoom }
        let diskRoom = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        return min(diskRoom, capRoom)
    }

    /// Creates and removes a probe file in `directory`; throws `unavailable` with the system's reason when it cannot.
    static func probeWritable(_ directory: String) throws {
        let probe = (directory as NSString).appendingPathComponent(".hookline-write-probe")
        let descriptor = Glibc.open(probe, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw HooklineError(.unavailable, "the data directory refuses writes (\(reason)): no message can be accepted")
        }
        close(descriptor)
        unlink(probe)
    }

    /// Migrations of this build not yet applied to the file.
    package func pendingMigrations() async throws -> [String] {
        let migrator = SQLiteMigrations.migrator
        let applied = try await pool.read { db in try migrator.appliedIdentifiers(db) }
        return migrator.migrations.filter { !applied.contains($0) }
    }

    /// Migrations applied to the file that this build does not know: a newer Hookline wrote it.
    package func unknownMigrations() async throws -> [String] {
        let known = Set(SQLiteMigrations.migrator.migrations)
        let applied = try await pool.read { db in try SQLiteMigrations.migrator.appliedIdentifiers(db) }
        return applied.filter { !known.contains($0) }.sorted()
    }
}

extension SQLiteStore: StorePoolReporting {
    /// Samples GRDB's queues at each scrape: how long the writer, and then a reader, took to become free for one
    /// operation, as a write or a read of the store would have waited at that moment.
    ///
    /// SQLite has one writer connection (every write waits in its queue) and a few readers; GRDB does not say how
    /// many operations wait in its queues, so only these sampled waits and each role's maximum are reported.
    package func reportPool() async {
        let writer = StorePoolMeter(store: "sqlite", role: "writer", maximum: 1, counted: false)
        let reader = StorePoolMeter(store: "sqlite", role: "reader", maximum: pool.configuration.maximumReaderCount, counted: false)
        let writeStarted = ContinuousClock.now
        if let waited = try? await pool.writeWithoutTransaction({ _ in ContinuousClock.now - writeStarted }) {
            writer.recordAcquire(waited)
        }
        let readStarted = ContinuousClock.now
        if let waited = try? await pool.read({ _ in ContinuousClock.now - readStarted }) {
            reader.recordAcquire(waited)
        }
        writer.report()
        reader.report()
    }
}

extension SQLiteStore {
    /// How many active deliveries are due, scheduled and in flight at `now`.
    package func queueDepth(now: Date) async throws -> QueueDepth {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(state = 0 AND next_attempt_at <= ?), 0) AS due,
                           COALESCE(SUM(state = 0 AND next_attempt_at > ?), 0) AS scheduled,
                           COALESCE(SUM(state = 1), 0) AS in_flight
                    FROM delivery WHERE state IN (0, 1)
                    """,
                arguments: [now.millisecondsSince1970, now.millisecondsSince1970])
            return QueueDepth(due: row?["due"] ?? 0, scheduled: row?["scheduled"] ?? 0, inFlight: row?["in_flight"] ?? 0)
        }
    }
}
