import ArgumentParser
import Foundation
import HooklinePostgres
import HooklineSQLite
import Logging

/// `hookline migrate`: applies pending schema migrations and exits; `--dry-run` only lists them.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (serve also applies them at start, under a lock).",
        discussion: "Refuses a database migrated by a newer Hookline. See docs/operations.md for rolling upgrades."
    )

    @Option(help: "PostgreSQL URL; SQLite in the data folder when unset (HOOKLINE_DATABASE).")
    var database: String?

    @Option(help: "Folder of the SQLite database (HOOKLINE_DATA_DIR, default ./hookline-data).")
    var dataDir: String?

    @Flag(help: "List the migrations that would be applied, one per line, and change nothing.")
    var dryRun = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let directory = dataDir ?? environment["HOOKLINE_DATA_DIR"] ?? "hookline-data"
        let target = try DatabaseTarget(url: database ?? environment["HOOKLINE_DATABASE"], dataDirectory: directory)
        var logger = Logger(label: "hookline.migrate")
        logger.logLevel = .warning
        if dryRun {
            let pending = try await Self.pending(target, logger: logger)
            print(pending.isEmpty ? "\(target.redacted): up to date" : "\(target.redacted): \(pending.count) pending")
            for name in pending { print(name) }
            return
        }
        switch target {
        case .sqlite(let path):
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = try SQLiteStore(path: path)
        case .postgres(let url):
            try await PostgresDatabase.with(url: url, logger: logger) { _ in }
        }
        print("migrated \(target.redacted)")
    }

    /// The migrations `target` lacks, read without writing anything.
    static func pending(_ target: DatabaseTarget, logger: Logger) async throws -> [String] {
        switch target {
        case .sqlite(let path):
            return try SQLiteStore.pendingMigrations(atPath: path)
        case .postgres(let url):
            let store = try PostgresStore(url: url, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.client.run() }
                defer { group.cancelAll() }
                let newer = try await store.unknownMigrationVersions()
                guard newer.isEmpty else { throw ValidationError("the database has migrations newer than this Hookline: \(newer)") }
                return try await store.pendingMigrations()
            }
        }
    }
}
