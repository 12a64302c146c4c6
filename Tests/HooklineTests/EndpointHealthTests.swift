import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite struct EndpointHealthTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let endpoint = Fixtures.endpoint(
        app: Fixtures.application(at: Date(timeIntervalSince1970: 1_700_000_000)), at: Date(timeIntervalSince1970: 1_700_000_000))

    @Test func breakerRecordsWhenItChangedAndKeepsTheCountsThatOpenedIt() {
        var breaker = CircuitBreaker(
            configuration: .init(consecutiveFailures: 3, failureRatio: 0.9, minimumCalls: 100, window: .seconds(60), openDuration: .seconds(10)))
        #expect(breaker.changedAt == nil)
        breaker.record(success: true, now: t0)
        breaker.record(success: false, now: t0.addingTimeInterval(1))
        breaker.record(success: false, now: t0.addingTimeInterval(2))
        #expect(breaker.consecutiveFailures == 2)
        let opened = breaker.record(success: false, now: t0.addingTimeInterval(3))
        #expect(opened)
        #expect(breaker.state == .open(until: t0.addingTimeInterval(13)))
        #expect(breaker.changedAt == t0.addingTimeInterval(3))
        #expect(breaker.consecutiveFailures == 3, "the streak that opened it stays visible")
        #expect(breaker.recentOutcomes(now: t0.addingTimeInterval(4)) == (total: 4, failures: 3))
        #expect(breaker.recentOutcomes(now: t0.addingTimeInterval(100)) == (total: 0, failures: 0), "old outcomes leave the window")
        let probe = breaker.decide(now: t0.addingTimeInterval(13))
        #expect(probe == .probe)
        #expect(breaker.changedAt == t0.addingTimeInterval(13))
        breaker.record(success: false, now: t0.addingTimeInterval(14))
        #expect(breaker.consecutiveFailures == 4, "a failed probe extends the streak")
        let second = breaker.decide(now: t0.addingTimeInterval(24))
        #expect(second == .probe)
        breaker.record(success: true, now: t0.addingTimeInterval(25))
        #expect(breaker.state == .closed)
        #expect(breaker.changedAt == t0.addingTimeInterval(25))
        #expect(breaker.consecutiveFailures == 0)
        #expect(breaker.recentOutcomes(now: t0.addingTimeInterval(25)) == (total: 0, failures: 0), "closing restarts the window")
    }

    @Test func governorReportsStateLoadAndThrottleShare() {
        let governor = EndpointGovernor(
            configuration: .init(maxInFlightPerEndpoint: 4, breaker: .init(consecutiveFailures: 2, openDuration: .seconds(30))))
        let unknown = governor.health(endpointId: "ep_unknown", throttleRate: nil, now: t0)
        #expect(unknown == EndpointHealth(circuit: .closed))
        #expect(governor.admit(endpoint, throttleRate: 10, now: t0) == .go)
        #expect(governor.admit(endpoint, throttleRate: 10, now: t0) == .go)
        var health = governor.health(endpointId: endpoint.id, throttleRate: 10, now: t0)
        #expect(health.inFlight == 2)
        #expect(health.throttleRate == 10)
        #expect(health.circuit == .closed && health.since == nil)
        governor.finish(endpointId: endpoint.id, success: false, duration: 0.1, now: t0)
        governor.finish(endpointId: endpoint.id, success: false, duration: 0.1, now: t0.addingTimeInterval(1))
        health = governor.health(endpointId: endpoint.id, throttleRate: 10, now: t0.addingTimeInterval(2))
        #expect(health.circuit == .open)
        #expect(health.since == t0.addingTimeInterval(1))
        #expect(health.openUntil == t0.addingTimeInterval(31))
        #expect(health.consecutiveFailures == 2)
        #expect(health.recentAttempts == 2 && health.recentFailures == 2 && health.failureRatio == 1)
        #expect(health.inFlight == 0)
        governor.update(cluster: ClusterView(size: 2, openCircuits: [endpoint.id: t0.addingTimeInterval(60)]))
        health = governor.health(endpointId: endpoint.id, throttleRate: 10, now: t0.addingTimeInterval(2))
        #expect(health.throttleRate == 5, "two nodes share the rate")
        #expect(health.openElsewhereUntil == t0.addingTimeInterval(60))
    }
}
