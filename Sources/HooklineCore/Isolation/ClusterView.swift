import Foundation

/// What one node knows of its cluster: how many nodes share the work, and which circuits others opened.
public struct ClusterView: Sendable, Equatable {
    /// Live nodes, this one included (at least 1).
    public var size: Int
    /// Endpoints whose circuit another node opened, with when it closes.
    public var openCircuits: [String: Date]

    /// Creates a view; by default a single node with no remote circuits.
    public init(size: Int = 1, openCircuits: [String: Date] = [:]) {
        self.size = max(1, size)
        self.openCircuits = openCircuits
    }

    /// This node's share of a cluster-wide per-endpoint rate.
    public func share(ofRate rate: Int) -> Double { Double(rate) / Double(size) }

    /// This node's share of a cluster-wide per-endpoint in-flight cap (at least one).
    public func share(ofCap cap: Int) -> Int { max(1, cap / size) }
}
