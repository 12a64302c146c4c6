import ArgumentParser
import Foundation
import HooklineCore

/// `hookline-bench seed`: writes N realistic finished messages (1–3 attempts each, with their events) into a
/// database through the store's bulk seeding path, and prints the rate.
struct SeedCommand: AsyncParsableCommand {
    /// The subcommand's name and help.
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Write a finished message history into a database (for history benchmarks).",
        discussion: """
            The database is migrated first (created when missing). Messages spread evenly over the last --days days
            across --apps applications (uids seed-app-0 …, one endpoint seed-ep each, reused when present); events
            are written for the last 24 h only, as event retention keeps. Prints one line and a JSON summary.
            """
    )

    /// The SQLite file (path or `sqlite://` URL, created when missing) or `postgres://` URL to write.
    @Option(help: ArgumentHelp("The SQLite file (created when missing) or postgres:// URL to seed.", valueName: "path-or-url"))
    var database: String

    /// Messages to write.
    @Option(help: "Finished messages to write.")
    var messages: Int

    /// Applications to spread them over.
    @Option(help: "Applications to spread the messages over (default 4).")
    var apps = 4

    /// Days the history spans.
    @Option(help: "Days the history spans, ending now (default 7).")
    var days = 7.0

    /// Messages per transaction.
    @Option(help: "Messages per transaction (default 10000).")
    var batch = 10_000

    /// Payload bytes per message.
    @Option(name: .customLong("payload-bytes"), help: "Payload bytes per message (default 1024).")
    var payloadBytes = 1024

    /// Rejects sizes that describe no history.
    func validate() throws {
        if messages < 1 || apps < 1 || batch < 1 || days <= 0 || payloadBytes < 0 {
            throw ValidationError("--messages, --apps and --batch must be at least 1, --days positive")
        }
    }

    /// Seeds and prints the figures.
    func run() async throws {
        let shape = HistorySeeder.Shape(messages: messages, applications: apps, days: days, batch: batch, payloadBytes: payloadBytes)
        let result = try await SeedDatabase.seed(database, shape: shape)
        let size = (try? FileManager.default.attributesOfItem(atPath: database)[.size] as? Int) ?? 0
        let file = size > 0 ? String(format: "; file size %.2f GiB", Double(size) / 1_073_741_824) : ""
        print(
            String(
                format: "seeded %d messages, %d attempts, %d events in %.1f s (rows %.1f s, then indexes %.1f s): %.0f messages/s",
                result.messages, result.attempts, result.events, result.seconds, result.loadSeconds, result.seconds - result.loadSeconds,
                result.messagesPerSecond) + file)
        let json = try JSONEncoder().encode(result)
        print(String(decoding: json, as: UTF8.self))
    }
}
