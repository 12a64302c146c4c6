import ArgumentParser
import Foundation

/// The command line of a benchmark run. Sizes left unset take their default, or their `--quick` value.
struct BenchOptions: ParsableArguments {
    /// The Hookline binary to launch.
    @Option(help: ArgumentHelp("The hookline binary to launch.", valueName: "path"))
    var hookline: String?

    /// Extra arguments for `hookline serve`.
    @Option(name: .customLong("hookline-arg"), help: ArgumentHelp("An extra argument for `hookline serve` (repeatable).", valueName: "arg"))
    var hooklineArguments: [String] = []

    /// Smaller phases for a run of about 90 s.
    @Flag(help: "A short run (about 90 s) with smaller phases.")
    var quick = false

    /// Skip the baseline server.
    @Flag(name: .customLong("no-baseline"), help: "Skip the Hummingbird responder (no ratio to it).")
    var noBaseline = false

    /// wrk connections in every phase.
    @Option(help: "wrk connections (-c) in every phase (default 64; two threads).")
    var connections: Int?

    /// Phase 1 and 3 duration per server, seconds.
    @Option(help: ArgumentHelp("Ingest and sustained phase length per server (default 10, quick 3).", valueName: "seconds"))
    var duration: Double?

    /// Phase 2 backlog.
    @Option(help: "Messages in the drain backlog (default 50000, quick 10000).")
    var backlog: Int?

    /// Phase 4 offered rate.
    @Option(name: .customLong("latency-rate"), help: "Offered rate of the latency phase, messages/s (default 5000).")
    var latencyRate: Double?

    /// Phase 5 checkpoints.
    @Option(
        name: .customLong("memory-checkpoints"),
        help: ArgumentHelp("Cumulative message counts for RSS readings (default 100000,1000000; quick 100000,200000).", valueName: "n,..."),
        transform: Self.parseCounts
    )
    var memoryCheckpoints: [Int]?

    /// Longest wait for deliveries to catch up, seconds.
    @Option(
        name: .customLong("drain-timeout"),
        help: ArgumentHelp("Longest wait for deliveries to catch up after a phase (default 60, quick 20).", valueName: "seconds")
    )
    var drainTimeout: Double?

    /// The wrk binary.
    @Option(help: ArgumentHelp("The wrk binary (default /usr/bin/wrk).", valueName: "path"))
    var wrk = "/usr/bin/wrk"

    /// The nginx binary.
    @Option(help: ArgumentHelp("The nginx binary (default /usr/sbin/nginx).", valueName: "path"))
    var nginx = "/usr/sbin/nginx"

    /// Rounds of the disk sync probe.
    @Option(name: .customLong("fsync-count"), help: "Rounds of the disk sync probe (default 200, quick 100).")
    var fsyncCount: Int?

    /// Event streams to hold open, if Hookline has them.
    @Option(help: "Event streams to hold open if Hookline has them (default 100, quick 20).")
    var streams: Int?

    /// Parent of the temporary data directory.
    @Option(
        name: .customLong("work-dir"),
        help: ArgumentHelp("Where the temporary data directory goes (default: the system's temporary directory).", valueName: "dir")
    )
    var workDirectory: String?

    /// Keep the data directory after the run.
    @Flag(name: .customLong("keep-data"), help: "Keep Hookline's data directory after the run.")
    var keepData = false

    /// Where to write the JSON report too.
    @Option(name: .customLong("json-out"), help: ArgumentHelp("Also write the JSON report to this file.", valueName: "file"))
    var jsonOut: String?

    /// A PostgreSQL server for the node instead of SQLite.
    @Option(
        help: ArgumentHelp(
            "Run the node on PostgreSQL: a postgres:// URL of a server where the run creates (and drops) a fresh database.",
            valueName: "url"))
    var database: String?

    /// Hidden: measure the server already running at this URL instead of launching one.
    @Option(name: .customLong("target-url"), help: .hidden)
    var targetURL: String?

    /// Hidden: the bearer token for `--target-url`.
    @Option(name: .customLong("api-key"), help: .hidden)
    var apiKey: String?

    /// Hidden: the process id behind `--target-url`, for memory and CPU figures.
    @Option(name: .customLong("target-pid"), help: .hidden)
    var targetPID: Int32?

    /// Rejects option combinations that describe no runnable benchmark.
    func validate() throws {
        switch (hookline, targetURL) {
        case (nil, nil): throw ValidationError("Give --hookline PATH: the hookline binary to benchmark.")
        case (.some, .some): throw ValidationError("--hookline and --target-url exclude each other.")
        case (nil, .some) where apiKey == nil: throw ValidationError("--target-url needs --api-key.")
        default: break
        }
        if database != nil && targetURL != nil { throw ValidationError("--database and --target-url exclude each other.") }
        if let database, !database.hasPrefix("postgres://") && !database.hasPrefix("postgresql://") {
            throw ValidationError("--database takes a postgres:// URL.")
        }
        if let latencyRate, latencyRate <= 0 {
            throw ValidationError("--latency-rate must be positive.")
        }
        for (name, value) in [("connections", connections), ("backlog", backlog)] {
            if let value, value < 1 { throw ValidationError("--\(name) must be at least 1.") }
        }
    }

    /// The plan these options describe.
    func plan() -> BenchPlan {
        let target: BenchPlan.Target =
            if let targetURL {
                .running(url: targetURL, pid: targetPID)
            } else {
                .launch(executable: hookline ?? "hookline", extraArguments: hooklineArguments)
            }
        return BenchPlan(
            target: target,
            store: database == nil ? "sqlite" : "postgres",
            workDirectory: workDirectory ?? FileManager.default.temporaryDirectory.path,
            keepData: keepData,
            quick: quick,
            baseline: !noBaseline,
            wrk: wrk,
            nginx: nginx,
            threads: 2,
            connections: connections ?? 64,
            warmupSeconds: quick ? 1 : 2,
            ingestSeconds: duration ?? (quick ? 3 : 10),
            backlog: backlog ?? (quick ? 10_000 : 50_000),
            sustainedSeconds: duration ?? (quick ? 3 : 10),
            latencyRate: latencyRate ?? 5000,
            latencySeconds: quick ? 3 : 10,
            memoryCheckpoints: memoryCheckpoints ?? (quick ? [100_000, 200_000] : [100_000, 1_000_000]),
            memoryTopUpSeconds: quick ? 15 : 150,
            isolationHung: 400,
            isolationHealthy: 100,
            isolationIntervalMs: 20,
            byteSample: quick ? 100 : 300,
            drainTimeoutSeconds: drainTimeout ?? (quick ? 20 : 60),
            fsyncCount: fsyncCount ?? (quick ? 100 : 200),
            streams: streams ?? (quick ? 20 : 100),
            inboundSeconds: quick ? 2 : 4,
            requestTimeoutSeconds: 30
        )
    }

    private static func parseCounts(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map {
            guard let count = Int($0.trimmingCharacters(in: .whitespaces)), count > 0 else {
                throw ValidationError("--memory-checkpoints: `\($0)` is not a positive count.")
            }
            return count
        }
    }
}
