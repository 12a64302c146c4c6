import ArgumentParser
import Foundation
import HooklineSQLite

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
