import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Logging
import Testing

@Suite struct ClusterShareTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func sharesRateAndCapBySize() {
        let view = ClusterView(size: 4)
        #expect(view.share(ofRate: 10) == 2.5)
        #expect(view.share(ofCap: 32) == 8)
        #expect(view.share(ofCap: 2) == 1, "every node keeps at least one slot")
        #expect(ClusterView(size: 0).size == 1, "a node always counts itself")
    }

    @Test func governorDividesThrottleAmongNodes() {
        let governor = EndpointGovernor()
        let endpoint = Fixtures.endpoint(app: Fixtures.application(at: t0), at: t0)
        governor.update(cluster: ClusterView(size: 2))
        var admitted = 0
        for step in 0..<100 {
            let now = t0.addingTimeInterval(Double(step) * 0.1)
            if governor.admit(endpoint, throttleRate: 10, now: now) == .go {
                admitted += 1
                governor.finish(endpointId: endpoint.id, success: true, duration: 0.01, now: now)
            }
        }
        #expect((50...56).contains(admitted), "half of 10/s over 10 s plus the burst, got \(admitted)")
    }

    @Test func governorHonoursCircuitsOpenedElsewhere() {
        let governor = EndpointGovernor()
        let endpoint = Fixtures.endpoint(app: Fixtures.application(at: t0), at: t0)
        let until = t0.addingTimeInterval(30)
        governor.update(cluster: ClusterView(size: 2, openCircuits: [endpoint.id: until]))
        #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .wait(until: until, reason: "circuit open on another node"))
        #expect(governor.admit(endpoint, throttleRate: nil, now: until) == .go, "the remote circuit lapses")
    }
}

@Suite struct ClusterMembershipTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func nodesSeeEachOtherAndShareOpenCircuits() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
        let clock = ManualClock(start: t0)
        let breaker = CircuitBreaker.Configuration(consecutiveFailures: 2, openDuration: .seconds(30))
        let governorA = EndpointGovernor(configuration: .init(breaker: breaker))
        let governorB = EndpointGovernor(configuration: .init(breaker: breaker))
        let nodeA = ClusterMembership(configuration: .init(holder: "a"), store: store, clock: clock, governor: governorA, logger: Logger(label: "a"))
        let nodeB = ClusterMembership(configuration: .init(holder: "b"), store: store, clock: clock, governor: governorB, logger: Logger(label: "b"))
        try await nodeA.beat(now: t0)
        try await nodeB.beat(now: t0)
        try await nodeA.beat(now: t0)
        #expect(governorA.clusterView.size == 2 && governorB.clusterView.size == 2)

        let endpoint = Fixtures.endpoint(app: Fixtures.application(at: t0), at: t0)
        for _ in 0..<2 {
            #expect(governorA.admit(endpoint, throttleRate: nil, now: t0) == .go)
            governorA.finish(endpointId: endpoint.id, success: false, duration: 0.01, now: t0)
        }
        try await nodeA.beat(now: t0.addingTimeInterval(1))
        try await nodeB.beat(now: t0.addingTimeInterval(1))
        guard case .wait(_, let reason) = governorB.admit(endpoint, throttleRate: nil, now: t0.addingTimeInterval(1)) else {
            Issue.record("node B should defer while node A's circuit is open")
            return
        }
        #expect(reason == "circuit open on another node")

        // Node A stops beating; after three missed beats B counts itself alone.
        try await nodeB.beat(now: t0.addingTimeInterval(8))
        #expect(governorB.clusterView.size == 1)
    }
}
