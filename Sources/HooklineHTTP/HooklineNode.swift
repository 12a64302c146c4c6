import HooklineCore
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// One Hookline node wired together: every service it runs (twelve always, up to fifteen; the table in
/// `docs/architecture.md`, "Services and shutdown", lists them).
///
/// `services` lists them in start order; a `ServiceGroup` shuts them down in reverse, so the
/// server stops accepting first, the engine drains, and the committers and clients go last.
package struct HooklineNode<Store: HooklineStore>: Sendable {
    /// Everything a node can be configured with.
    package struct Configuration: Sendable {
        /// The HTTP server.
        package var server: HooklineServer.Configuration
        /// What the API accepts.
        package var gateway: Gateway<Store, SystemClock>.Configuration
        /// How deliveries are claimed, sent and retried.
        package var engine: DeliveryEngine<Store, HTTPClientTransport, SystemClock>.Configuration
        /// Outbound connections.
        package var transport: HTTPClientTransport.Configuration
        /// Ingest batching.
        package var committer: GroupCommitter<Store>.Configuration
        /// Payload and response-body retention.
        package var retention: RetentionService<Store, SystemClock>.Configuration
        /// Queue-depth sampling.
        package var queueMonitor: QueueMonitor<Store, SystemClock>.Configuration
        /// Inbound sources' defaults (body limit, dedup window, secret grace period).
        package var inbound: InboundGateway<Store, SystemClock>.Configuration = .init()
        /// The event stream: client buffers, heartbeat, retry hint.
        package var broadcaster: Broadcaster<Store, SystemClock>.Configuration = .init()
        /// The status endpoint's cache and part timeout.
        package var status: StatusBoard<SystemClock>.Configuration = .init()
        /// Heartbeat and name of this node in a cluster (used only on a shared store).
        package var cluster: ClusterMembership<Store, SystemClock>.Configuration = .init()
        /// The operational webhook (`--operational-webhook-url`); `nil` (the default) posts none.
        package var operational: OperationalForwarder<Store, SystemClock>.Configuration? = nil
        /// The readiness check's thresholds (`--stall-after`, `--min-free-disk`).
        package var health: HealthCheck<Store, SystemClock>.Configuration = .init()

        /// Creates a configuration from its parts; every part has defaults but the API key.
        package init(
            server: HooklineServer.Configuration,
            gateway: Gateway<Store, SystemClock>.Configuration = .init(),
            engine: DeliveryEngine<Store, HTTPClientTransport, SystemClock>.Configuration = .init(),
            transport: HTTPClientTransport.Configuration = .init(),
            committer: GroupCommitter<Store>.Configuration = .init(),
            retention: RetentionService<Store, SystemClock>.Configuration = .init(),
            queueMonitor: QueueMonitor<Store, SystemClock>.Configuration = .init()
        ) {
            self.server = server
            self.gateway = gateway
            self.engine = engine
            self.transport = transport
            self.committer = committer
            self.retention = retention
            self.queueMonitor = queueMonitor
        }
    }

    /// The services to run, in start order.
    package let services: [any Service]
    /// The core operations, for callers in the same process.
    package let gateway: Gateway<Store, SystemClock>
    /// The inbound gateway's operations, for callers in the same process.
    package let inbound: InboundGateway<Store, SystemClock>
    /// The event stream's broadcaster, for callers in the same process.
    package let broadcaster: Broadcaster<Store, SystemClock>
    /// Where commits hand fresh deliveries to the engine (claim at commit), for callers in the same process.
    package let handoff: DeliveryHandoff
    /// The operational webhook forwarder, when configured, for callers in the same process.
    package let operational: OperationalForwarder<Store, SystemClock>?

    /// Wires a node over `store`; `metrics` enables `/metrics`; `onListening` receives the bound port.
    ///
    /// `foundation` services (e.g. a database connection pool) start first and stop last; `changeFeed` relays
    /// commits made by other nodes on a shared database into this node's wake-ups.
    package init(
        configuration: Configuration, store: Store, logger: Logger, metrics: PrometheusCollectorRegistry? = nil,
        foundation: [any Service] = [], changeFeed: (any StoreChangeFeed)? = nil,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        let clock = SystemClock()
        let wake = WakeSignal()
        let transport = HTTPClientTransport(configuration: configuration.transport)
        let engine = DeliveryEngine(
            configuration: configuration.engine, store: store, transport: transport, clock: clock, wake: wake, logger: logger)
        let committer = GroupCommitter(
            configuration: configuration.committer, store: store, committed: wake, handoff: engine.handoff, logger: logger)
        let taskSignal = WakeSignal()
        let gateway = Gateway(
            configuration: configuration.gateway, store: store, clock: clock, committer: committer, logger: logger, tasks: taskSignal)
        let tasks = TaskRunner(store: store, clock: clock, tasks: taskSignal, deliveries: wake, logger: logger)
        let inboundWake = WakeSignal()
        let inboundCommitter = InboundGateway<Store, SystemClock>.makeCommitter(store: store, committed: inboundWake, logger: logger)
        let inbound = InboundGateway(
            configuration: configuration.inbound, store: store, clock: clock, committer: inboundCommitter, routerSignal: inboundWake,
            logger: logger)
        let inboundRouter = InboundRouter(store: store, clock: clock, wake: inboundWake, deliveries: wake, logger: logger)
        let broadcaster = Broadcaster(configuration: configuration.broadcaster, store: store, clock: clock, logger: logger)
        wake.forward(to: broadcaster.changed)
        let operational = configuration.operational.map { settings in
            OperationalForwarder(configuration: settings, store: store, clock: clock, deliveries: wake, logger: logger)
        }
        if let operational { wake.forward(to: operational.changed) }
        inboundWake.forward(to: broadcaster.changed)
        let live = LiveServices(
            broadcaster: broadcaster, signer: StreamTokenSigner(apiKey: configuration.server.apiKey),
            status: StatusBoard(
                configuration: configuration.status, parts: StatusPart.standard(store: store, clock: clock, governor: engine.governor),
                clock: clock),
            governor: engine.governor)
        let readiness = Readiness()
        let health = HealthCheck(configuration: configuration.health, store: store, clock: clock, activity: engine.activity, logger: logger)
        let application = HooklineServer.makeApplication(
            configuration: configuration.server, gateway: gateway, readiness: readiness, logger: logger, metrics: metrics,
            inbound: inbound, live: live, health: HealthDetail(evaluate: health.evaluate), onListening: onListening)
        let retention = RetentionService(configuration: configuration.retention, store: store, clock: clock, logger: logger)
        let audit = PolicyAudit(
            store: store, policy: configuration.transport.networkPolicy, resolver: configuration.transport.resolver, logger: logger)
        let monitor = QueueMonitor(configuration: configuration.queueMonitor, store: store, clock: clock, metrics: HooklineMetrics(), logger: logger)
        self.gateway = gateway
        self.inbound = inbound
        self.broadcaster = broadcaster
        self.handoff = engine.handoff
        self.operational = operational
        let relay = changeFeed.map { feed in
            ChangeFeedRelay(
                feed: feed, targets: .init(deliveries: wake, events: broadcaster.changed, inbound: inboundWake, tasks: taskSignal), logger: logger)
        }
        let membership = changeFeed.map { _ in
            ClusterMembership(configuration: configuration.cluster, store: store, clock: clock, governor: engine.governor, logger: logger)
        }
        self.services =
            foundation + (relay.map { [$0] } ?? []) + (membership.map { [$0] } ?? []) + [
                HTTPClientService(transport: transport), committer, inboundCommitter, engine, tasks, inboundRouter, retention, monitor,
                health, broadcaster, application, audit,
            ] + (operational.map { [$0 as any Service] } ?? [])
    }
}
