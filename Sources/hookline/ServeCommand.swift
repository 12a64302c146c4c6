import ArgumentParser
import Foundation
import HooklineCore
import HooklineHTTP
import HooklinePostgres
import HooklineSQLite
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `hookline serve`: runs a Hookline node on the embedded SQLite store, or on PostgreSQL with `--database`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Hookline server. Every flag can also be set as HOOKLINE_<NAME>."
    )

    @OptionGroup var options: ServeOptions

    func run() async throws {
        MallocArenas.limit()
        let settings = try ConfigLayers(path: options.config).serveSettings(options: options)
        settings.logFormat.bootstrap(level: settings.logLevel)
        let logger = Logger(label: "hookline")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory.hookline(registry: registry))
        try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
        let adminKey = try AdminKey.resolve(explicit: settings.apiKey, dataDirectory: settings.dataDirectory)
        switch settings.database {
        case .sqlite(let path):
            let store = try await SQLiteStore.open(path: path)
            let released = try await store.releaseLeases(now: Date())
            if released > 0 { logger.info("released deliveries leased by a previous run", metadata: ["count": "\(released)"]) }
            try await serve(
                store: store, settings: settings, adminKey: adminKey, registry: registry, logger: logger,
                foundation: [SQLiteLabelMerger(store: store, clock: SystemClock(), logger: logger)])
        case .postgres(let url):
            try await PostgresDatabase.with(url: url, logger: logger) { store in
                try await serve(
                    store: store, settings: settings, adminKey: adminKey, registry: registry, logger: logger,
                    foundation: [PostgresQueueVacuum(store: store, clock: SystemClock(), logger: logger)],
                    changeFeed: PostgresChangeFeed(pool: store.pool, logger: logger))
            }
        }
    }

    /// Runs one node over `store` until SIGTERM or SIGINT.
    func serve<Store: HooklineStore>(
        store: Store, settings: ServeSettings, adminKey: AdminKey, registry: PrometheusCollectorRegistry, logger: Logger,
        foundation: [any Service] = [], changeFeed: (any StoreChangeFeed)? = nil
    ) async throws {
        var configuration = settings.nodeConfiguration(apiKey: adminKey.value, store: Store.self)
        configuration.operational = try settings.operationalConfiguration(store: Store.self)
        if let operational = configuration.operational {
            logger.info("operational webhooks enabled", metadata: ["url": "\(operational.url)"])
        }
        let node = HooklineNode(
            configuration: configuration, store: store, logger: logger, metrics: registry, foundation: foundation, changeFeed: changeFeed
        ) { port in
            Banner.print(database: settings.database.redacted, adminKey: adminKey, host: settings.host, port: port)
        }
        let shutdown = ShutdownReport(store: store, logger: logger)
        let trimmer = MemoryTrimmer(clock: SystemClock())
        let group = ServiceGroup(
            configuration: .init(services: [trimmer] + node.services + [shutdown], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await shutdown.stopped()
    }
}

/// What `serve` prints once it listens.
enum Banner {
    static func print(database: String, adminKey: AdminKey, host: String, port: Int) {
        var lines = ["Hookline \(HooklineVersion.current)", "data: \(database)"]
        switch adminKey.origin {
        case .generated(let path): lines.append("api key: \(adminKey.value) (generated, stored in \(path))")
        case .stored(let path): lines.append("api key: stored in \(path)")
        case .explicit: lines.append("api key: from --api-key / HOOKLINE_API_KEY")
        }
        let address = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        lines.append("console: \(address)/ (sign in with the api key)")
        lines.append("listening on \(address)")
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
