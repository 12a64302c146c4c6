import Foundation
import Logging

/// The inbound gateway's operations: source management, receiving provider requests, listing and replay.
///
/// Receiving verifies on the raw bytes, then commits the request through its `BatchCommitter`
/// (durable before the caller answers); the `InboundRouter` turns stored requests into messages.
public struct InboundGateway<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// Defaults for sources that do not set their own.
    public struct Configuration: Sendable {
        /// The largest body a source accepts unless it sets `maxBodyBytes`.
        public var maxBodyBytes: Int
        /// How long a seen event id makes repeats duplicates, unless the source sets a window.
        public var dedupWindow: Duration
        /// How long a replaced source secret stays accepted when the change names no grace period.
        public var secretGracePeriod: Duration

        /// Creates a configuration; defaults: 1 MiB bodies, a 24 h dedup window, a 24 h secret grace period.
        public init(maxBodyBytes: Int = 1 << 20, dedupWindow: Duration = .seconds(86_400), secretGracePeriod: Duration = .seconds(86_400)) {
            self.maxBodyBytes = maxBodyBytes
            self.dedupWindow = dedupWindow
            self.secretGracePeriod = secretGracePeriod
        }
    }

    /// The committer type for inbound requests.
    public typealias Committer = BatchCommitter<InboundRecord, InboundInsertOutcome>

    /// Source defaults.
    public let configuration: Configuration
    /// The store.
    public let store: Store
    /// The clock stamping requests and sources.
    public let clock: Clock
    /// The single writer for received requests.
    let committer: Committer
    /// Raised to wake the router (after every commit, and on replay).
    public let routerSignal: WakeSignal
    /// Counters.
    let metrics = InboundMetrics()
    /// Where failures are reported.
    let logger: Logger

    /// Creates a gateway committing through `committer`, whose commits raise `routerSignal`.
    public init(configuration: Configuration = .init(), store: Store, clock: Clock, committer: Committer, routerSignal: WakeSignal, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.committer = committer
        self.routerSignal = routerSignal
        self.logger = logger
    }

    /// A committer that stores inbound requests in `store` and raises `committed` after each transaction.
    public static func makeCommitter(store: Store, committed: WakeSignal, logger: Logger) -> Committer {
        Committer(committed: committed, logger: logger) { batch in try await store.insertInboundRequests(batch) }
    }

    /// The body limit of `source`.
    public func bodyLimit(of source: Source) -> Int {
        source.maxBodyBytes ?? configuration.maxBodyBytes
    }
}
