import Foundation
import HooklineCore

/// An endpoint's circuit breaker and load on the answering node, in `…/endpoint/{id}/stats`.
struct EndpointCircuitOut: Encodable {
    /// `closed`, `open` or `half-open`.
    var state: String
    /// When the breaker entered `state` (absent: closed since the node started).
    var since: Date?
    /// When an open breaker lets a probe through.
    var openUntil: Date?
    /// Failed attempts in a row.
    var consecutiveFailures: Int
    /// Attempts in the breaker's sliding window.
    var recentAttempts: Int
    /// Failed attempts among them.
    var recentFailures: Int
    /// `recentFailures / recentAttempts` (absent when the window is empty).
    var failureRatio: Double?
    /// Deliveries in flight on this node.
    var inFlight: Int
    /// Messages per second this node allows the endpoint (its share of the throttle), if throttled.
    var throttleRate: Double?
    /// When a circuit opened by another node closes, if one is open.
    var openElsewhereUntil: Date?

    init(_ health: EndpointHealth) {
        state = health.circuit.rawValue
        since = health.since
        openUntil = health.openUntil
        consecutiveFailures = health.consecutiveFailures
        recentAttempts = health.recentAttempts
        recentFailures = health.recentFailures
        failureRatio = health.failureRatio
        inFlight = health.inFlight
        throttleRate = health.throttleRate
        openElsewhereUntil = health.openElsewhereUntil
    }
}
