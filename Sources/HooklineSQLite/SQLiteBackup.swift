import Foundation
import GRDB
import HooklineCore

/// Online backup and restore of the SQLite store's file, safe while a server writes to it.
package enum SQLiteBackup {
    /// What a backup or restore produced.
    package struct Summary: Sendable, Equatable {
        /// The file written.
        package var path: String
        /// Its size in bytes.
        package var bytes: Int64
        /// Messages in it.
        package var messages: Int
        /// Deliveries still pending or in flight in it (they are delivered after a restore).
        package var activeDeliveries: Int
    }

    /// Copies the database at `source` into a new file `destination` with `VACUUM INTO`: one read
    /// transaction, so the copy is a consistent snapshot while writers carry on (WAL). Checks the copy.
    package static func backup(from source: String, to destination: String) throws -> Summary {
        guard FileManager.default.fileExists(atPath: source) else {
            throw HooklineError(.notFound, "no database at \(source)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw HooklineError(.conflict, "\(destination) already exists; backups never overwrite a file")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let database = try DatabasePool(path: source, configuration: configuration)
        try database.read { db in
            guard try db.tableExists("grdb_migrations"), try db.tableExists("message") else {
                throw HooklineError(.validation, "\(source) is not a Hookline database")
            }
        }
        // The copy gets `auto_vacuum = INCREMENTAL` whatever the source has: restoring a backup converts an older file.
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            try db.execute(sql: "VACUUM INTO ?", arguments: [destination])
        }
        try database.close()
        return try check(destination)
    }

    /// Installs the backup `source` as `dataDirectory/hookline.sqlite`; refuses a directory that already holds a database.
    package static func restore(from source: String, intoDataDirectory dataDirectory: String) throws -> Summary {
        let target = (dataDirectory as NSString).appendingPathComponent("hookline.sqlite")
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: target + suffix) {
            throw HooklineError(.conflict, "\(target + suffix) exists; restore only into an empty data directory")
        }
        _ = try check(source)
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        // Copy beside the target and rename, so a crash never leaves a half-written database in place.
        let partial = target + ".restoring"
        try? FileManager.default.removeItem(atPath: partial)
        try FileManager.default.copyItem(atPath: source, toPath: partial)
        try FileManager.default.moveItem(atPath: partial, toPath: target)
        return try check(target)
    }

    /// Runs `PRAGMA integrity_check` on the file at `path` and counts what it holds; throws naming the first problem.
    package static func check(_ path: String) throws -> Summary {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? database.close() }
        return try database.read { db in
            let verdict = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard verdict == ["ok"] else {
                throw HooklineError(.validation, "\(path) fails integrity_check: \(verdict.prefix(3).joined(separator: "; "))")
            }
            guard try db.tableExists("message"), try db.tableExists("delivery") else {
                throw HooklineError(.validation, "\(path) is not a Hookline database")
            }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
            return Summary(
                path: path, bytes: bytes ?? 0,
                messages: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? 0,
                activeDeliveries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery WHERE state IN (0, 1)") ?? 0)
        }
    }
}
