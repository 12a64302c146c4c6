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
    /// Phase a: saturated ingest.
    var saturated: Saturated?
    /// Phase b: open-loop ingest, one entry per offered rate.
    var openLoop: [OpenLoop] = []
    /// Phase c: delivery throughput while ingest is saturated, and draining a backlog.
    var delivery: Delivery?
    /// Phase f: every acknowledged message delivered, once.
    var integrity: Integrity?
    /// Phase e: resident memory.
    var memory = Memory()
    /// Phase g: the optional event stream.
    var stream: Stream?
    /// Phase h: status and inbound latencies.
    var edge: Edge?
    /// How Hookline ended after SIGTERM (nil when the bench did not launch it).
    var hooklineExit: String?
    /// Everything that makes this run a failure; empty when it passed.
    var problems: [String] = []

    /// Whether the run passed: no message lost, Hookline exited cleanly, no other problem.
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

    /// Ingest figures of one load phase against one server.
    struct Ingest: Codable, Sendable {
        /// Requests answered 202.
        var accepted: Int
        /// Requests not answered 202 (other status, or no answer).
        var errors: Int
        /// The errors by kind: an HTTP status, or why there was no usable answer.
        var errorKinds: [String: Int]
        /// First start to last completion.
        var seconds: Double
        /// Accepted requests per second.
        var throughputPerSecond: Double
        /// Request latency (from the scheduled start in open loop).
        var latency: LatencySummary
        /// The server's CPU time per accepted request, µs (Hookline's includes the deliveries it made
        /// meanwhile); nil when its process is unknown.
        var serverCpuUsPerRequest: Double?
        /// The bench's own CPU time per accepted request, µs (load generation, plus the receiver).
        var benchCpuUsPerRequest: Double?

        /// Summarises a load phase.
        init(_ result: LoadResult) {
            accepted = result.tally.accepted
            errors = result.tally.errors
            errorKinds = Dictionary(uniqueKeysWithValues: result.tally.rejectedByStatus.map { (String($0.key), $0.value) })
            errorKinds.merge(result.tally.failedByReason, uniquingKeysWith: +)
            seconds = result.elapsed.inSeconds
            throughputPerSecond = result.throughput
            latency = LatencySummary(result.tally.latency)
            if accepted > 0 {
                serverCpuUsPerRequest = result.cpu.server.map { $0.inSeconds * 1e6 / Double(accepted) }
                benchCpuUsPerRequest = result.cpu.bench.map { $0.inSeconds * 1e6 / Double(accepted) }
            }
        }
    }

    /// Phase a.
    struct Saturated: Encodable, Sendable {
        /// Requests in flight.
        var concurrency: Int
        /// Against Hookline.
        var hookline: Ingest
        /// Against the baseline server (nil with `--no-baseline`).
        var baseline: Ingest?

        /// Hookline's throughput ÷ the baseline's.
        var throughputRatio: Double? {
            baseline.map { $0.throughputPerSecond > 0 ? hookline.throughputPerSecond / $0.throughputPerSecond : 0 }
        }

        /// Hookline's p99 latency ÷ the baseline's.
        var p99Ratio: Double? {
            baseline.map { Double(hookline.latency.p99Us) / Double(Swift.max($0.latency.p99Us, 1)) }
        }

        private enum CodingKeys: String, CodingKey {
            case concurrency, hookline, baseline, throughputRatio, p99Ratio
        }

        /// Encodes the ratios too.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(concurrency, forKey: .concurrency)
            try container.encode(hookline, forKey: .hookline)
            try container.encodeIfPresent(baseline, forKey: .baseline)
            try container.encodeIfPresent(throughputRatio, forKey: .throughputRatio)
            try container.encodeIfPresent(p99Ratio, forKey: .p99Ratio)
        }
    }

    /// Phase b, one offered rate.
    struct OpenLoop: Codable, Sendable {
        /// Requests per second offered.
        var offeredRate: Double
        /// Against Hookline.
        var hookline: Ingest
        /// Schedule slots skipped because too many requests were outstanding (the server fell behind).
        var skipped: Int
        /// How late the bench started Hookline's requests against their schedule: the part of the
        /// latency that is the bench's own.
        var startLag: LatencySummary
        /// Scheduled send to arrival at the receiver, for the messages that arrived.
        var endToEnd: LatencySummary?
        /// Acknowledged messages of this phase that never arrived.
        var undelivered: Int?
        /// Against the baseline server at the same rate.
        var baseline: Ingest?
    }

    /// Phase c.
    struct Delivery: Codable, Sendable {
        /// Arrivals per second at the receiver during saturated ingest.
        var duringSaturatedPerSecond: Double
        /// Acknowledged but not yet delivered when saturated ingest stopped.
        var backlogAfterSaturated: Int
        /// Time from the end of saturated ingest until that backlog had arrived.
        var backlogClearedSeconds: Double?
        /// The drain phase.
        var drain: Drain?
    }

    /// Draining a backlog ingested as fast as possible.
    struct Drain: Codable, Sendable {
        /// Messages acknowledged in the phase.
        var messages: Int
        /// Time to ingest them.
        var ingestSeconds: Double
        /// Not yet delivered when ingest finished.
        var backlogAtIngestEnd: Int
        /// First send to last arrival.
        var totalSeconds: Double?
        /// Messages ÷ total seconds.
        var deliveriesPerSecond: Double?
        /// Arrivals after ingest ended ÷ time from ingest end to the last arrival.
        var tailDeliveriesPerSecond: Double?
        /// Whether every message arrived.
        var complete: Bool
    }

    /// Phase f.
    struct Integrity: Codable, Sendable {
        /// Messages acknowledged with a 202, all phases.
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

    /// Phase e.
    struct Memory: Codable, Sendable {
        /// Hookline, idle after start-up and setup.
        var hooklineIdle: ProcessMemory?
        /// Hookline after all phases.
        var hooklineAfter: ProcessMemory?
        /// Baseline, idle.
        var baselineIdle: ProcessMemory?
        /// Baseline after all phases.
        var baselineAfter: ProcessMemory?
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
        case plan, cores, diskSync, startup, saturated, openLoop, delivery, integrity, memory, stream, edge
        case hooklineExit, problems, passed
    }

    /// Encodes every stored figure plus `passed`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(plan, forKey: .plan)
        try container.encode(cores, forKey: .cores)
        try container.encode(diskSync, forKey: .diskSync)
        try container.encode(startup, forKey: .startup)
        try container.encodeIfPresent(saturated, forKey: .saturated)
        try container.encode(openLoop, forKey: .openLoop)
        try container.encodeIfPresent(delivery, forKey: .delivery)
        try container.encodeIfPresent(integrity, forKey: .integrity)
        try container.encode(memory, forKey: .memory)
        try container.encodeIfPresent(stream, forKey: .stream)
        try container.encodeIfPresent(edge, forKey: .edge)
        try container.encodeIfPresent(hooklineExit, forKey: .hooklineExit)
        try container.encode(problems, forKey: .problems)
        try container.encode(passed, forKey: .passed)
    }
}
