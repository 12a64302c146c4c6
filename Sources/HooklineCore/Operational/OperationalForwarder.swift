import Foundation
import Logging
import ServiceLifecycle

/// Posts operational events (`message.attempt.exhausted|failing|recovered`, `endpoint.disabled|enabled`)
/// to an operational webhook URL by tailing the durable event log.
///
/// The target is an internal application (uid `hookline-operational`) with one endpoint at the
/// configured URL, created or updated at start-up; each operational event becomes a message of it, so
/// it is signed, retried, recorded and recoverable like any delivery. The last event id handled is a
/// durable checkpoint saved after each batch; the message's event id (`op-<event id>`) makes a batch
/// replayed after a crash a no-op, so every event is posted at least once and enqueued once. Events
/// about the operational application itself are ignored, so its own failures never loop. The delivery
/// hot path is untouched: this service reads the log after the fact.
public struct OperationalForwarder<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// Where operational webhooks go and how the log is tailed.
    public struct Configuration: Sendable {
        /// The operational webhook URL (it must pass the delivery network policy, e.g. `--allow-network` for private hosts).
        public var url: String
        /// The secret operational webhooks are signed with.
        public var secret: EndpointSecret
        /// The uid of the internal application holding the operational endpoint.
        public var applicationUid: String
        /// The uid of the operational endpoint within it.
        public var endpointUid: String
        /// The most events read per batch.
        public var batchSize: Int
        /// How long to sleep when nothing signals (a safety net; API changes raise no signal).
        public var idlePollInterval: Duration
        /// Who this node is when it leases the forwarding, so one node of a cluster forwards.
        public var leaseHolder: String
        /// How long the forwarding lease lasts without a batch renewing it.
        public var leaseDuration: Duration

        /// Creates a configuration; defaults: app uid `hookline-operational`, endpoint uid `operational`, batches of 256,
        /// 1 s idle poll, this process as holder, 30 s lease.
        public init(
            url: String, secret: EndpointSecret, applicationUid: String = "hookline-operational", endpointUid: String = "operational",
            batchSize: Int = 256, idlePollInterval: Duration = .seconds(1), leaseHolder: String = ClusterLease.processHolder,
            leaseDuration: Duration = .seconds(30)
        ) {
            self.url = url
            self.secret = secret
            self.applicationUid = applicationUid
            self.endpointUid = endpointUid
            self.batchSize = batchSize
            self.idlePollInterval = idlePollInterval
            self.leaseHolder = leaseHolder
            self.leaseDuration = leaseDuration
        }
    }

    /// The name of the checkpoint holding the last event id handled.
    public static var checkpointName: String { "operational-webhooks" }

    /// Target, batch size and lease.
    let configuration: Configuration
    /// Where the event log, the checkpoint and the operational messages live.
    let store: Store
    /// Stamps messages and bounds idle waits.
    let clock: Clock
    /// Raised after commits; the forwarder reads the log when it is.
    public let changed = WakeSignal()
    /// Raised after operational messages are committed, to wake the delivery engine.
    let deliveries: WakeSignal
    /// Raised after each checkpoint save (the first one places the forwarder at the end of the log): a signal
    /// for tests to wait on before reading the checkpoint.
    public let checkpointed = WakeSignal()
    /// Stamps operational messages and routes them to the operational application's endpoints.
    let intake = MessageIntake()
    /// Counts the operational messages and deliveries created.
    let metrics = HooklineMetrics()
    /// Where failures are reported (never the secret).
    let logger: Logger

    /// Creates a forwarder that raises `deliveries` after it enqueues messages; forward commits to `changed`.
    public init(configuration: Configuration, store: Store, clock: Clock, deliveries: WakeSignal, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.deliveries = deliveries
        self.logger = logger
    }

    /// Runs until graceful shutdown (between batches) or cancellation.
    public func run() async {
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            var applicationId: String?
            while !stopping.isRaised && !Task.isCancelled {
                var more = false
                do {
                    if applicationId == nil { applicationId = try await prepareTarget() }
                    if let applicationId { more = try await forwardBatch(applicationId: applicationId) }
                } catch {
                    logger.error("operational webhooks: forwarding failed", metadata: ["error": "\(error)"])
                }
                if more || stopping.isRaised { continue }
                await changed.wait(until: clock.now().adding(configuration.idlePollInterval), on: clock)
            }
        } onGracefulShutdown: {
            stopping.raise()
            changed.signal()
        }
    }
}
