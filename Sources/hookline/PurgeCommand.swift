import ArgumentParser
import Foundation
import HooklineCore
import HooklineSQLite
import Logging

/// `hookline purge`: applies retention now, or shows what it would remove.
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove payloads of finished messages and attempt bodies older than the retention period."
    )

    @Option(help: "Folder of the SQLite database (HOOKLINE_DATA_DIR, default ./hookline-data).")
    var dataDir: String?

    @Option(help: "Keep this much history, e.g. 30d (HOOKLINE_RETENTION, default 30d).")
    var retention: String?

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
        let store = try SQLiteStore(path: path)
        let now = Date()
        if dryRun {
            let summary = try await store.retentionCandidates(cutoff: now.adding(.zero - keep))
            print("would purge \(summary.payloads) payloads (\(summary.payloadBytes) bytes) and \(summary.responses) attempt bodies")
            return
        }
        let service = RetentionService(
            configuration: .init(retention: keep), store: store, clock: SystemClock(), logger: Logger(label: "hookline.purge"))
        let summary = try await service.sweep(now: now)
        print("purged \(summary.payloads) payloads and \(summary.responses) attempt bodies")
    }
}
