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
    /// Where the temporary data directory (and the fsync probe's file) go.
    var workDirectory: String
    /// Keep the data directory after the run.
    var keepData: Bool
    /// Whether this is a `--quick` run.
    var quick: Bool
    /// Also run every ingest phase against the baseline server.
    var baseline: Bool

    /// Closed-loop warm-up per server before measuring, seconds.
    var warmupSeconds: Double
    /// Requests in flight in the saturated phases.
    var concurrency: Int
    /// Saturated ingest time limit per server, seconds.
    var saturatedSeconds: Double
    /// Saturated ingest count limit per server.
    var saturatedMaxRequests: Int
    /// Offered rates of the open-loop phases, requests per second.
    var rates: [Double]
    /// Length of each open-loop schedule, seconds.
    var rateSeconds: Double
    /// Open-loop safety valve: outstanding requests beyond which schedule slots are skipped.
    var maxInFlight: Int
    /// Messages in the drain phase.
    var backlog: Int
    /// Time limit for ingesting the backlog, seconds.
    var backlogIngestSeconds: Double
    /// Longest wait for deliveries to catch up, per wait, seconds.
    var drainTimeoutSeconds: Double
    /// Rounds of the disk sync probe.
    var fsyncCount: Int
    /// Event streams to hold open if Hookline has them.
    var streams: Int
    /// Per-request timeout, seconds.
    var requestTimeoutSeconds: Double
}
