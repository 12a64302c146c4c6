import Foundation
import Logging
import ServiceLifecycle

/// Keeps this node's heartbeat in the shared store and shares limits with the other live nodes.
///
/// Each beat renews the node's lease, publishes the circuits this node opened, and hands the governor
/// the live node count (throttles and in-flight caps are divided by it) and the circuits open elsewhere.
package struct ClusterMembership<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// How often the node beats.
    package struct Configuration: Sendable {
        /// Time between beats; a node missing three beats counts as gone.
        package var heartbeat: Duration
        /// This node's name in the cluster.
        package var holder: String

        /// Creates a configuration; defaults: a 2 s heartbeat, this process as holder.
        package init(heartbeat: Duration = .seconds(2), holder: String = ClusterLease.processHolder) {
            self.heartbeat = heartbeat
            self.holder = holder
        }
    }

    static var nodePrefix: String { "node:" }
    static var circuitPrefix: String { "circuit:" }

    let configuration: Configuration
    let store: Store
    let clock: Clock
    let governor: EndpointGovernor
    let logger: Logger

    /// Creates the membership service of a node whose limits `governor` enforces.
    package init(configuration: Configuration = .init(), store: Store, clock: Clock, governor: EndpointGovernor, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.governor = governor
        self.logger = logger
    }

    /// Beats until shutdown.
    package func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = clock.now()
                do {
                    try await beat(now: now)
                } catch {
                    logger.warning("cluster heartbeat failed", metadata: ["error": "\(error)"])
                }
                try? await clock.sleep(until: now.adding(configuration.heartbeat))
            }
        }
    }

    /// One beat: renew, publish local open circuits, read the cluster back into the governor.
    package func beat(now: Date) async throws {
        let holder = configuration.holder
        let ttl = configuration.heartbeat + configuration.heartbeat + configuration.heartbeat
        _ = try await store.acquireLease(ClusterLease(name: Self.nodePrefix + holder, holder: holder, now: now, until: now.adding(ttl)))
        for (endpointId, until) in governor.openCircuits() where until > now {
            _ = try await store.acquireLease(ClusterLease(name: Self.circuitPrefix + endpointId, holder: holder, now: now, until: until))
        }
        let nodes = try await store.activeLeases(prefix: Self.nodePrefix, now: now)
        var remote: [String: Date] = [:]
        for lease in try await store.activeLeases(prefix: Self.circuitPrefix, now: now) where lease.holder != holder {
            remote[String(lease.name.dropFirst(Self.circuitPrefix.count))] = lease.until
        }
        let view = ClusterView(size: nodes.count, openCircuits: remote)
        if view != governor.clusterView {
            logger.debug("cluster changed", metadata: ["nodes": "\(view.size)", "remoteOpenCircuits": "\(remote.count)"])
        }
        governor.update(cluster: view)
    }
}

/// A request to hold a named, time-limited lease so that periodic work runs on one node of a cluster at a time.
package struct ClusterLease: Sendable, Equatable {
    /// What the lease guards, e.g. `retention`.
    package var name: String
    /// The node asking for it.
    package var holder: String
    /// The current time.
    package var now: Date
    /// When the lease lapses unless renewed.
    package var until: Date

    /// Creates a lease request.
    package init(name: String, holder: String, now: Date, until: Date) {
        self.name = name
        self.holder = holder
        self.now = now
        self.until = until
    }
}

extension ClusterLease {
    /// This process's holder name: host, process id and a random suffix, unique across restarts.
    package static let processHolder: String = {
        let info = ProcessInfo.processInfo
        return "\(info.hostName)-\(info.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }()
}
