import Foundation

extension EndpointGovernor {
    /// Replaces what this node knows of its cluster (size, circuits opened elsewhere).
    package func update(cluster view: ClusterView) {
        cluster.withLock { $0 = view }
    }

    /// What this node currently knows of its cluster.
    package var clusterView: ClusterView { cluster.withLock { $0 } }

    /// The endpoints whose circuit is open on this node, with when each closes.
    package func openCircuits() -> [String: Date] {
        unhealthyCircuits().compactMapValues { state in
            if case .open(let until) = state { return until }
            return nil
        }
    }
}
