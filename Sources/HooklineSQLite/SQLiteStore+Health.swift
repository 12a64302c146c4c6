import Foundation
import GRDB
import HooklineCore

extension SQLiteStore: StoreHealthProbe {
    /// Room left for the database: the free space of its file system, or less when `max_page_count` caps it.
    /// Throws `unavailable` when the data directory refuses a new file (read-only, e.g. remounted so after an I/O
    /// error, or its permissions changed): the database's open files may fail next, and no room is left at all.
    public func freeSpace() async throws -> Int64? {
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
        let descriptor = open(probe, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw HooklineError(.unavailable, "the data directory refuses writes (\(reason)): no message can be accepted")
        }
        close(descriptor)
        unlink(probe)
    }

    /// Migrations of this build not yet applied to the file.
    public func pendingMigrations() async throws -> [String] {
        let migrator = SQLiteMigrations.migrator
        let applied = try await pool.read { db in try migrator.appliedIdentifiers(db) }
        return migrator.migrations.filter { !applied.contains($0) }
    }

    /// Migrations applied to the file that this build does not know: a newer Hookline wrote it.
    public func unknownMigrations() async throws -> [String] {
        let known = Set(SQLiteMigrations.migrator.migrations)
        let applied = try await pool.read { db in try SQLiteMigrations.migrator.appliedIdentifiers(db) }
        return applied.filter { !known.contains($0) }.sorted()
    }
}
