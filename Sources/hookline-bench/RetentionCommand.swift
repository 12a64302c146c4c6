import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklineSQLite

/// `hookline-bench retention`: purging a large expired history while ingest runs at half its saturated rate
/// (issue 15: ack p99 within 2× of the run without purging, nothing unexpired lost, space given back).
struct RetentionCommand: AsyncParsableCommand {
    /// The subcommand's name and help.
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Measure ingest while retention deletes a large expired history (SQLite).",
        discussion: """
            Seeds a SQLite file with --expired finished messages 91-100 days old (past the default 90-day history
            retention; no events, as event retention pruned them long ago) and --kept finished messages of the last
            20 days. Run 1: `hookline serve --history-retention 0 --retention 3650d` (nothing deleted or emptied); wrk -t2 -c64 flat out for
            --duration s gives the saturated ingest rate, then wrk paced at --fraction of it for --duration s gives
            the ack latency without purging. Run 2: the default history retention, so the sweep starts deleting at
            start; the same paced load, then the bench waits for the purge to finish (hookline_retention_purged_total
            on /metrics). Prints file size, pages and message counts before and after, and a JSON line.
            """
    )

    /// The Hookline binary to launch.
    @Option(help: ArgumentHelp("The hookline binary to launch.", valueName: "path"))
    var hookline: String

    /// Expired messages to seed.
    @Option(help: "Expired finished messages to seed and purge (default 4000000).")
    var expired = 4_000_000

    /// Unexpired messages to seed.
    @Option(help: "Unexpired finished messages to seed, which must all survive (default 200000).")
    var kept = 200_000

    /// Seconds of each load.
    @Option(help: "Seconds of each wrk run (default 20).")
    var duration = 20.0

    /// The share of the saturated rate offered during the paced runs.
    @Option(help: "Share of the saturated ingest rate offered while measuring latency (default 0.5).")
    var fraction = 0.5

    /// The wrk binary.
    @Option(help: ArgumentHelp("The wrk binary (default /usr/bin/wrk).", valueName: "path"))
    var wrk = "/usr/bin/wrk"

    /// How long to wait for the purge to finish.
    @Option(name: .customLong("purge-timeout"), help: "Seconds to wait for the purge to finish after the load (default 1800).")
    var purgeTimeout = 1_800.0

    /// Parent of the work directory.
    @Option(name: .customLong("work-dir"), help: ArgumentHelp("Where the work directory goes (default: the system's).", valueName: "dir"))
    var workDirectory: String?

    /// Rejects sizes that describe no purge.
    func validate() throws {
        if expired < 1 || kept < 1 || duration <= 0 || !(0.05...1).contains(fraction) {
            throw ValidationError("--expired and --kept must be at least 1, --duration positive, --fraction in 0.05...1")
        }
    }

    /// Seeds, runs both servers and prints the figures.
    func run() async throws {
        let work = URL(fileURLWithPath: workDirectory ?? FileManager.default.temporaryDirectory.path)
            .appendingPathComponent("hookline-retention-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let path = work.appendingPathComponent("history.sqlite").path
        let load = WrkLoad(executable: wrk, script: try WrkScript.write(into: work), directory: work, threads: 2, connections: 64)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        defer { _ = client.shutdown() }

        Console.progress("seeding \(expired) expired messages")
        let old = try await SeedDatabase.seed(path, shape: .init(messages: expired, days: 9, endsDaysAgo: 91, events: false))
        Console.progress("seeding \(kept) unexpired messages")
        let recent = try await SeedDatabase.seed(path, shape: .init(messages: kept, days: 20, bulk: false))
        var report = RetentionReport(expired: expired, kept: kept, seedingMessagesPerSecond: old.messagesPerSecond)
        let seededBy = Date()
        report.before = try await RetentionReport.FileState.read(path, seededBy: seededBy)
        report.seedingUnexpiredPerSecond = recent.messagesPerSecond

        let plain = try await Self.launch(hookline, path: path, extra: ["--history-retention", "0", "--retention", "3650d"], client: client)
        let appA = try await plain.api.createApplication(name: "retention-ingest-1")
        let url = { (api: HooklineAPI, app: String) in api.baseURL + "/api/v1/app/\(app)/msg" }
        Console.progress("run 1 (no purge): saturated ingest, \(Int(duration)) s")
        let warmup = try await load.run(
            .init(name: "warmup", url: url(plain.api, appA), apiKey: plain.api.apiKey, duration: .seconds(2), collectIDs: false))
        let saturated = try await load.run(
            .init(name: "saturated", url: url(plain.api, appA), apiKey: plain.api.apiKey, duration: .seconds(duration), collectIDs: false))
        let rate = saturated.result.ackedPerSecond * fraction
        report.saturated = saturated.result
        Console.progress(String(format: "run 1 (no purge): %.0f/s paced (%.0f%% of %.0f/s)", rate, fraction * 100, saturated.result.ackedPerSecond))
        let quiet = try await load.run(
            .init(
                name: "paced-plain", url: url(plain.api, appA), apiKey: plain.api.apiKey, duration: .seconds(duration),
                ratePerThread: rate / 2, collectIDs: false))
        report.withoutPurge = quiet.result
        _ = await plain.server.terminate(grace: .seconds(30))

        let purging = try await Self.launch(hookline, path: path, extra: [], client: client)
        let started = ContinuousClock.now
        let appB = try await purging.api.createApplication(name: "retention-ingest-2")
        Console.progress(String(format: "run 2 (purging): %.0f/s paced", rate))
        let busy = try await load.run(
            .init(
                name: "paced-purge", url: url(purging.api, appB), apiKey: purging.api.apiKey, duration: .seconds(duration),
                ratePerThread: rate / 2, collectIDs: false))
        report.withPurge = busy.result
        report.purgedDuringLoad = Int(try await MetricsScrape.take(purging.api)[Self.purgedSeries])
        Console.progress("run 2: \(report.purgedDuringLoad) purged during the load; waiting for the rest")
        report.purgeSeconds = try await Self.waitForPurge(purging.api, total: expired, since: started, timeout: purgeTimeout)
        _ = await purging.server.terminate(grace: .seconds(60))

        report.after = try await RetentionReport.FileState.read(path, seededBy: seededBy)
        report.acknowledged = warmup.result.acked + saturated.result.acked + quiet.result.acked + busy.result.acked
        print(report.table().render())
        print(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
    }

    /// The series counting deleted messages.
    static let purgedSeries = #"hookline_retention_purged_total{kind="message"}"#

    /// Starts `hookline serve` on `path` and waits until it answers.
    private static func launch(_ hookline: String, path: String, extra: [String], client: HTTPClient) async throws -> (
        server: ServerProcess, api: HooklineAPI
    ) {
        let apiKey = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let server = try await ServerProcess.launch(
            name: "hookline", executable: URL(fileURLWithPath: hookline),
            arguments: [
                "serve", "--host", "127.0.0.1", "--port", "0", "--database", "sqlite://" + path, "--api-key", apiKey, "--log-level", "info",
            ] + extra, startupTimeout: .seconds(300))
        let api = HooklineAPI(baseURL: server.baseURL, apiKey: apiKey, client: client)
        guard await api.waitUntilHealthy(timeout: .seconds(60)) else {
            _ = await server.terminate(grace: .seconds(5))
            throw BenchError.startFailed("hookline", "GET /api/v1/health did not answer 200 within 60 s")
        }
        return (server, api)
    }

    /// Scrapes `/metrics` every second until `total` messages were purged; returns the seconds since `since`.
    private static func waitForPurge(_ api: HooklineAPI, total: Int, since: ContinuousClock.Instant, timeout: Double) async throws -> Double {
        while since.duration(to: .now).inSeconds < timeout {
            let purged = Int(try await MetricsScrape.take(api)[purgedSeries])
            if purged >= total { return since.duration(to: .now).inSeconds }
            try await Task.sleep(for: .seconds(1))
        }
        throw BenchError.io("the purge had not finished after \(Int(timeout)) s")
    }

}
