import ArgumentParser
import Foundation

/// `hookline-bench store-floor`: the store alone, without a server (the run's reference row, on its own).
struct StoreFloorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-floor",
        abstract: "Write, claim and complete messages through the SQLite store in this process; print the CPU each part cost.",
        discussion: """
            The same phase `run` reports as "store alone": fsync'd ingest batches of 32 messages with one delivery each
            (--ingest-batch), then claims of 64 and completions of 32 successes (--completion-batch), one after another on one task, in a fresh file under
            --directory (removed afterwards). Prints one line per repetition.
            """
    )

    @Option(help: "Messages per repetition (default 50000).")
    var messages = 50_000

    @Option(help: "Messages per fsync'd ingest transaction (default 32).")
    var ingestBatch = 32

    @Option(help: "Outcomes per completion transaction (default 32).")
    var completionBatch = 32

    @Option(help: "Repetitions (default 3).")
    var repeats = 3

    @Option(help: "Directory for the temporary database (default: the system's temporary directory).")
    var directory = FileManager.default.temporaryDirectory.path

    func validate() throws {
        if messages < 1 || repeats < 1 || ingestBatch < 1 || completionBatch < 1 {
            throw ValidationError("--messages, --repeats, --ingest-batch and --completion-batch must be at least 1")
        }
    }

    func run() async throws {
        let payload = Data(BenchPayload.payload(seq: 0).utf8)
        for _ in 0..<repeats {
            let phase = StoreFloorPhase(
                directory: directory, messages: messages, payload: payload, ingestBatch: ingestBatch, completionBatch: completionBatch)
            let figures = try await phase.run()
            print(
                String(
                    format: "ingest %.1f us/message (%.0f/s); claim + completion %.1f us/delivery (%.0f/s): claim %.1f, completion %.1f",
                    figures.ingestCPUUs ?? .nan, figures.ingestPerSecond, figures.drainCPUUs ?? .nan, figures.drainPerSecond, figures.claimCPUUs,
                    figures.completionCPUUs))
        }
    }
}
