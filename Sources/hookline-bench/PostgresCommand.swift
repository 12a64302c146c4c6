import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklinePostgres

/// `hookline-bench postgres`: sustained ingest and delivery of one node on SQLite, one node on PostgreSQL, and two
/// nodes sharing one PostgreSQL database, in one run (issue 15, section 2).
struct PostgresCommand: AsyncParsableCommand {
    /// The subcommand's name and help.
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "Compare sustained ingest+delivery on SQLite, one PostgreSQL node and two PostgreSQL nodes on one database.",
        discussion: """
            Each configuration gets a fresh store (a SQLite file; a new database on --database's server, dropped after) and
            `hookline serve` processes of its own; one nginx receives every delivery. wrk runs flat out against every node
            at once (the connections split between them) for --duration seconds, after 2 s of warm-up. Reported: accepted
            and delivered rates, the sustained rate (accepted ÷ time until the last of them arrived), lost and duplicate
            deliveries, each node's share of the deliveries, the event-order lock's acquisition time (the nodes'
            /metrics) and pg_stat_activity sampled every 20 ms (sessions waiting for the advisory lock). With --rounds N
            the configurations run N times, every other round in reverse order, so the box's drift cancels in the ratios:
            each round prints its table, then a summary gives every round's ratios and their medians.
            """
    )

    /// The Hookline binary.
    @Option(help: ArgumentHelp("The hookline binary to launch.", valueName: "path"))
    var hookline: String

    /// The PostgreSQL server.
    @Option(help: ArgumentHelp("A postgres:// URL of a server where the run creates (and drops) its databases.", valueName: "url"))
    var database: String

    /// Seconds of load per configuration.
    @Option(help: "Seconds of load per configuration (default 10).")
    var duration = 10.0

    /// wrk connections, split between the nodes.
    @Option(help: "wrk connections, split between the nodes (default 64; two threads).")
    var connections = 64

    /// Times the configurations run, every other round in reverse order.
    @Option(help: "Rounds of all configurations, every other one in reverse order; ratios per round and their medians (default 1).")
    var rounds = 1

    /// Send an idempotency key with every request.
    @Flag(name: .customLong("idempotency-keys"), help: "Send an idempotency key unique to each request, as the Svix SDKs do on every POST.")
    var idempotencyKeys = false

    /// Skip the SQLite node.
    @Flag(name: .customLong("no-sqlite"), help: "Skip the SQLite node (no ratio to it).")
    var noSQLite = false

    /// Longest wait for the last deliveries.
    @Option(name: .customLong("drain-timeout"), help: "Longest wait for deliveries after the load, seconds (default 120).")
    var drainTimeout = 120.0

    /// Cores each node may use, or `nil` for no cap.
    @Option(
        name: .customLong("node-cpus"),
        help: ArgumentHelp(
            "Cap every node (the SQLite one too) at this many cores, each in a cgroup of its own (e.g. 0.4): nodes that stand in for machines of their own. Needs root.",
            valueName: "cores"))
    var nodeCPUs: Double?

    /// wrk, nginx and the nodes' extra arguments.
    @OptionGroup var tools: NodeLoadTools

    /// Parent of the work directory.
    @Option(name: .customLong("work-dir"), help: ArgumentHelp("Where the work directory goes (default: the system's).", valueName: "dir"))
    var workDirectory: String?

    /// Refuses fewer than one round.
    func validate() throws {
        if rounds < 1 { throw ValidationError("--rounds must be at least 1") }
    }

    /// Runs the configurations and prints the comparison.
    func run() async throws {
        let work = URL(fileURLWithPath: workDirectory ?? FileManager.default.temporaryDirectory.path)
            .appendingPathComponent("hookline-postgres-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let receiver = try await NginxServer.start(executable: tools.nginx, directory: work)
        let spread = SpreadLoad(
            wrk: WrkLoad(
                executable: tools.wrk, script: try WrkScript.write(into: work), directory: work, threads: 2, connections: connections,
                idempotencyKeys: idempotencyKeys),
            arrivals: ArrivalLog(path: receiver.arrivalLogPath), drainTimeout: .seconds(drainTimeout))
        let configurations = (noSQLite ? [] : [0]) + [1, 2]
        var reports: [PostgresComparison] = []
        do {
            for round in 1...rounds {
                let loadBefore = Self.loadAverage()
                var rows: [(nodes: Int, figures: SpreadLoad.Figures)] = []
                // Every other round in reverse order: a box that speeds up or slows down favours no configuration.
                for nodes in round.isMultiple(of: 2) ? configurations.reversed() : configurations {
                    if rounds > 1 { Console.progress("round \(round) of \(rounds)") }
                    rows.append((nodes, try await measure(nodes: nodes, work: work, spread: spread, receiver: receiver, client: client)))
                }
                let report = PostgresComparison(
                    round: rounds > 1 ? round : nil, cores: ProcessInfo.processInfo.activeProcessorCount, nodeCPUs: nodeCPUs,
                    loadBefore: loadBefore, loadAfter: Self.loadAverage(), rows: rows.sorted { $0.nodes < $1.nodes }.map(\.figures))
                print(report.table().render())
                reports.append(report)
            }
        } catch {
            await receiver.stop()
            try? await client.shutdown()
            throw error
        }
        await receiver.stop()
        try? await client.shutdown()
        if rounds > 1 { print(PostgresComparison.summary(of: reports).render()) }
        print(
            String(
                decoding: try JSONEncoder().encode(reports.count == 1 ? PostgresComparisonOutput.one(reports[0]) : .rounds(reports)), as: UTF8.self))
        if reports.contains(where: { $0.rows.contains { $0.lost > 0 || $0.duplicates > 0 } }) { throw ExitCode.failure }
    }

    /// Measures one configuration: the SQLite node (`nodes` 0), or `nodes` PostgreSQL nodes on a fresh database.
    private func measure(nodes: Int, work: URL, spread: SpreadLoad, receiver: NginxServer, client: HTTPClient) async throws -> SpreadLoad.Figures {
        guard nodes > 0 else {
            let path = work.appendingPathComponent("bench-\(UUID().uuidString.prefix(8)).sqlite").path
            return try await measure(
                "sqlite", database: .sqlite(path: path), nodes: 1, work: work, spread: spread, receiver: receiver, client: client)
        }
        return try await HistoryDatabase.withFresh(prefix: "hl_bench_pg\(nodes)", adminURL: database) { created in
            try await measure(
                nodes == 1 ? "postgres" : "postgres x\(nodes)", database: created, nodes: nodes, work: work, spread: spread, receiver: receiver,
                client: client)
        }
    }

    /// Starts `nodes` processes on `database`, runs the load over them, and stops them.
    private func measure(
        _ label: String, database: HistoryDatabase, nodes count: Int, work: URL, spread: SpreadLoad, receiver: NginxServer, client: HTTPClient
    ) async throws -> SpreadLoad.Figures {
        let apiKey = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var servers: [ServerProcess] = []
        var quotas: [CPUQuota] = []
        defer {
            for quota in quotas { quota.remove() }
        }
        do {
            for index in 0..<count {
                Console.progress("\(label): starting node \(index + 1) of \(count)")
                servers.append(
                    try await ServerProcess.launch(
                        name: "hookline-\(index)", executable: URL(fileURLWithPath: hookline),
                        arguments: [
                            "serve", "--host", "127.0.0.1", "--port", "0", "--database", database.argument, "--api-key", apiKey,
                            "--data-dir", work.appendingPathComponent("\(label)-\(index)".replacingOccurrences(of: " ", with: "-")).path,
                            "--allow-network", "127.0.0.0/8", "--retry-schedule", "100ms,1s", "--log-level", "warning",
                        ] + tools.hooklineArguments, startupTimeout: .seconds(120)))
                if let nodeCPUs, let server = servers.last {
                    let quota = try CPUQuota.create(name: "hookline-bench-\(server.pid)", cpus: nodeCPUs)
                    quotas.append(quota)
                    try quota.add(pid: server.pid)
                }
            }
            let nodes = servers.map { SpreadLoad.Node(api: HooklineAPI(baseURL: $0.baseURL, apiKey: apiKey, client: client), pid: $0.pid) }
            for node in nodes where !(await node.api.waitUntilHealthy(timeout: .seconds(60))) {
                throw BenchError.startFailed("hookline", "GET \(node.api.baseURL)/api/v1/health did not answer 200 within 60 s")
            }
            var sampler: LockWaitSampler?
            if case .postgres(let url, _) = database { sampler = LockWaitSampler(url: url) }
            let figures = try await spread.run(
                label: label, nodes: nodes, endpointURL: receiver.webhookURL, seconds: duration, sampler: sampler)
            for server in servers { _ = await server.terminate(grace: .seconds(20)) }
            return figures
        } catch {
            for server in servers { _ = await server.terminate(grace: .seconds(5)) }
            throw error
        }
    }

    /// The 1-minute load average.
    static func loadAverage() -> Double? {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
    }
}
