import Foundation

extension EndpointGovernor {
    /// This node's view of `endpointId` at `now`; `throttleRate` is the endpoint's configured rate (its
    /// own or its application's), shared out over the cluster as `admit` does.
    package func health(endpointId: String, throttleRate: Int?, now: Date) -> EndpointHealth {
        let view = clusterView
        let elsewhere = view.openCircuits[endpointId].flatMap { $0 > now ? $0 : nil }
        let share = throttleRate.flatMap { $0 > 0 ? view.share(ofRate: $0) : nil }
        return lanes.withLock { lanes in
            guard let lane = lanes[endpointId] else {
                return EndpointHealth(circuit: .closed, throttleRate: share, openElsewhereUntil: elsewhere)
            }
            let breaker = lane.breaker
            let recent = breaker.recentOutcomes(now: now)
            var health = EndpointHealth(
                circuit: .closed, since: breaker.changedAt, consecutiveFailures: breaker.consecutiveFailures,
                recentAttempts: recent.total, recentFailures: recent.failures, inFlight: lane.inFlight, throttleRate: share,
                openElsewhereUntil: elsewhere)
            switch breaker.state {
            case .closed: break
            case .halfOpen: health.circuit = .halfOpen
            case .open(let until):
                health.circuit = .open
                health.openUntil = until
            }
            return health
        }
    }
}
