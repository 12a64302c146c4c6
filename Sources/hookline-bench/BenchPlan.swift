import Foundation

/// What one run does and how big each phase is, with `--quick` and the defaults resolved.
/// Every phase is bounded by a count and by a time limit.
struct BenchPlan: Codable, Sendable {
    /// How the bench reaches Hookline.
    enum Target: Codable, Sendable {
        /// Launch this binary with a fresh data directory under `workDirectory`.
        case launch(executable: String, extraArguments: [String])
        /// Measure a server that is already running (for trying the bench itself out). Its API key is
        /// handed to ``BenchSession`` separately, so that it stays out of the report.
        case running(url: String, pid: Int32?)
    }

    /// How the bench reaches Hookline.
    var target: Target
    /// The store of a launched node: `sqlite`, or `postgres` (a fresh database on `--database`'s server).
    var store = "sqlite"
    /// Where the temporary work directory (data, nginx, wrk files, the fsync probe) goes.
    var workDirectory: String
    /// Keep the work directory after the run.
    var keepData: Bool
    /// Whether this is a `--quick` run.
    var quick: Bool
    /// Also measure the Hummingbird responder (`baseline-server`).
    var baseline: Bool
    /// The wrk binary.
    var wrk: String
    /// The nginx binary.
    var nginx: String

    /// wrk threads (`-t`) in every phase.
    var threads: Int
    /// wrk connections (`-c`) in every phase.
    var connections: Int
    /// Warm-up per server before phase 1 measures it, seconds.
    var warmupSeconds: Double
    /// Phase 1: ingest time per server, seconds.
    var ingestSeconds: Double
    /// Phase 2: messages in the backlog that becomes due at once.
    var backlog: Int
    /// Phase 3: sustained ingest with delivery, seconds.
    var sustainedSeconds: Double
    /// Phase 4: offered rate, messages per second.
    var latencyRate: Double
    /// Phase 4: length, seconds.
    var latencySeconds: Double
    /// Phase 5: cumulative message counts at which Hookline's RSS is read.
    var memoryCheckpoints: [Int]
    /// Phase 5: time limit of each top-up to a checkpoint, seconds.
    var memoryTopUpSeconds: Double
    /// Phase 7: deliveries queued for the hanging endpoint.
    var isolationHung: Int
    /// Phase 7: messages to the healthy endpoint.
    var isolationHealthy: Int
    /// Phase 7: interval between the healthy messages, ms.
    var isolationIntervalMs: Int
    /// Messages of the byte-identity sample (the bench's own client and Swift receiver).
    var byteSample: Int
    /// Longest wait for deliveries to catch up after a phase, seconds.
    var drainTimeoutSeconds: Double
    /// Rounds of the disk sync probe.
    var fsyncCount: Int
    /// Event streams to hold open.
    var streams: Int
    /// Length of the inbound probe at 1 000/s, seconds.
    var inboundSeconds: Double
    /// Per-request timeout of the bench's own client, seconds.
    var requestTimeoutSeconds: Double
}
