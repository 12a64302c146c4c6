import ArgumentParser
import AsyncHTTPClient
import Foundation

/// `hookline-bench recovery`: whether a node that fell behind catches up under a load it carries when caught up
/// (issue 15: a PostgreSQL node once behind under flat-out ingest never caught up).
struct RecoveryCommand: AsyncParsableCommand {
    /// The subcommand's name and help.
    static let configuration = CommandConfiguration(
        commandName: "recovery",
        abstract: "Whether a node behind a backlog catches up while a steady load goes on.",
        discussion: """
            For each store (SQLite, and PostgreSQL with --database: a fresh database, dropped after) a fresh node gets one
            application with --endpoints endpoints on nginx. wrk ingests --backlog messages due at one instant a few seconds
            ahead; from that instant wrk offers --rate messages/s for --duration seconds. Printed each second and in total:
            messages accepted, deliveries made and leased at commit, and the backlog of deliveries (every endpoint's row of
            every message, less those delivered); then how long the rest took to drain after the load, and whether every
            acknowledged message reached every endpoint exactly once. --history seeds each store with finished messages first.
            """
    )

    /// The Hookline binary.
    @Option(help: ArgumentHelp("The hookline binary to launch.", valueName: "path"))
    var hookline: String

    /// The PostgreSQL server, when a PostgreSQL node is measured too.
    @Option(help: ArgumentHelp("A postgres:// URL of a server where the run creates (and drops) a database.", valueName: "url"))
    var database: String?

    /// Endpoints of the application: each message is delivered to every one.
    @Option(help: "Endpoints of the application, each receiving every message (default 4).")
    var endpoints = 4

    /// Messages ingested ahead, all due at one instant.
    @Option(help: "Messages of the backlog, all due at once (default 1000).")
    var backlog = 1000

    /// The steady load offered from that instant.
    @Option(help: "Messages/s offered once the backlog is due (default 1000).")
    var rate = 1000.0

    /// Seconds of steady load.
    @Option(help: "Seconds of steady load (default 20).")
    var duration = 20

    /// Longest wait for the last deliveries.
    @Option(name: .customLong("drain-timeout"), help: "Longest wait for deliveries after the load, seconds (default 180).")
    var drainTimeout = 180.0

    /// Finished messages seeded into each store before its node starts.
    @Option(help: "Finished messages (with attempts and events) seeded into each store before its node starts (default 0).")
    var history = 0

    /// The host name endpoint URLs give the receiver.
    @Option(
        name: .customLong("receiver-host"),
        help: ArgumentHelp(
            "How endpoint URLs name the receiver (default 127.0.0.1; e.g. localhost, so each delivery's send-time check resolves a name).",
            valueName: "host"))
    var receiverHost = "127.0.0.1"

    /// Send an idempotency key with every request.
    @Flag(name: .customLong("idempotency-keys"), help: "Send an idempotency key unique to each request, as the Svix SDKs do on every POST.")
    var idempotencyKeys = false

    /// Skip the SQLite node.
    @Flag(name: .customLong("no-sqlite"), help: "Measure only the PostgreSQL node.")
    var noSQLite = false

    /// wrk, nginx and the nodes' extra arguments.
    @OptionGroup var tools: NodeLoadTools

    /// Checks the sizes describe a run.
    func validate() throws {
        guard endpoints > 0, backlog > 0, rate > 0, duration > 0 else {
            throw ValidationError("--endpoints, --backlog, --rate and --duration must be positive")
        }
        guard history >= 0 else { throw ValidationError("--history must not be negative") }
    }

    /// Runs each store's node and prints the table.
    func run() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("hookline-recovery-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let receiver = try await NginxServer.start(executable: tools.nginx, directory: work)
        let run = RecoveryRun(
            wrk: WrkLoad(
                executable: tools.wrk, script: try WrkScript.write(into: work), directory: work, threads: 2, connections: 64,
                idempotencyKeys: idempotencyKeys),
            arrivals: ArrivalLog(path: receiver.arrivalLogPath),
            endpointURL: receiver.webhookURL.replacingOccurrences(of: "//127.0.0.1:", with: "//\(receiverHost):"), endpoints: endpoints,
            backlog: backlog, rate: rate, seconds: duration, drainTimeout: .seconds(drainTimeout))
        var results: [RecoveryRun.Figures] = []
        do {
            if !noSQLite {
                results.append(try await measure("sqlite", .sqlite(path: work.appendingPathComponent("bench.sqlite").path), run, work, client))
            }
            if let database {
                results.append(
                    try await HistoryDatabase.withFresh(prefix: "hl_bench_recovery", adminURL: database) { created in
                        try await measure("postgres", created, run, work, client)
                    })
            }
        } catch {
            await receiver.stop()
            try? await client.shutdown()
            throw error
        }
        await receiver.stop()
        try? await client.shutdown()
        print(RecoveryRun.table(results).render())
        print(String(decoding: try JSONEncoder().encode(results), as: UTF8.self))
        if results.contains(where: { $0.lost > 0 || $0.duplicates > 0 }) { throw ExitCode.failure }
    }

    /// Starts one node on `database`, runs the backlog and the load through it, and stops it.
    private func measure(
        _ label: String, _ database: HistoryDatabase, _ run: RecoveryRun, _ work: URL, _ client: HTTPClient
    ) async throws -> RecoveryRun.Figures {
        let apiKey = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        if history > 0 {
            Console.progress("\(label): seeding \(history) finished messages")
            _ = try await SeedDatabase.seed(database.argument, shape: .init(messages: history))
        }
        Console.progress("\(label): starting the node")
        let server = try await ServerProcess.launch(
            name: "hookline", executable: URL(fileURLWithPath: hookline),
            arguments: [
                "serve", "--host", "127.0.0.1", "--port", "0", "--database", database.argument, "--api-key", apiKey,
                "--data-dir", work.appendingPathComponent(label).path, "--allow-network", "127.0.0.0/8",
                "--retry-schedule", "100ms,1s", "--log-level", "warning",
            ] + tools.hooklineArguments, startupTimeout: .seconds(120))
        do {
            let api = HooklineAPI(baseURL: server.baseURL, apiKey: apiKey, client: client)
            guard await api.waitUntilHealthy(timeout: .seconds(60)) else {
                throw BenchError.startFailed("hookline", "GET \(api.baseURL)/api/v1/health did not answer 200 within 60 s")
            }
            let figures = try await run.run(label: label, api: api, pid: server.pid)
            _ = await server.terminate(grace: .seconds(20))
            return figures
        } catch {
            _ = await server.terminate(grace: .seconds(5))
            throw error
        }
    }
}
