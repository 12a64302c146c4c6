import ArgumentParser
import Foundation
import HooklineCore
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
            _ = try await SQLiteStore.open(path: path)
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

/// `hookline restore --from FILE`: installs a backup as the database of an empty data folder.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Install a backup made by `hookline backup` into an empty data folder (then start serve on it).",
        discussion: "Pending and in-flight deliveries in the backup are delivered once serve starts on the restored folder."
    )

    @Option(help: "The backup file.")
    var from: String

    @Option(help: "The data folder to restore into; it must hold no database yet (HOOKLINE_DATA_DIR, default ./hookline-data).")
    var dataDir: String?

    func run() async throws {
        let directory = dataDir ?? ProcessInfo.processInfo.environment["HOOKLINE_DATA_DIR"] ?? "hookline-data"
        let summary = try SQLiteBackup.restore(from: from, intoDataDirectory: directory)
        print(
            "restored \(from) to \(summary.path): \(summary.messages) messages, \(summary.activeDeliveries) deliveries to deliver, integrity_check ok"
        )
    }
}

/// `hookline purge`: applies retention now, or shows what it would remove.
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete finished messages past the history retention; empty payloads and attempt bodies past the retention period."
    )

    @Option(help: "Folder of the SQLite database (HOOKLINE_DATA_DIR, default ./hookline-data).")
    var dataDir: String?

    @Option(help: "Keep this much history, e.g. 30d (HOOKLINE_RETENTION, default 30d).")
    var retention: String?

    @Option(help: "Delete finished messages older than this with their rows, e.g. 90d; 0 keeps them (HOOKLINE_HISTORY_RETENTION, default 90d).")
    var historyRetention: String?

    @Flag(help: "Only report what would be removed.")
    var dryRun = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let directory = dataDir ?? environment["HOOKLINE_DATA_DIR"] ?? "hookline-data"
        let keep = try (retention ?? environment["HOOKLINE_RETENTION"]).map(DurationList.parseOne) ?? .seconds(30 * 86400)
        let path = URL(fileURLWithPath: directory).appendingPathComponent("hookline.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no Hookline database at \(path)")
        }
        let store = try await SQLiteStore.open(path: path)
        let now = Date()
        let history = try ServeSettings.historyWindow(historyRetention ?? environment["HOOKLINE_HISTORY_RETENTION"])
        if dryRun {
            let summary = try await store.retentionCandidates(cutoff: now.adding(.zero - keep))
            var expired: RetentionSummary?
            if let history { expired = try await store.historyCandidates(before: now.adding(.zero - history)) }
            print(
                "would delete \(expired?.messages ?? 0) messages and \(expired?.inboundRequests ?? 0) inbound requests, purge "
                    + "\(summary.payloads) payloads (\(summary.payloadBytes) bytes) and \(summary.responses) attempt bodies")
            return
        }
        var configuration = RetentionService<SQLiteStore, SystemClock>.Configuration(retention: keep)
        configuration.historyRetention = history
        let service = RetentionService(configuration: configuration, store: store, clock: SystemClock(), logger: Logger(label: "hookline.purge"))
        let summary = try await service.sweep(now: now)
        print(
            "deleted \(summary.messages) messages and \(summary.inboundRequests) inbound requests, purged \(summary.payloads) payloads and \(summary.responses) attempt bodies"
        )
    }
}
