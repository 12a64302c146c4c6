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

    /// Smaller phases for a run of about 20 s.
    @Flag(help: "A short run (about 20 s) with smaller phases.")
    var quick = false

    /// Skip the baseline server.
    @Flag(name: .customLong("no-baseline"), help: "Skip the baseline server (no ratios).")
    var noBaseline = false

    /// Requests in flight during saturated ingest.
    @Option(help: "Requests in flight during saturated ingest (default 64).")
    var concurrency: Int?

    /// Saturated ingest time limit per server, seconds.
    @Option(help: ArgumentHelp("Saturated ingest time limit per server (default 10, quick 3).", valueName: "seconds"))
    var duration: Double?

    /// Saturated ingest count limit per server.
    @Option(name: .customLong("max-requests"), help: "Saturated ingest count limit per server (default 500000).")
    var maxRequests: Int?

    /// Open-loop offered rates, requests per second.
    @Option(
        help: ArgumentHelp("Open-loop offered rates, comma-separated (default 1000,2000).", valueName: "per-second,..."),
        transform: Self.parseRates
    )
    var rates: [Double]?

    /// Length of each open-loop schedule, seconds.
    @Option(
        name: .customLong("rate-duration"),
        help: ArgumentHelp("Length of each open-loop schedule (default 8, quick 2).", valueName: "seconds")
    )
    var rateDuration: Double?

    /// Messages in the drain phase.
    @Option(help: "Messages in the drain phase (default 20000, quick 4000).")
    var backlog: Int?

    /// Longest wait for deliveries to catch up, seconds.
    @Option(
        name: .customLong("drain-timeout"),
        help: ArgumentHelp("Longest wait for deliveries to catch up (default 60, quick 30).", valueName: "seconds")
    )
    var drainTimeout: Double?

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
        if let rates, rates.isEmpty || rates.contains(where: { $0 <= 0 }) {
            throw ValidationError("--rates needs positive numbers.")
        }
        for (name, value) in [("concurrency", concurrency), ("max-requests", maxRequests), ("backlog", backlog)] {
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
            workDirectory: workDirectory ?? FileManager.default.temporaryDirectory.path,
            keepData: keepData,
            quick: quick,
            baseline: !noBaseline,
            warmupSeconds: quick ? 0.5 : 1,
            concurrency: concurrency ?? 64,
            saturatedSeconds: duration ?? (quick ? 3 : 10),
            saturatedMaxRequests: maxRequests ?? 500_000,
            rates: rates ?? [1000, 2000],
            rateSeconds: rateDuration ?? (quick ? 2 : 8),
            maxInFlight: 5000,
            backlog: backlog ?? (quick ? 4000 : 20_000),
            backlogIngestSeconds: quick ? 15 : 60,
            drainTimeoutSeconds: drainTimeout ?? (quick ? 30 : 60),
            fsyncCount: fsyncCount ?? (quick ? 100 : 200),
            streams: streams ?? (quick ? 20 : 100),
            requestTimeoutSeconds: 30
        )
    }

    private static func parseRates(_ text: String) throws -> [Double] {
        try text.split(separator: ",").map {
            guard let rate = Double($0.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--rates: `\($0)` is not a number.")
            }
            return rate
        }
    }
}
