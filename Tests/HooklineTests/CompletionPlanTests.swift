import Foundation
import HooklineCore
import Testing

/// The completion plan: what a batch of outcomes persists, and what depends on the stored rows (pure, no I/O).
@Suite struct CompletionPlanTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let day: TimeInterval = 86400

    /// An outcome of delivery `id` to `endpoint` with `before` earlier attempts; `code` makes an attempt (2xx succeeds).
    func outcome(
        _ id: Int64, endpoint: String = "ep_1", before: Int = 0, code: Int? = 500, next: DeliveryOutcome.Next, at time: Date? = nil,
        window: Duration? = nil
    ) -> DeliveryOutcome {
        let now = time ?? t0
        let subject = CompletionSubject(
            appId: "app_1", messageId: "msg_\(id)", endpointId: endpoint, attemptsBefore: before, eventType: "order.paid",
            channels: ["eu"], eventId: "evt_\(id)", messageCreatedAt: t0.addingTimeInterval(-2))
        let attempt = code.map { code in
            Attempt(
                id: "atmpt_\(id)_\(before)", messageId: subject.messageId, endpointId: endpoint, appId: "app_1", url: "http://x",
                responseStatusCode: code, response: "", durationMs: 1, status: (200..<300).contains(code) ? .success : .fail,
                trigger: .scheduled, timestamp: now)
        }
        return DeliveryOutcome(
            deliveryId: id, claimToken: 7, subject: subject, attempt: attempt, next: next, now: now, disablesEndpoint: code == 410,
            autoDisableAfter: window)
    }

    @Test func movesCarryTheNextStateGuardedByTheClaimToken() {
        let retryAt = t0.addingTimeInterval(60)
        let plan = CompletionPlan([
            outcome(1, code: 200, next: .succeeded), outcome(2, next: .retry(at: retryAt)), outcome(3, code: nil, next: .retry(at: retryAt)),
            outcome(4, code: nil, next: .skipped), outcome(5, code: nil, next: .canceled), outcome(6, next: .failed),
        ])
        #expect(plan.moves.map(\.deliveryId) == [1, 2, 3, 4, 5, 6] && plan.moves.allSatisfy { $0.claimToken == 7 && $0.updatedAt == t0 })
        #expect(plan.moves.map(\.state) == [.succeeded, .pending, .pending, .skipped, .canceled, .failed])
        #expect(plan.moves.map(\.nextAttemptAt) == [t0, retryAt, retryAt, t0, t0, t0], "final states are stamped with the completion time")
        #expect(plan.moves.map(\.attempted) == [true, true, false, false, false, true], "only an attempt spends one and clears manual")
        #expect(plan.attempts.map(\.id) == ["atmpt_1_0", "atmpt_2_0", "atmpt_6_0"])
        #expect(CompletionPlan([]).isEmpty && !plan.isEmpty)
    }

    @Test func aStaleLeaseOnlyReportsItsAttempt() {
        let plan = CompletionPlan([outcome(1, before: 2, code: 200, next: .succeeded)])
        let moved = plan.resolve(moved: [0], standings: [:]).events
        #expect(moved.map(\.kind) == [.attemptMade, .deliverySucceeded])
        #expect(moved[0].eventType == "order.paid" && moved[0].channels == ["eu"] && moved[0].messageId == "msg_1")
        #expect(moved[1].details["attempts"] == .integer(3), "the count includes this attempt")
        #expect(moved[1].latencyMs == 2000, "accepted → 2xx, from the claimed message's creation")
        #expect(plan.resolve(moved: [], standings: [:]).events.map(\.kind) == [.attemptMade], "a stale lease moves nothing")
    }

    @Test func aDeferralAddsNoEventButSchedulesARetry() {
        let plan = CompletionPlan([outcome(1, code: nil, next: .retry(at: t0.addingTimeInterval(5)))])
        let resolution = plan.resolve(moved: [0], standings: [:])
        #expect(resolution.events.isEmpty && resolution.schedulesRetry)
        #expect(!plan.resolve(moved: [], standings: [:]).schedulesRetry, "a stale deferral makes nothing due")
        #expect(!CompletionPlan([outcome(1, code: 200, next: .succeeded)]).resolve(moved: [0], standings: [:]).schedulesRetry)
        #expect(plan.streaks.isEmpty && plan.inspectedEndpoints.isEmpty, "no attempt, no streak")
    }

    @Test func noticesComeFromTheClaimedAttemptCount() {
        let plan = CompletionPlan([outcome(1, before: 3, next: .retry(at: t0)), outcome(2, before: 1, next: .failed)])
        let events = plan.resolve(moved: [0, 1], standings: [:]).events
        #expect(
            events.map(\.kind) == [
                .attemptMade, .deliveryFailed, .messageAttemptFailing, .attemptMade, .deliveryExhausted, .messageAttemptExhausted,
            ])
        #expect(events[2].details["msgEventId"] == .string("evt_1") && events[5].details["attempts"] == .integer(2))
        #expect(
            plan.resolve(moved: [1], standings: [:]).events.map(\.kind) == [
                .attemptMade, .attemptMade, .deliveryExhausted, .messageAttemptExhausted,
            ])
    }

    @Test func streaksAreCoalescedPerEndpointInBatchOrder() {
        let t1 = t0.addingTimeInterval(1)
        let t2 = t0.addingTimeInterval(2)
        let t3 = t0.addingTimeInterval(3)
        let plan = CompletionPlan([
            outcome(1, endpoint: "ep_b", next: .retry(at: t3), at: t1), outcome(2, endpoint: "ep_b", next: .retry(at: t3), at: t0),
            outcome(3, endpoint: "ep_a", next: .retry(at: t3), at: t0), outcome(4, endpoint: "ep_a", code: 200, next: .succeeded, at: t1),
            outcome(5, endpoint: "ep_c", code: 200, next: .succeeded, at: t0), outcome(6, endpoint: "ep_c", next: .retry(at: t3), at: t2),
            outcome(7, endpoint: "ep_c", next: .retry(at: t3), at: t1), outcome(8, endpoint: "ep_d", code: nil, next: .skipped),
        ])
        #expect(
            plan.streaks == [
                .init(endpointId: "ep_a", effect: .clear),
                .init(endpointId: "ep_b", effect: .startIfUnset(t1)),
                .init(endpointId: "ep_c", effect: .set(t2)),
            ])
        #expect(plan.inspectedEndpoints.isEmpty, "nothing here can disable an endpoint")
    }

    @Test func a410DisablesOnceEvenWhenStale() {
        let plan = CompletionPlan([outcome(1, code: 410, next: .failed), outcome(2, code: 410, next: .failed)])
        #expect(plan.inspectedEndpoints == ["ep_1"])
        let enabled = ["ep_1": EndpointStanding(failingSince: nil, disabled: false)]
        let resolution = plan.resolve(moved: [], standings: enabled)
        #expect(resolution.events.map(\.kind) == [.attemptMade, .endpointDisabled, .attemptMade])
        #expect(resolution.events[1].details["reason"] == .string("410 Gone"))
        #expect(resolution.disables == [CompletionResolution.Disable(endpointId: "ep_1", at: t0)])
        let already = plan.resolve(moved: [0, 1], standings: ["ep_1": EndpointStanding(failingSince: nil, disabled: true)])
        #expect(already.disables.isEmpty && !already.events.contains { $0.kind == .endpointDisabled })
        #expect(plan.resolve(moved: [], standings: [:]).disables.isEmpty, "a deleted endpoint is not disabled")
    }

    @Test func autoDisableAppliesThePolicyToTheStoredStreak() {
        let window = Duration.seconds(5 * 86400)
        let plan = CompletionPlan([outcome(1, next: .failed, window: window)])
        #expect(plan.inspectedEndpoints == ["ep_1"])
        let old = ["ep_1": EndpointStanding(failingSince: t0.addingTimeInterval(-5 * day), disabled: false)]
        let resolution = plan.resolve(moved: [0], standings: old)
        #expect(resolution.disables == [CompletionResolution.Disable(endpointId: "ep_1", at: t0)])
        let event = resolution.events.last
        #expect(event?.kind == .endpointDisabled && event?.details["reason"] == .string("auto-disable"))
        #expect(event?.details["failSince"] == .integer(t0.addingTimeInterval(-5 * day).millisecondsSince1970))
        #expect(plan.resolve(moved: [], standings: old).disables.isEmpty, "a stale lease exhausts nothing")
        let young = ["ep_1": EndpointStanding(failingSince: t0.addingTimeInterval(-4 * day), disabled: false)]
        #expect(plan.resolve(moved: [0], standings: young).disables.isEmpty, "within the window")
        let fresh = ["ep_1": EndpointStanding(failingSince: nil, disabled: false)]
        #expect(plan.resolve(moved: [0], standings: fresh).disables.isEmpty, "this failure only starts the streak")
        #expect(CompletionPlan([outcome(1, next: .failed, window: .zero)]).inspectedEndpoints.isEmpty, "a zero window never disables")
        #expect(CompletionPlan([outcome(1, next: .retry(at: t0), window: window)]).inspectedEndpoints.isEmpty, "only exhaustion")
    }

    @Test func theBatchIsReplayedInOrderAgainstTheStandingReadFirst() {
        let window = Duration.seconds(5 * 86400)
        let long = t0.addingTimeInterval(-6 * day)
        let stored = ["ep_1": EndpointStanding(failingSince: long, disabled: false)]
        // Exhausted first, success later in the batch: the endpoint was failing at the exhaustion.
        let first = CompletionPlan([outcome(1, next: .failed, window: window), outcome(2, code: 200, next: .succeeded)])
        #expect(first.streaks == [.init(endpointId: "ep_1", effect: .clear)])
        #expect(first.resolve(moved: [0, 1], standings: stored).disables.count == 1)
        // A success earlier in the batch ends the streak the exhaustion would have used.
        let second = CompletionPlan([outcome(2, code: 200, next: .succeeded), outcome(1, next: .failed, window: window)])
        #expect(second.resolve(moved: [0, 1], standings: stored).disables.isEmpty)
        // A 410 that exhausts disables as "410 Gone"; the auto-disable check then finds it disabled.
        let gone = CompletionPlan([outcome(1, code: 410, next: .failed, window: window), outcome(3, next: .failed, window: window)])
        let resolution = gone.resolve(moved: [0, 1], standings: stored)
        #expect(resolution.events.filter { $0.kind == .endpointDisabled }.map { $0.details["reason"] } == [.string("410 Gone")])
        #expect(
            resolution.events.map(\.kind) == [
                .attemptMade, .deliveryExhausted, .messageAttemptExhausted, .endpointDisabled,
                .attemptMade, .deliveryExhausted, .messageAttemptExhausted,
            ])
    }
}
