import Foundation

extension EndpointGovernor {
    /// Replaces what this node knows of its cluster (size, circuits opened elsewhere).
    public func update(cluster view: ClusterView) {
        cluster.withLock { $0 = view }
    }

    /// What this node currently knows of its cluster.
    public var clusterView: ClusterView { cluster.withLock { $0 } }

    /// The endpoints whose circuit is open on this node, with when each closes.
    public func openCircuits() -> [String: Date] {
        lanes.withLock { lanes in
            lanes.compactMapValues { lane in
                if case .open(let until) = lane.breaker.state { return until }
                return nil
            }
        }
    }
}
