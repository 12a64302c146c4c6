import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklinePostgres

/// `hookline-bench history`: the same figures on a nearly empty database and on one holding a large finished
/// history, in one run, with their ratio (issue 15: within 10 %).
struct HistoryCommand: AsyncParsableCommand {
    /// The subcommand's name and help.
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Compare ingest, delivery, list reads and status on a small and a large finished history (SQLite or PostgreSQL).",
        discussion: """
            Seeds two SQLite files (or, with --database, two new PostgreSQL databases) with `seed`'s history
            (4 applications, 7 days, 1 KiB payloads): --baseline messages (default 4000, enough for 10 pages of 50 per
            application) and --messages (default 5000000), or uses --seeded as the large one. Each runs under its own
            `hookline serve` (both running at once); the bench times sequential reads of seed-app-0 on both, in blocks that
            alternate between them, then ingest with wrk -t2 -c64 and (with nginx) the run's sustained and latency
            phases twice on each, in the order small, large, large, small, so a drift of the box weighs on both alike.
            Prints a table (small, large, large ÷ small; load figures as the mean of the two runs, each run beside
            it) and a JSON line.
            """
    )

    /// The Hookline binary to launch.
    @Option(help: ArgumentHelp("The hookline binary to launch.", valueName: "path"))
    var hookline: String

    /// Messages in the large history.
    @Option(help: "Finished messages in the large history (default 5000000; with --seeded, what that file holds, for the report).")
    var messages = 5_000_000

    /// Messages in the baseline history.
    @Option(help: "Finished messages in the baseline history (default 4000).")
    var baseline = 4_000

    /// An already seeded large history.
    @Option(
        help: ArgumentHelp(
            "Use this seeded SQLite file (or, with --database, postgres:// URL) as the large history instead of seeding one (it is written to).",
            valueName: "file-or-url"))
    var seeded: String?

    /// A PostgreSQL server to run on instead of SQLite.
    @Option(
        help: ArgumentHelp(
            "Run on PostgreSQL: a postgres:// URL of a database on the server where the run creates (and drops) its two databases.", valueName: "url")
    )
    var database: String?

    /// Sequential requests per read.
    @Option(help: "Timed requests per read (default 300).")
    var requests = 300

    /// Ingest seconds per database.
    @Option(help: "Seconds of ingest per database (default 10).")
    var duration = 10.0

    /// The wrk binary.
    @Option(help: ArgumentHelp("The wrk binary (default /usr/bin/wrk).", valueName: "path"))
    var wrk = "/usr/bin/wrk"

    /// The nginx binary; empty skips delivery.
    @Option(help: ArgumentHelp("The nginx binary for the delivery figures (default /usr/sbin/nginx; \"\" skips them).", valueName: "path"))
    var nginx = "/usr/sbin/nginx"

    /// Offered rate of the end-to-end latency measurement.
    @Option(name: .customLong("latency-rate"), help: "Offered rate for end-to-end latency, messages/s (default 2000: one delivery keeps up with).")
    var latencyRate = 2_000.0

    /// Parent of the work directory.
    @Option(name: .customLong("work-dir"), help: ArgumentHelp("Where the work directory goes (default: the system's).", valueName: "dir"))
    var workDirectory: String?

    /// Rejects sizes that describe no comparison.
    func validate() throws {
        if baseline < 2_000 { throw ValidationError("--baseline must be at least 2000 (10 pages of 50 for seed-app-0)") }
        if seeded == nil && messages <= baseline { throw ValidationError("--messages must be larger than --baseline") }
    }

    /// Runs both databases and prints the comparison.
    func run() async throws {
        let work = URL(fileURLWithPath: workDirectory ?? FileManager.default.temporaryDirectory.path)
            .appendingPathComponent("hookline-history-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let load = WrkLoad(executable: wrk, script: try WrkScript.write(into: work), directory: work, threads: 2, connections: 64)
        let probe = HistoryProbe(requests: requests, ingestSeconds: duration)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        do {
            try await compare(work: work, probe: probe, load: load, client: client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
    }

    /// Seeds both histories, measures each, and prints the comparison.
    private func compare(work: URL, probe: HistoryProbe, load: WrkLoad, client: HTTPClient) async throws {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(8)
        let small: HistoryDatabase
        let large: HistoryDatabase
        if let database {
            small = try await HistoryDatabase.create(name: "hl_history_small_\(suffix)", adminURL: database)
            if let seeded {
                large = .postgres(url: try PostgresURL(seeded), created: false)
            } else {
                large = try await HistoryDatabase.create(name: "hl_history_large_\(suffix)", adminURL: database)
            }
        } else {
            small = .sqlite(path: work.appendingPathComponent("small.sqlite").path)
            large = .sqlite(path: seeded ?? work.appendingPathComponent("large.sqlite").path)
        }
        do {
            Console.progress("seeding the baseline: \(baseline) messages")
            let seededSmall = try await SeedDatabase.seed(small.argument, shape: .init(messages: baseline))
            var seeding: HistorySeeder.Result?
            if seeded == nil {
                Console.progress("seeding the large history: \(messages) messages")
                seeding = try await SeedDatabase.seed(large.argument, shape: .init(messages: messages))
                Console.progress(String(format: "seeded at %.0f messages/s", seeding?.messagesPerSecond ?? 0))
            }
            let servers = try await launch([small, large], client: client)
            let reads: [HistoryProbe.Reads]
            do {
                reads = try await probe.reads(on: servers.map(\.target))
            } catch {
                for server in servers { _ = await server.process.terminate(grace: .seconds(5)) }
                throw error
            }
            let runs: [[HistoryProbe.Figures]]
            do {
                runs = try await measure(
                    servers, histories: [seededSmall.messages, seeding?.messages ?? messages], reads: reads, work: work, probe: probe, load: load)
            } catch {
                for server in servers { _ = await server.process.terminate(grace: .seconds(5)) }
                throw error
            }
            for server in servers { _ = await server.process.terminate(grace: .seconds(20)) }
            let comparison = HistoryComparison(
                store: database == nil ? "SQLite" : "PostgreSQL", small: runs[0], large: runs[1],
                seedingMessagesPerSecond: seeding?.messagesPerSecond, largeFileBytes: await large.bytes())
            print(comparison.table().render())
            print(String(decoding: try JSONEncoder().encode(comparison), as: UTF8.self))
        } catch {
            await small.drop()
            await large.drop()
            throw error
        }
        await small.drop()
        await large.drop()
    }

    /// A Hookline running on one history for the comparison.
    private struct Server {
        var process: ServerProcess
        var target: HistoryProbe.Target
    }

    /// Launches one Hookline per database, all running at once so that their reads can alternate.
    private func launch(_ databases: [HistoryDatabase], client: HTTPClient) async throws -> [Server] {
        var servers: [Server] = []
        do {
            for database in databases {
                Console.progress("starting hookline on \(database.argument)")
                let apiKey = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                let process = try await ServerProcess.launch(
                    name: "hookline", executable: URL(fileURLWithPath: hookline),
                    arguments: [
                        "serve", "--host", "127.0.0.1", "--port", "0", "--database", database.argument, "--api-key", apiKey,
                        "--allow-network", "127.0.0.0/8", "--retry-schedule", "100ms,1s", "--log-level", "warning",
                    ], startupTimeout: .seconds(300))
                let api = HooklineAPI(baseURL: process.baseURL, apiKey: apiKey, client: client)
                servers.append(Server(process: process, target: .init(api: api, appId: "seed-app-0", endpointId: "")))
                guard await api.waitUntilHealthy(timeout: .seconds(60)) else {
                    throw BenchError.startFailed("hookline", "GET /api/v1/health did not answer 200 within 60 s")
                }
                servers[servers.count - 1].target.endpointId = try await Self.seededEndpoint(api)
            }
        } catch {
            for server in servers { _ = await server.process.terminate(grace: .seconds(5)) }
            throw error
        }
        return servers
    }

    /// Measures ingest and delivery (with nginx, unless skipped) on the servers in the order small, large, large, small,
    /// so a drift of the box's speed during the run weighs on both histories alike; returns each server's two runs.
    private func measure(
        _ servers: [Server], histories: [Int], reads: [HistoryProbe.Reads], work: URL, probe: HistoryProbe, load: WrkLoad
    ) async throws -> [[HistoryProbe.Figures]] {
        var receivers: [NginxServer] = []
        do {
            var contexts: [PhaseContext?] = servers.map { _ in nil }
            if !nginx.isEmpty {
                let plan = try BenchOptions.parse([
                    "--hookline", hookline, "--duration", String(duration), "--latency-rate", String(latencyRate), "--wrk", wrk,
                ]).plan()
                for (index, server) in servers.enumerated() {
                    let directory = work.appendingPathComponent("nginx-\(index)")
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                    let receiver = try await NginxServer.start(executable: nginx, directory: directory)
                    receivers.append(receiver)
                    contexts[index] = PhaseContext(
                        plan: plan, hookline: server.target.api, hooklinePID: server.process.pid, nginx: receiver, baseline: nil, wrk: load)
                }
            }
            var runs: [[HistoryProbe.Figures]] = servers.map { _ in [] }
            for index in [0, 1, 1, 0] where servers.indices.contains(index) {
                let server = servers[index]
                runs[index].append(
                    try await probe.load(
                        api: server.target.api, pid: server.process.pid, wrk: load, history: histories[index], reads: reads[index],
                        context: contexts[index], run: runs[index].count + 1))
            }
            for receiver in receivers { await receiver.stop() }
            return runs
        } catch {
            for receiver in receivers { await receiver.stop() }
            throw error
        }
    }

    /// The id of `seed-app-0`'s endpoint `seed-ep`.
    private static func seededEndpoint(_ api: HooklineAPI) async throws -> String {
        struct Endpoint: Decodable {
            var id: String
        }
        let response = try await api.client.execute(api.request(path: "/api/v1/app/seed-app-0/endpoint/seed-ep"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok, let endpoint = try? JSONDecoder().decode(Endpoint.self, from: Data(body.readableBytesView)) else {
            throw BenchError.unexpectedResponse("GET seed-app-0's endpoint seed-ep", status: response.status.code, body: String(buffer: body))
        }
        return endpoint.id
    }
}
