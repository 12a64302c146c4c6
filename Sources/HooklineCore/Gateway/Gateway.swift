import Foundation
import Logging

/// Hookline's core operations, called by the HTTP layer and the CLI: no HTTP types here.
public struct Gateway<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// Rules for what the gateway accepts.
    public struct Configuration: Sendable {
        /// Which addresses endpoint URLs may reach.
        public var networkPolicy: NetworkPolicy
        /// How long a rotated-out secret keeps signing when the caller names no grace period.
        public var secretGracePeriod: Duration
        /// Resolves endpoint hosts when an endpoint is created or updated.
        public var resolver: any HostResolving

        /// Creates a configuration; defaults: no private addresses allowed, a 24 h secret grace period, the system resolver.
        public init(
            networkPolicy: NetworkPolicy = NetworkPolicy(), secretGracePeriod: Duration = .seconds(24 * 3600),
            resolver: any HostResolving = HostResolver()
        ) {
            self.networkPolicy = networkPolicy
            self.secretGracePeriod = secretGracePeriod
            self.resolver = resolver
        }
    }

    /// The store behind the gateway.
    public let store: Store
    /// The clock stamping new records.
    public let clock: Clock
    let committer: GroupCommitter<Store>
    let urlGuard: URLGuard
    let intake = MessageIntake()
    let metrics = HooklineMetrics()
    let logger: Logger
    let secretGracePeriod: Duration
    /// Raised when a background task is created, to wake the `TaskRunner`.
    public let taskSignal: WakeSignal

    /// Creates a gateway that commits messages through `committer`; `tasks` wakes the task runner.
    public init(
        configuration: Configuration, store: Store, clock: Clock, committer: GroupCommitter<Store>, logger: Logger,
        tasks: WakeSignal = WakeSignal()
    ) {
        self.secretGracePeriod = configuration.secretGracePeriod
        self.taskSignal = tasks
        self.store = store
        self.clock = clock
        self.committer = committer
        self.urlGuard = URLGuard(policy: configuration.networkPolicy, resolver: configuration.resolver)
        self.logger = logger
    }

    func checkPage(_ page: PageRequest) throws {
        try Validation.limit(page.limit)
    }
}
