import Foundation

/// Every figure of one run. Encoded as one JSON object (snake_case keys); rendered as a text table by
/// ``table()``. Latencies are in microseconds, rates per second, memory in KiB.
struct BenchReport: Encodable, Sendable {
    /// The sizes and switches the run used.
    var plan: BenchPlan
    /// Cores the bench, Hookline and the baseline shared.
    var cores = ProcessInfo.processInfo.activeProcessorCount
    /// fsync of a 1 KiB append in the data directory's filesystem, before and after the load.
    var diskSync = DiskSync()
    /// Start-up figures.
    var startup = Startup()
    /// Phase 1: ingest alone, with the nginx and Hummingbird references.
    var ingest: IngestPhase.Figures?
    /// Phase 2: a due backlog drained to nginx.
    var drain: DrainPhase.Figures?
    /// The SQLite store alone in the bench's process: the rows' cost, a reference for phases 1 and 2.
    var storeFloor: StoreFloorPhase.Figures?
    /// Phase 3: sustained ingest with delivery.
    var sustained: SustainedPhase.Figures?
    /// Phase 4: latency at a fixed offered rate.
    var latency: LatencyPhase.Figures?
    /// Phase 5: resident memory.
    var memory = Memory()
    /// Phase 7: isolation under a hung endpoint's backlog.
    var isolation: IsolationPhase.Figures?
    /// Every message acknowledged in the wrk phases delivered to nginx exactly once.
    var audit: ExactlyOnceAudit?
    /// The byte-identity sample (the bench's own client and Swift receiver).
    var byteSample: Integrity?
    /// The event stream probe.
    var stream: Stream?
    /// Status and inbound latencies.
    var edge: Edge?
    /// How Hookline ended after SIGTERM (nil when the bench did not launch it).
    var hooklineExit: String?
    /// Everything that makes this run a failure; empty when it passed.
    var problems: [String] = []

    /// Whether the run passed: no message lost or duplicated, Hookline exited cleanly, no other problem.
    var passed: Bool { problems.isEmpty }

    /// Disk sync probes.
    struct DiskSync: Codable, Sendable {
        /// Before any load.
        var before: DiskSyncProbe.Result?
        /// After all load.
        var after: DiskSyncProbe.Result?
    }

    /// Start-up figures.
    struct Startup: Codable, Sendable {
        /// Process launch to a 200 from the health route, ms (nil with `--target-url`).
        var hooklineReadyMs: Double?
        /// Send to arrival of the first message, on an idle server, ms (nil if it never came).
        var firstDeliveryMs: Double?
    }

    /// The byte-identity sample's audit, by `webhook-id` and `seq`.
    struct Integrity: Codable, Sendable {
        /// Messages of the sample acknowledged with a 202.
        var acknowledged: Int
        /// Of those, how many arrived (by `webhook-id`).
        var delivered: Int
        /// Acknowledged and never arrived within the deadline. Must be 0.
        var lost: Int
        /// Arrivals beyond the first for the same `webhook-id`.
        var duplicates: Int
        /// Arrivals whose `webhook-id` and `seq` belong to different messages.
        var mismatched: Int
        /// Arrivals without a `webhook-id` or a `seq`.
        var unidentified: Int
        /// Deliveries whose body was valid but not byte for byte the JSON sent (the contract promises
        /// the exact payload; reported, not failed).
        var alteredPayloads: Int
        /// How long the final wait for stragglers took.
        var waitedSeconds: Double
    }

    /// Phase 5.
    struct Memory: Codable, Sendable {
        /// Hookline, idle after start-up and setup (target ≤ 40 MiB).
        var hooklineIdle: ProcessMemory?
        /// Readings after cumulative message counts.
        var checkpoints: [MemoryPhase.Checkpoint] = []
        /// Hookline after all phases.
        var hooklineAfter: ProcessMemory?
        /// The Hummingbird responder, idle.
        var baselineIdle: ProcessMemory?
    }

    /// Phase g (provisional, see ``StreamProbe``).
    struct Stream: Codable, Sendable {
        /// Whether `GET /api/v1/stream` answered 200 with `text/event-stream`.
        var available: Bool
        /// Why not, or what was measured, in a few words.
        var note: String
        /// Streams held open at once.
        var streams: Int?
        /// Hookline's RSS growth per idle stream, KiB.
        var rssPerStreamKib: Double?
        /// Message create to the message id showing up on each stream.
        var fanOut: LatencySummary?
    }

    /// The report as one line of JSON.
    func json(pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

extension BenchReport {
    private enum CodingKeys: String, CodingKey {
        case plan, cores, diskSync, startup, ingest, drain, storeFloor, sustained, latency, memory, isolation, audit, byteSample
        case stream, edge
        case hooklineExit, problems, passed
    }

    /// Encodes every stored figure plus `passed`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(plan, forKey: .plan)
        try container.encode(cores, forKey: .cores)
        try container.encode(diskSync, forKey: .diskSync)
        try container.encode(startup, forKey: .startup)
        try container.encodeIfPresent(ingest, forKey: .ingest)
        try container.encodeIfPresent(drain, forKey: .drain)
        try container.encodeIfPresent(storeFloor, forKey: .storeFloor)
        try container.encodeIfPresent(sustained, forKey: .sustained)
        try container.encodeIfPresent(latency, forKey: .latency)
        try container.encode(memory, forKey: .memory)
        try container.encodeIfPresent(isolation, forKey: .isolation)
        try container.encodeIfPresent(audit, forKey: .audit)
        try container.encodeIfPresent(byteSample, forKey: .byteSample)
        try container.encodeIfPresent(stream, forKey: .stream)
        try container.encodeIfPresent(edge, forKey: .edge)
        try container.encodeIfPresent(hooklineExit, forKey: .hooklineExit)
        try container.encode(problems, forKey: .problems)
        try container.encode(passed, forKey: .passed)
    }
}
