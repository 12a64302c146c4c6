extension EndpointGovernor {
    /// The endpoints whose circuit is not closed on this node, with their state.
    package func unhealthyCircuits() -> [String: CircuitBreaker.State] {
        lanes.withLock { lanes in
            lanes.compactMapValues { lane in lane.breaker.state == .closed ? nil : lane.breaker.state }
        }
    }
}
