import Foundation
import GRDB
import HooklineCore

extension SQLiteMigrations {
    /// Throws when the file carries migrations this build does not know: a newer Hookline wrote it, and running
    /// older code on it could corrupt data. The operator upgrades Hookline or restores a backup of the old schema.
    static func refuseNewerSchema(_ reader: some DatabaseReader) throws {
        let unknown = try reader.read { db -> [String] in
            guard try db.tableExists("grdb_migrations") else { return [] }
            let known = Set(migrator.migrations)
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").filter { !known.contains($0) }.sorted()
        }
        guard unknown.isEmpty else {
            throw HooklineError(
                .conflict,
                "the database schema is newer than this Hookline \(HooklineVersion.current) understands (unknown migrations: "
                    + "\(unknown.joined(separator: ", "))); run the Hookline version that migrated it, or restore a backup taken before the upgrade")
        }
    }

    /// The migrations this build would apply to the file at `path` (all of them when it does not exist), without applying any.
    static func pending(atPath path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return migrator.migrations }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try refuseNewerSchema(queue)
        return try queue.read { db in try migrator.migrations.filter { !(try migrator.appliedIdentifiers(db)).contains($0) } }
    }
}

extension SQLiteStore {
    /// Migrations `migrate`/`serve` would apply to the SQLite file at `path`; nothing is written (`migrate --dry-run`).
    public static func pendingMigrations(atPath path: String) throws -> [String] {
        try SQLiteMigrations.pending(atPath: path)
    }
}

extension SQLiteMigrations {
    /// Test support: writes a file as an older Hookline left it — migrated up to `identifier`, then `sql` run on it.
    static func makeFile(atPath path: String, upTo identifier: String, then sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try migrator.migrate(queue, upTo: identifier)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }
}
