import Foundation
import HooklineTesting
import Testing

@testable import HooklineCore

/// Parking: claimed deliveries wait in memory behind an endpoint at its cap and take over freed slots.
@Suite struct GovernorParkingTests {
    let t0 = Date(millisecondsSince1970: 1_764_480_000_000)

    private func claimed(_ endpoint: Endpoint, app: Application, id: Int64) -> ClaimedDelivery {
        let message = Fixtures.message(app: app, at: t0)
        let delivery = Delivery(
            id: id, messageId: message.id, endpointId: endpoint.id, appId: app.id, state: .sending, attempts: 0,
            nextAttemptAt: t0.addingTimeInterval(60))
        return ClaimedDelivery(delivery: delivery, claimToken: 1, message: message, endpoint: endpoint)
    }

    @Test func parksOnlyAtTheCapAndHandsFreedSlotsOverInOrder() {
        let configuration = EndpointGovernor.Configuration(maxInFlightPerEndpoint: 2, parkedCaps: 2)
        #expect(configuration.heldPerEndpoint == 6, "a claim may lease the cap plus two caps parked")
        let governor = EndpointGovernor(configuration: configuration)
        let app = Fixtures.application(at: t0)
        let endpoint = Fixtures.endpoint(app: app, at: t0)
        #expect(!governor.park(claimed(endpoint, app: app, id: 1), now: t0), "below the cap a delivery goes, it does not park")
        #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .go)
        #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .go)
        for id in 3...6 {
            #expect(governor.park(claimed(endpoint, app: app, id: Int64(id)), now: t0))
        }
        #expect(!governor.park(claimed(endpoint, app: app, id: 7), now: t0), "at most two caps' worth waits")
        #expect(governor.inFlightCounts()[endpoint.id] == 6, "claims count parked deliveries as held")
        #expect(!governor.mayHold(endpointId: endpoint.id), "a commit leases nothing more for it")

        for id in 3...6 {
            let successor = governor.finishAndTakeNext(endpointId: endpoint.id, success: true, duration: 0.01, now: t0)
            #expect(successor.next?.delivery.id == Int64(id), "the oldest parked delivery takes the freed slot")
        }
        #expect(governor.parkedCount == 0)
        #expect(governor.inFlightCounts()[endpoint.id] == 2, "each hand-over keeps the slot in flight")
        #expect(governor.mayHold(endpointId: endpoint.id), "room to park again")
        #expect(governor.finishAndTakeNext(endpointId: endpoint.id, success: true, duration: 0.01, now: t0).next == nil)
    }

    @Test func throttledOrderedAndDisabledEndpointsNeverPark() {
        let governor = EndpointGovernor(configuration: .init(maxInFlightPerEndpoint: 1))
        let app = Fixtures.application(at: t0)
        var throttled = Fixtures.endpoint(app: app, at: t0)
        throttled.throttleRate = 5
        var ordered = Fixtures.endpoint(app: app, at: t0)
        ordered.ordered = true
        for endpoint in [throttled, ordered] {
            #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .go)
            #expect(!governor.park(claimed(endpoint, app: app, id: 1), now: t0))
        }
        let plain = Fixtures.endpoint(app: app, at: t0)
        #expect(governor.admit(plain, throttleRate: nil, now: t0) == .go)
        var appThrottled = claimed(plain, app: app, id: 2)
        appThrottled.applicationThrottleRate = 10
        #expect(!governor.park(appThrottled, now: t0), "an application throttle is the claim plan's to weigh")
    }

    @Test func anOpeningBreakerEvictsWhatWaits() {
        let breaker = CircuitBreaker.Configuration(consecutiveFailures: 1, openDuration: .seconds(30))
        let governor = EndpointGovernor(configuration: .init(maxInFlightPerEndpoint: 1, breaker: breaker))
        let app = Fixtures.application(at: t0)
        let endpoint = Fixtures.endpoint(app: app, at: t0)
        #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .go)
        #expect(governor.park(claimed(endpoint, app: app, id: 2), now: t0))
        let successor = governor.finishAndTakeNext(endpointId: endpoint.id, success: false, duration: 0.01, now: t0)
        #expect(successor.next == nil, "nothing runs into an open circuit")
        #expect(successor.evicted.map(\.delivery.id) == [2])
        if case .open = successor.changed {} else { Issue.record("the failure opened the breaker: \(String(describing: successor.changed))") }
        #expect(governor.parkedCount == 0)
    }

    @Test func shutdownDropsWhatWaits() {
        let governor = EndpointGovernor(configuration: .init(maxInFlightPerEndpoint: 1))
        let app = Fixtures.application(at: t0)
        let endpoint = Fixtures.endpoint(app: app, at: t0)
        #expect(governor.admit(endpoint, throttleRate: nil, now: t0) == .go)
        #expect(governor.park(claimed(endpoint, app: app, id: 2), now: t0))
        #expect(governor.dropParked() == 1)
        #expect(governor.finishAndTakeNext(endpointId: endpoint.id, success: true, duration: 0.01, now: t0).next == nil)
    }
}
