import ArgumentParser
import Foundation
import HooklineSQLite
import Logging

/// `hookline migrate`: applies pending schema migrations and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (serve also applies them at start, under a lock)."
    )

    @Option(help: "PostgreSQL URL; SQLite in the data folder when unset (HOOKLINE_DATABASE).")
    var database: String?

    @Option(help: "Folder of the SQLite database (HOOKLINE_DATA_DIR, default ./hookline-data).")
    var dataDir: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let directory = dataDir ?? environment["HOOKLINE_DATA_DIR"] ?? "hookline-data"
        let target = try DatabaseTarget(url: database ?? environment["HOOKLINE_DATABASE"], dataDirectory: directory)
        var logger = Logger(label: "hookline.migrate")
        logger.logLevel = .warning
        switch target {
        case .sqlite(let path):
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = try SQLiteStore(path: path)
        case .postgres(let url):
            try await PostgresDatabase.with(url: url, logger: logger) { _ in }
        }
        print("migrated \(target.redacted)")
    }
}
