import ArgumentParser
import Foundation
import HooklineSQLite

/// `hookline backup --to FILE`: an online, consistent copy of the SQLite store, taken while the server runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to FILE while the server keeps running (VACUUM INTO: one consistent snapshot).",
        discussion: "PostgreSQL deployments back up with pg_dump or point-in-time recovery instead: see docs/operations.md."
    )

    @Option(help: "The backup file to create; an existing file is never overwritten.")
    var to: String

    @Option(help: "Folder of the SQLite database (HOOKLINE_DATA_DIR, default ./hookline-data).")
    var dataDir: String?

    @Option(help: "The store's URL; only sqlite:// (or none) can be backed up by hookline (HOOKLINE_DATABASE).")
    var database: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let directory = dataDir ?? environment["HOOKLINE_DATA_DIR"] ?? "hookline-data"
        guard case .sqlite(let path) = try DatabaseTarget(url: database ?? environment["HOOKLINE_DATABASE"], dataDirectory: directory) else {
            throw ValidationError("backup copies the SQLite store; back up PostgreSQL with pg_dump or PITR (docs/operations.md)")
        }
        let summary = try SQLiteBackup.backup(from: path, to: to)
        print(
            "backed up \(path) to \(summary.path): \(summary.bytes) bytes, \(summary.messages) messages, "
                + "\(summary.activeDeliveries) deliveries pending, integrity_check ok")
        print("the admin key and operational webhook secret are files in \(directory): keep copies of them too")
    }
}
