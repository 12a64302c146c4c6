import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite struct TokenBucketTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func allowsBurstThenRate() {
        var bucket = TokenBucket(rate: 2, now: t0)
        #expect(bucket.take(now: t0) == nil)
        #expect(bucket.take(now: t0) == nil)
        let next = bucket.take(now: t0)
        #expect(next == t0.addingTimeInterval(0.5), "the next token comes after 1/rate seconds")
        #expect(bucket.take(now: t0.addingTimeInterval(0.5)) == nil)
        #expect(bucket.take(now: t0.addingTimeInterval(0.5)) != nil)
    }

    @Test func neverHoldsMoreThanBurst() {
        var bucket = TokenBucket(rate: 1, burst: 3, now: t0)
        let later = t0.addingTimeInterval(3600)
        let granted = (0..<10).filter { _ in bucket.take(now: later) == nil }.count
        #expect(granted == 3)
    }

    @Test func sustainedRateMatches() {
        var bucket = TokenBucket(rate: 10, burst: 1, now: t0)
        var granted = 0
        for step in 0..<1000 where bucket.take(now: t0.addingTimeInterval(Double(step) * 0.01)) == nil {
            granted += 1
        }
        #expect((99...101).contains(granted), "10 per second over 10 s, got \(granted)")
    }
}

@Suite struct CircuitBreakerTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let configuration = CircuitBreaker.Configuration(
        consecutiveFailures: 3, failureRatio: 0.5, minimumCalls: 6, window: .seconds(60), openDuration: .seconds(30))

    @Test func opensAfterConsecutiveFailuresThenProbes() {
        var breaker = CircuitBreaker(configuration: configuration)
        #expect(breaker.record(success: false, now: t0) == false)
        breaker.record(success: false, now: t0)
        #expect(breaker.record(success: false, now: t0) == true)
        #expect(breaker.state == .open(until: t0.addingTimeInterval(30)))
        #expect(breaker.decide(now: t0.addingTimeInterval(10)) == .deferUntil(t0.addingTimeInterval(30)))
        #expect(breaker.decide(now: t0.addingTimeInterval(30)) == .probe)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.decide(now: t0.addingTimeInterval(31)) != .send, "only one probe at a time")
        breaker.record(success: true, now: t0.addingTimeInterval(31))
        #expect(breaker.state == .closed)
        #expect(breaker.decide(now: t0.addingTimeInterval(32)) == .send)
    }

    @Test func failedProbeReopens() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { breaker.record(success: false, now: t0) }
        _ = breaker.decide(now: t0.addingTimeInterval(30))
        breaker.record(success: false, now: t0.addingTimeInterval(31))
        #expect(breaker.state == .open(until: t0.addingTimeInterval(61)))
    }

    @Test func opensOnFailureRatioWithMinimumCalls() {
        var breaker = CircuitBreaker(configuration: configuration)
        let pattern = [true, false, true, false, false, true, false]
        var opened: Int?
        for (index, success) in pattern.enumerated() where opened == nil {
            if breaker.record(success: success, now: t0.addingTimeInterval(Double(index))) { opened = index }
        }
        #expect(opened == 5 || opened == 6, "trips once six calls are half failures, tripped at \(String(describing: opened))")
    }

    @Test func oldOutcomesLeaveTheWindow() {
        var breaker = CircuitBreaker(configuration: configuration)
        for index in 0..<5 { breaker.record(success: index % 2 == 0, now: t0) }
        breaker.record(success: false, now: t0.addingTimeInterval(120))
        #expect(breaker.state == .closed, "failures outside the window do not count")
    }
}

@Suite struct EndpointGovernorTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let endpoint = Fixtures.endpoint(app: Fixtures.application(at: Date(timeIntervalSince1970: 0)), at: Date(timeIntervalSince1970: 0))

    @Test func capsInFlightAndSpreadsDeferrals() {
        let governor = EndpointGovernor(configuration: .init(maxInFlightPerEndpoint: 2))
        #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .go)
        #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .go)
        guard case .wait(let first, _) = governor.admit(endpoint, throttleRate: nil, now: t0),
            case .wait(let second, _) = governor.admit(endpoint, throttleRate: nil, now: t0)
        else {
            Issue.record("a third delivery must wait")
            return
        }
        #expect(first > t0 && second > first, "deferrals are spread out, not herded")
        governor.finish(endpointId: endpoint.id, success: true, duration: 0.01, now: t0)
        #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .go, "a finished delivery frees its slot")
    }

    @Test func throttleAndBreakerDefer() {
        let breaker = CircuitBreaker.Configuration(consecutiveFailures: 1, openDuration: .seconds(10))
        let governor = EndpointGovernor(configuration: .init(maxInFlightPerEndpoint: 10, breaker: breaker))
        #expect(governor.admit(endpoint, throttleRate: 1, now: t0) == .go)
        if case .wait(_, let reason) = governor.admit(endpoint, throttleRate: 1, now: t0) {
            #expect(reason == "throttle")
        } else {
            Issue.record("the second delivery in the same second must wait for the throttle")
        }
        #expect(governor.finish(endpointId: endpoint.id, success: false, duration: 0.01, now: t0) == .open(until: t0.addingTimeInterval(10)))
        let later = t0.addingTimeInterval(5)
        #expect(governor.admit(endpoint, throttleRate: nil, now: later) == .wait(until: t0.addingTimeInterval(10), reason: "circuit open"))
        #expect(governor.breakerState(endpointId: endpoint.id) == .open(until: t0.addingTimeInterval(10)))
    }

    @Test func forgetsLanesIdleSinceTheCutoffButNotBusyOrOpenOnes() {
        let governor = EndpointGovernor(configuration: .init(maxInFlightPerEndpoint: 2, breaker: .init(consecutiveFailures: 1)))
        let app = Fixtures.application(at: t0)
        let idle = Fixtures.endpoint(app: app, at: t0), busy = Fixtures.endpoint(app: app, at: t0), failing = Fixtures.endpoint(app: app, at: t0)
        for endpoint in [idle, busy, failing] { #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .go) }
        governor.finish(endpointId: idle.id, success: true, duration: 0.01, now: t0)
        governor.finish(endpointId: failing.id, success: false, duration: 0.01, now: t0)
        #expect(governor.forgetIdleLanes(before: t0) == 0, "nothing is idle since before the cutoff yet")
        #expect(governor.forgetIdleLanes(before: t0.addingTimeInterval(600)) == 1, "only the idle, closed lane goes")
        #expect(governor.inFlightCounts()[busy.id] == 1, "a lane with a delivery in flight stays")
        #expect(governor.breakerState(endpointId: failing.id) != .closed, "an open breaker is kept")
        #expect(governor.health(endpointId: idle.id, throttleRate: nil, now: t0).recentAttempts == 0, "the idle lane starts afresh")
    }
}
