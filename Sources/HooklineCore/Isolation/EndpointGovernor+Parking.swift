import Foundation

/// Parking: a claimed delivery whose endpoint is at its in-flight cap waits in memory behind the endpoint's
/// running deliveries instead of being deferred back to the store, and the next delivery to finish there
/// takes it over at once — no deferral write, no new claim, no new task.
///
/// At most `Configuration.parkedCaps` caps' worth waits per endpoint, only for endpoints whose limits need nothing but the cap (no
/// throttle, breaker closed, no circuit open elsewhere), and every parked delivery stays leased in the store:
/// dropped ones (shutdown, a breaker opening, a lease running short) come back when their lease lapses.
extension EndpointGovernor {
    /// What a finished delivery leaves to its task.
    package struct Successor: Sendable {
        /// The breaker's new state, when this outcome changed it.
        package var changed: CircuitBreaker.State?
        /// The parked delivery to run next in the freed slot (already admitted), if any.
        package var next: ClaimedDelivery?
        /// Parked deliveries that may no longer run here (the breaker is not closed): defer them.
        package var evicted: [ClaimedDelivery] = []
    }

    /// Parks `delivery` when its endpoint is at its cap but otherwise open and has room to park; returns
    /// whether it did. A delivery that is not parked goes through `admit` as usual.
    package func park(_ delivery: ClaimedDelivery, now: Date) -> Bool {
        guard let endpoint = delivery.endpoint, Self.mayPark(delivery) else { return false }
        return lanes.withLock { lanes in
            // Taken out and put back, so the parked deliveries are not copied to append one (copy on write).
            guard var lane = lanes.removeValue(forKey: endpoint.id) else { return false }
            defer { lanes[endpoint.id] = lane }
            let view = cluster.withLock { $0 }
            let cap = view.share(ofCap: max(1, configuration.maxInFlightPerEndpoint))
            guard lane.inFlight >= cap, lane.parked.count < configuration.parkedCaps * cap, lane.breaker.state == .closed else { return false }
            if let until = view.openCircuits[endpoint.id], until > now { return false }
            lane.parked.append(delivery)
            return true
        }
    }

    /// Releases the slot of a delivery admitted with `.go` (as `finish`) and hands the freed slot to the
    /// endpoint's oldest parked delivery while the breaker stays closed.
    package func finishAndTakeNext(endpointId: String, success: Bool?, duration: TimeInterval, now: Date) -> Successor {
        lanes.withLock { lanes in
            guard var lane = lanes.removeValue(forKey: endpointId) else { return Successor() }
            defer { lanes[endpointId] = lane }
            var successor = Successor(changed: lane.finish(success: success, duration: duration, now: now))
            guard !lane.parked.isEmpty else { return successor }
            let view = cluster.withLock { $0 }
            let circuitOpenElsewhere = view.openCircuits[endpointId].map { $0 > now } ?? false
            guard lane.breaker.state == .closed, !circuitOpenElsewhere else {
                successor.evicted = lane.parked.removeAll()
                return successor
            }
            let cap = view.share(ofCap: max(1, configuration.maxInFlightPerEndpoint))
            guard lane.inFlight < cap else { return successor }
            lane.inFlight += 1
            successor.next = lane.parked.popFirst()
            return successor
        }
    }

    /// Whether one more delivery for the endpoint could run or park on this node now: fewer than its cap in
    /// flight plus its parked caps, and this node's breaker closed (what a commit may lease at once).
    package func mayHold(endpointId: String) -> Bool {
        lanes.withLock { lanes in
            guard let lane = lanes[endpointId] else { return true }
            let cap = cluster.withLock { $0 }.share(ofCap: max(1, configuration.maxInFlightPerEndpoint))
            return lane.inFlight + lane.parked.count < (1 + configuration.parkedCaps) * cap && lane.breaker.state == .closed
        }
    }

    /// Removes and returns the deliveries parked for one endpoint (it was disabled meanwhile: defer them).
    package func evictParked(endpointId: String) -> [ClaimedDelivery] {
        lanes.withLock { lanes in
            lanes[endpointId]?.parked.removeAll() ?? []
        }
    }

    /// Forgets every parked delivery (graceful shutdown): they stay leased and come back when their lease lapses.
    @discardableResult
    package func dropParked() -> Int {
        lanes.withLock { lanes in
            var dropped = 0
            for key in Array(lanes.keys) where !(lanes[key]?.parked.isEmpty ?? true) {
                dropped += lanes[key]?.parked.count ?? 0
                _ = lanes[key]?.parked.removeAll()
            }
            return dropped
        }
    }

    /// How many deliveries wait parked, across endpoints.
    package var parkedCount: Int {
        lanes.withLock { $0.values.reduce(0) { $0 + $1.parked.count } }
    }

    /// Only deliveries that need nothing but the cap may park: not ordered, not throttled, endpoint enabled.
    private static func mayPark(_ delivery: ClaimedDelivery) -> Bool {
        guard let endpoint = delivery.endpoint else { return false }
        return !endpoint.disabled && !endpoint.ordered && endpoint.throttleRate == nil && delivery.applicationThrottleRate == nil
    }
}
