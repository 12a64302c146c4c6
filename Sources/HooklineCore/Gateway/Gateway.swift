import Foundation
import Logging

/// Hookline's core operations, called by the HTTP layer and the CLI: no HTTP types here.
public struct Gateway<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// Rules for what the gateway accepts.
    public struct Configuration: Sendable {
        /// Which addresses endpoint URLs may reach.
        public var networkPolicy: NetworkPolicy

        /// Creates a configuration; default: no private addresses allowed.
        public init(networkPolicy: NetworkPolicy = NetworkPolicy()) {
            self.networkPolicy = networkPolicy
        }
    }

    /// The store behind the gateway.
    public let store: Store
    /// The clock stamping new records.
    public let clock: Clock
    let committer: GroupCommitter<Store>
    let urlGuard: URLGuard
    let router = MessageRouter()
    let metrics = HooklineMetrics()
    let logger: Logger

    /// Creates a gateway that commits messages through `committer`.
    public init(configuration: Configuration, store: Store, clock: Clock, committer: GroupCommitter<Store>, logger: Logger) {
        self.store = store
        self.clock = clock
        self.committer = committer
        self.urlGuard = URLGuard(policy: configuration.networkPolicy)
        self.logger = logger
    }

    func checkPage(_ page: PageRequest) throws {
        try Validation.limit(page.limit)
    }
}
