import Foundation
import Synchronization

/// Per-endpoint admission on one node: a concurrency cap, the endpoint's throttle and its circuit breaker.
///
/// Deliveries that may not go now are deferred — no attempt spent — to a time spread by a per-endpoint
/// virtual clock, so a backlog for one endpoint is re-examined at about the pace it can be served.
package final class EndpointGovernor: Sendable {
    /// Limits applied to each endpoint.
    package struct Configuration: Sendable {
        /// The most deliveries in flight to one endpoint.
        package var maxInFlightPerEndpoint: Int
        /// When a breaker opens and how long it stays open.
        package var breaker: CircuitBreaker.Configuration
        /// How many caps' worth of claimed deliveries may wait in memory behind an endpoint at its cap (see `park`).
        package var parkedCaps: Int

        /// Creates a configuration; defaults: 32 in flight per endpoint, the breaker's defaults, three caps parked.
        ///
        /// Three caps parked keep a busy endpoint's slots fed while the next claim is in the writer's queue: with one
        /// cap a backlog drained in bursts (8 300/s, 143 µs per delivery; three: 9 800/s, 127 µs, performance.md).
        package init(maxInFlightPerEndpoint: Int = 32, breaker: CircuitBreaker.Configuration = .init(), parkedCaps: Int = 3) {
            self.maxInFlightPerEndpoint = maxInFlightPerEndpoint
            self.breaker = breaker
            self.parkedCaps = max(1, parkedCaps)
        }

        /// The most deliveries one endpoint may hold on this node: its cap in flight plus its parked caps (what a
        /// claim may lease for it, `ClaimRequest.perEndpointLimit`).
        package var heldPerEndpoint: Int { (1 + parkedCaps) * max(1, maxInFlightPerEndpoint) }
    }

    /// Whether a delivery may go now.
    package enum Admission: Sendable, Equatable {
        /// Send it now; call `finish` afterwards.
        case go
        /// Defer it to this time; the reason names the limit.
        case wait(until: Date, reason: String)
    }

    struct Lane {
        var inFlight = 0
        var bucket: TokenBucket?
        var breaker: CircuitBreaker
        var virtualTime = Date.distantPast
        var averageSeconds = 0.05
        /// The last admission or finish, for `forgetIdleLanes`.
        var lastActive = Date.distantPast
        /// Claimed deliveries waiting for one of this endpoint's in-flight slots (see `park`).
        var parked = ParkedQueue()

        /// Releases one in-flight slot and feeds the breaker; returns the breaker's new state when it changed.
        mutating func finish(success: Bool?, duration: TimeInterval, now: Date) -> CircuitBreaker.State? {
            inFlight = max(0, inFlight - 1)
            lastActive = max(lastActive, now)
            guard let success else { return nil }
            averageSeconds = averageSeconds * 0.8 + max(duration, 0.001) * 0.2
            return breaker.record(success: success, now: now) ? breaker.state : nil
        }

        mutating func spread(after start: Date, step: TimeInterval) -> Date {
            virtualTime = max(virtualTime, start).addingTimeInterval(step)
            return virtualTime
        }
    }

    let configuration: Configuration
    let lanes = Mutex<[String: Lane]>([:])
    /// The cluster this node belongs to; limits are shared out by its size.
    let cluster = Mutex(ClusterView())

    /// Creates a governor.
    package init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Decides whether a delivery to `endpoint` may go at `now`; `.go` reserves an in-flight slot.
    package func admit(_ endpoint: Endpoint, throttleRate: Int?, now: Date) -> Admission {
        lanes.withLock { lanes in
            var lane = lanes[endpoint.id] ?? Lane(breaker: CircuitBreaker(configuration: configuration.breaker))
            defer { lanes[endpoint.id] = lane }
            lane.lastActive = max(lane.lastActive, now)
            let view = cluster.withLock { $0 }
            let cap = view.share(ofCap: max(1, configuration.maxInFlightPerEndpoint))
            if lane.inFlight >= cap {
                return .wait(until: lane.spread(after: now, step: lane.averageSeconds / Double(cap)), reason: "concurrency cap")
            }
            if let rate = throttleRate, rate > 0 {
                let share = view.share(ofRate: rate)
                if lane.bucket?.rate != share { lane.bucket = TokenBucket(rate: share, now: now) }
                if let next = lane.bucket!.take(now: now) {
                    return .wait(until: lane.spread(after: next, step: 1 / share), reason: "throttle")
                }
            } else {
                lane.bucket = nil
            }
            if let until = view.openCircuits[endpoint.id], until > now {
                return .wait(until: until, reason: "circuit open on another node")
            }
            if case .deferUntil(let until) = lane.breaker.decide(now: now) {
                return .wait(until: until, reason: "circuit open")
            }
            lane.inFlight += 1
            return .go
        }
    }

    /// Forgets the lanes of endpoints idle since before `cutoff` (nothing in flight or parked, breaker closed), so
    /// deleted endpoints do not stay in memory; an endpoint that comes back starts a fresh lane. Returns how many.
    @discardableResult
    package func forgetIdleLanes(before cutoff: Date) -> Int {
        lanes.withLock { lanes in
            let idle = lanes.filter { _, lane in
                lane.inFlight == 0 && lane.parked.isEmpty && lane.breaker.state == .closed && lane.lastActive < cutoff
            }
            for endpointId in idle.keys { lanes.removeValue(forKey: endpointId) }
            return idle.count
        }
    }

    /// The deliveries this node holds per endpoint that has any: in flight, and parked behind them.
    package func inFlightCounts() -> [String: Int] {
        lanes.withLock { lanes in
            var counts: [String: Int] = [:]
            for (endpointId, lane) in lanes where lane.inFlight + lane.parked.count > 0 {
                counts[endpointId] = lane.inFlight + lane.parked.count
            }
            return counts
        }
    }

    /// Releases the slot of a delivery admitted with `.go`; `success` is `nil` when no attempt was made.
    /// Returns the breaker's new state when this outcome changed it.
    @discardableResult
    package func finish(endpointId: String, success: Bool?, duration: TimeInterval, now: Date) -> CircuitBreaker.State? {
        lanes.withLock { lanes in
            guard var lane = lanes[endpointId] else { return nil }
            defer { lanes[endpointId] = lane }
            return lane.finish(success: success, duration: duration, now: now)
        }
    }

    /// The breaker state of an endpoint (closed when unknown).
    package func breakerState(endpointId: String) -> CircuitBreaker.State {
        lanes.withLock { $0[endpointId]?.breaker.state ?? .closed }
    }
}
