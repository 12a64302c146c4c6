import Foundation
import HooklineTesting
import Testing

@testable import HooklineCore

/// Claim at commit: which fresh rows a commit may lease, and how leased rows and slots reach the engine.
@Suite struct DeliveryHandoffTests {
    let t0 = Date(millisecondsSince1970: 1_764_480_000_000)

    private func makeHandoff(capacity: Int = 8, cap: Int = 32, reserve: Int = 4) -> (DeliveryHandoff, SlotCounter, EndpointGovernor) {
        let slots = SlotCounter(capacity: capacity)
        let governor = EndpointGovernor(configuration: .init(maxInFlightPerEndpoint: cap, parkedCaps: 1))
        let handoff = DeliveryHandoff(
            slots: slots, governor: governor, leaseDuration: .seconds(60), backlogReserve: reserve, wake: WakeSignal()
        ) { [t0] in t0 }
        return (handoff, slots, governor)
    }

    private func item(_ endpoints: [Endpoint], app: Application, deliverAt: Date? = nil) -> NewMessage {
        NewMessage(
            message: Fixtures.message(app: app, at: t0), endpointIds: endpoints.map(\.id), deliverAt: deliverAt ?? t0, endpoints: endpoints)
    }

    @Test func leasesNothingBeforeTheFirstClaimOrAfterAFailedOne() {
        let (handoff, slots, _) = makeHandoff()
        let app = Fixtures.application(at: t0)
        let batch = [item([Fixtures.endpoint(app: app, at: t0)], app: app)]
        #expect(handoff.grant(for: batch).picks.isEmpty)
        handoff.setProgress(.caughtUp)
        let lease = handoff.grant(for: batch)
        #expect(lease.picks == [[0]])
        #expect(lease.until == t0.adding(.seconds(60)))
        #expect(slots.free == 7, "the grant holds one engine slot")
        handoff.setProgress(.unknown)
        #expect(handoff.grant(for: batch).picks.isEmpty, "a failed claim says nothing of the backlog")
    }

    @Test func behindTheBacklogLeasesOnlyBeyondTheClaimsReserve() {
        // A node behind under flat-out ingest must still lease fresh rows at commit, or the claim path alone delivers
        // less than ingest adds and the backlog never shrinks; the reserve keeps slots for the claims that drain it.
        let (handoff, slots, _) = makeHandoff(capacity: 8, reserve: 3)
        handoff.setProgress(.behind(level: PriorityLane.normal.level))
        let app = Fixtures.application(at: t0)
        let endpoint = Fixtures.endpoint(app: app, at: t0)
        let batch = (0..<7).map { _ in item([endpoint], app: app) }
        let lease = handoff.grant(for: batch)
        #expect(lease.picks == [[0], [0], [0], [0], [0], [], []], "five of eight free slots, three left for claims")
        #expect(slots.free == 3)
        #expect(handoff.grant(for: batch).picks.isEmpty, "nothing beyond the reserve is free")
        handoff.setProgress(.caughtUp)
        #expect(handoff.grant(for: batch).picks == [[0], [0], [0], [], [], [], []], "caught up, the reserve is free to take")
        #expect(slots.free == 0)
    }

    @Test func behindTheBacklogLeasesNoMessageLessUrgentThanTheLastClaim() {
        // The backlog's claims reached level-8 rows: a fresh normal message must queue behind them, an urgent one need not.
        let (handoff, _, _) = makeHandoff(capacity: 8, reserve: 2)
        handoff.setProgress(.behind(level: PriorityLane.high.level))
        let app = Fixtures.application(at: t0)
        let endpoint = Fixtures.endpoint(app: app, at: t0)
        var normal = item([endpoint], app: app)
        normal.message.priority = PriorityLane.normal.level
        var urgent = item([endpoint], app: app)
        urgent.message.priority = 9
        #expect(handoff.grant(for: [normal, urgent]).picks == [[], [0]])
    }

    @Test func skipsRowsTheClaimPlanMustDecide() {
        let (handoff, _, governor) = makeHandoff(cap: 1)
        handoff.setProgress(.caughtUp)
        let app = Fixtures.application(at: t0)
        let plain = Fixtures.endpoint(app: app, at: t0)
        var ordered = Fixtures.endpoint(app: app, at: t0)
        ordered.ordered = true
        var throttled = Fixtures.endpoint(app: app, at: t0)
        throttled.throttleRate = 10
        var full = Fixtures.endpoint(app: app, at: t0)
        full.url = "http://127.0.0.1:9/full"
        #expect(governor.admit(full, throttleRate: nil, now: t0) == .go, "one in flight fills a cap of one")
        let waiting = Delivery(
            id: 99, messageId: "msg_waiting", endpointId: full.id, appId: app.id, state: .sending, attempts: 0,
            nextAttemptAt: t0.addingTimeInterval(60))
        #expect(
            governor.park(ClaimedDelivery(delivery: waiting, claimToken: 1, message: Fixtures.message(app: app, at: t0), endpoint: full), now: t0),
            "and one parked behind it fills its parking")
        let lease = handoff.grant(for: [
            item([plain, ordered, throttled, full], app: app),
            item([plain], app: app, deliverAt: t0.addingTimeInterval(5)),
            NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [plain.id], deliverAt: t0),
        ])
        #expect(lease.picks == [[0], [], []], "only the plain endpoint's due row with a known endpoint is leased")
    }

    @Test func grantsNoMoreThanTheFreeSlots() {
        let (handoff, slots, _) = makeHandoff(capacity: 3)
        handoff.setProgress(.caughtUp)
        let app = Fixtures.application(at: t0)
        let endpoints = (0..<2).map { _ in Fixtures.endpoint(app: app, at: t0) }
        let lease = handoff.grant(for: [item(endpoints, app: app), item(endpoints, app: app)])
        #expect(lease.picks == [[0, 1], [0]])
        #expect(slots.free == 0)
    }

    @Test func handsLeasedRowsToTheEngineAndReturnsUnusedSlots() {
        let (handoff, slots, _) = makeHandoff()
        handoff.setProgress(.caughtUp)
        let app = Fixtures.application(at: t0)
        let endpoints = (0..<2).map { _ in Fixtures.endpoint(app: app, at: t0) }
        let batch = [item(endpoints, app: app), item(endpoints, app: app)]
        let lease = handoff.grant(for: batch)
        #expect(slots.free == 4)
        // The second message was a duplicate event id: only the first one's rows were written.
        let result = InsertResult(
            outcomes: [.inserted, .duplicateEventId(existingId: "msg_x")],
            leased: [.init(item: 0, endpointIndex: 0, deliveryId: 11), .init(item: 0, endpointIndex: 1, deliveryId: 12)])
        handoff.hand(result, of: batch, lease: lease)
        #expect(slots.free == 6, "two granted slots went unused")
        let taken = handoff.take()
        #expect(taken.map(\.delivery.id) == [11, 12])
        #expect(taken.map(\.delivery.endpointId) == endpoints.map(\.id))
        #expect(taken.allSatisfy { $0.claimToken == 1 && $0.delivery.state == .sending && $0.message.id == batch[0].message.id })
        #expect(handoff.take().isEmpty)
    }

    @Test func handedRowsWakeAnEngineWaitingForTheSlotsTheyHold() async {
        // The engine found no hand-off, then every slot was granted to a commit: it waits for a free slot, and only
        // the hand-off can end that wait (CI once saw a delivery wait until shutdown).
        let (handoff, slots, _) = makeHandoff(capacity: 1)
        handoff.setProgress(.caughtUp)
        let app = Fixtures.application(at: t0)
        let batch = [item([Fixtures.endpoint(app: app, at: t0)], app: app)]
        let lease = handoff.grant(for: batch)
        #expect(slots.free == 0)
        handoff.hand(InsertResult(outcomes: [.inserted], leased: [.init(item: 0, endpointIndex: 0, deliveryId: 1)]), of: batch, lease: lease)
        let returned = SharedFlag(false)
        let done = WakeSignal()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await slots.waitForFree()
                if !Task.isCancelled { returned.set(true) }
                done.signal()
            }
            let woken = await Deadline.wait(timeout: .seconds(10), signal: done) { returned.isSet }
            #expect(woken, "a wait for a free slot ends when handed rows hold every slot")
            group.cancelAll()
        }
        #expect(handoff.take().map(\.delivery.id) == [1])
    }

    @Test func rowsHandedAfterCloseGiveTheirSlotsBack() {
        let (handoff, slots, _) = makeHandoff()
        handoff.setProgress(.caughtUp)
        let app = Fixtures.application(at: t0)
        let batch = [item([Fixtures.endpoint(app: app, at: t0)], app: app)]
        let lease = handoff.grant(for: batch)
        #expect(handoff.close().isEmpty)
        handoff.hand(InsertResult(outcomes: [.inserted], leased: [.init(item: 0, endpointIndex: 0, deliveryId: 1)]), of: batch, lease: lease)
        #expect(slots.free == 8)
        #expect(handoff.take().isEmpty)
        #expect(handoff.grant(for: batch).picks.isEmpty, "a closed hand-off grants nothing")
    }
}
