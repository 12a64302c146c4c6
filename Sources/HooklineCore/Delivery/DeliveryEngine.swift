import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Claims due deliveries with a lease, runs them with bounded concurrency, and records the outcomes.
///
/// It wakes at once when `wake` is signalled (after a commit) and otherwise sleeps until the next
/// delivery is due. On graceful shutdown it stops claiming, lets in-flight deliveries finish,
/// records their outcomes, and returns.
package struct DeliveryEngine<Store: HooklineStore, Transport: DeliveryTransport, Clock: HooklineClock>: Service {
    /// How the engine claims and runs deliveries.
    package struct Configuration: Sendable {
        /// The most deliveries in flight at once.
        package var concurrency: Int
        /// The most rows claimed in one transaction.
        package var claimBatchSize: Int
        /// How long a claim holds a row before it becomes due again.
        package var leaseDuration: Duration
        /// How long to sleep when nothing is due and nothing signals (a safety net).
        package var idlePollInterval: Duration
        /// Outcomes recorded in one transaction at once; fewer are gathered for up to `completionGathering` first.
        package var completionBatchSize: Int
        /// The longest outcomes wait to be recorded with others (not an ordered endpoint's, which is recorded at once).
        package var completionGathering: Duration
        /// How deliveries are sent and retried.
        package var executor: DeliveryExecutor<Transport, Clock>.Configuration
        /// Per-endpoint concurrency cap and circuit breaker.
        package var governor: EndpointGovernor.Configuration

        /// Creates a configuration; defaults: 128 in flight, batches of 64, 60 s lease, 5 s idle poll, outcomes
        /// recorded 32 at once or after gathering for 4 ms.
        package init(
            concurrency: Int = 128, claimBatchSize: Int = 64, leaseDuration: Duration = .seconds(60),
            idlePollInterval: Duration = .seconds(5), completionBatchSize: Int = 32, completionGathering: Duration = .milliseconds(4),
            executor: DeliveryExecutor<Transport, Clock>.Configuration = .init(),
            governor: EndpointGovernor.Configuration = .init()
        ) {
            self.concurrency = concurrency
            self.claimBatchSize = claimBatchSize
            self.leaseDuration = leaseDuration
            self.idlePollInterval = idlePollInterval
            self.completionBatchSize = completionBatchSize
            self.completionGathering = completionGathering
            self.executor = executor
            self.governor = governor
        }
    }

    let configuration: Configuration
    let store: Store
    let clock: Clock
    let wake: WakeSignal
    let executor: DeliveryExecutor<Transport, Clock>
    /// Per-endpoint admission (cap, throttle, breaker) on this node.
    package let governor: EndpointGovernor
    /// Where the message committer hands deliveries it leased at commit.
    package let handoff: DeliveryHandoff
    /// When the engine last started an attempt, for the readiness check's stall detection.
    package let activity = EngineActivity()
    let slots: SlotCounter
    /// Whether a recorded batch must raise `wake` though it scheduled no retry: set while the engine claims, and after an
    /// empty claim that left due rows held back (an ordered head, a full endpoint) or sleeps toward a known due time.
    let claimAfterRecord = SharedFlag(true)
    /// Records the outcomes of this engine's deliveries (created with the engine, run by `run()`).
    let recorder: OutcomeRecorder<Clock>
    let metrics = HooklineMetrics()
    let logger: Logger

    /// Creates an engine; `wake` is the signal the ingest path raises after each commit.
    package init(configuration: Configuration, store: Store, transport: Transport, clock: Clock, wake: WakeSignal, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.wake = wake
        self.executor = DeliveryExecutor(configuration: configuration.executor, transport: transport, clock: clock, logger: logger)
        self.governor = EndpointGovernor(configuration: configuration.governor)
        self.slots = SlotCounter(capacity: configuration.concurrency)
        self.handoff = DeliveryHandoff(
            slots: slots, governor: governor, leaseDuration: configuration.leaseDuration,
            backlogReserve: (configuration.concurrency + 1) / 2, wake: wake, clock: { [clock] in clock.now() })
        let recording = OutcomeRecorder<Clock>.Configuration(
            batchSize: configuration.completionBatchSize, gathering: configuration.completionGathering)
        self.recorder = OutcomeRecorder(configuration: recording, clock: clock, logger: logger) { [store] plan in
            try await store.completeDeliveries(plan)
        } onRecorded: { [wake, claimAfterRecord] mayMakeDue in
            // A batch of plain outcomes frees nothing the last empty claim left due unless it held rows back.
            if mayMakeDue || claimAfterRecord.isSet { wake.signal() }
        }
        self.logger = logger
    }

    /// Outcomes the engine produced that are not yet recorded (tests wait for none before they read the store).
    package var unrecordedOutcomes: Int { recorder.unrecorded }

    /// Runs until graceful shutdown (draining) or cancellation.
    package func run() async {
        let stopping = StopFlag()
        activity.markStarted(clock.now())
        let recorder = recorder
        await withDiscardingTaskGroup { group in
            group.addTask { await recorder.run() }
            await withGracefulShutdownHandler {
                await claimLoop(group: &group, recorder: recorder, stopping: stopping)
            } onGracefulShutdown: {
                stopping.raise()
                governor.dropParked()
                wake.signal()
                slots.wakeWaiters()
            }
            // Deliveries leased at commit but not yet started hold slots: run them as part of the drain.
            for delivery in handoff.close() {
                launch(delivery, group: &group, recorder: recorder, now: clock.now(), slotHeld: true)
            }
            await slots.waitUntilIdle()
            recorder.close()
        }
        logger.debug("delivery engine stopped")
    }

    private func claimLoop(
        group: inout DiscardingTaskGroup, recorder: OutcomeRecorder<Clock>, stopping: StopFlag
    ) async {
        // After a claim that found work, more may be due (held back by the batch or an endpoint's cap): let a
        // quarter batch of deliveries finish (5 ms at most) before claiming again, so a backlog drains in
        // batches instead of one claim transaction per finished delivery.
        var gatherFirst = false
        // Claim when the wake was raised (not only nudged by a hand-off), after a claim that found work or
        // failed, and once the due time the last empty claim read has come.
        var claimWanted = true
        var idleUntil: Date?
        var lanesSweptAt = clock.now()
        while !stopping.isRaised && !Task.isCancelled {
            // Once a minute: forget the lanes of endpoints idle for ten (deleted ones among them).
            if clock.now() > lanesSweptAt.adding(.seconds(60)) {
                lanesSweptAt = clock.now()
                governor.forgetIdleLanes(before: lanesSweptAt.adding(.seconds(-600)))
            }
            let handed = handoff.take()
            if !handed.isEmpty {
                let now = clock.now()
                for delivery in handed { launch(delivery, group: &group, recorder: recorder, now: now, slotHeld: true) }
                continue
            }
            let free = slots.free
            if free == 0 {
                await slots.waitForFree()
                continue
            }
            if gatherFirst {
                gatherFirst = false
                await gatherSlots(min(configuration.concurrency, free + max(1, configuration.claimBatchSize / 4)))
                continue
            }
            let now = clock.now()
            if wake.takeRaised() { claimWanted = true }
            if !claimWanted, let idleUntil, idleUntil > now {
                // Woken only to take hand-offs: nothing new is due, so wait on without reading the store.
                await wake.wait(until: idleUntil, on: clock)
                continue
            }
            claimWanted = false
            claimAfterRecord.set(true)
            let claimed: [ClaimedDelivery]
            do {
                // Per endpoint: its cap in flight plus its parked caps behind them (see `EndpointGovernor.park`).
                let request = ClaimRequest(
                    now: now, limit: min(free, configuration.claimBatchSize), leaseUntil: now.adding(configuration.leaseDuration),
                    perEndpointLimit: configuration.governor.heldPerEndpoint, inFlightByEndpoint: governor.inFlightCounts())
                claimed = try await store.claimDeliveries(request)
                // Caught up (nothing more is due than was taken): fresh rows may be leased at commit into every free slot;
                // behind, only beyond the half of the slots kept for claims of the backlog, and none less urgent than it.
                handoff.setProgress(
                    claimed.count < request.limit ? .caughtUp : .behind(level: claimed.map(\.delivery.priority).max() ?? PriorityLane.normal.level))
                gatherFirst = !claimed.isEmpty
            } catch {
                handoff.setProgress(.unknown)
                claimWanted = true
                logger.error("claiming deliveries failed", metadata: ["error": "\(error)"])
                await wake.wait(until: now.adding(.seconds(1)), on: clock)
                continue
            }
            if claimed.isEmpty {
                let next = await nextClaimTime(now: now)
                idleUntil = next.at
                claimAfterRecord.set(next.heldBack || next.at < now.adding(configuration.idlePollInterval))
                if next.at > now { await wake.wait(until: next.at, on: clock) }
                continue
            }
            claimWanted = true
            logger.trace("claimed deliveries", metadata: ["count": "\(claimed.count)"])
            for delivery in claimed { launch(delivery, group: &group, recorder: recorder, now: now, slotHeld: false) }
        }
    }

    /// Runs `delivery` in `group` under a slot, parks it behind its endpoint's cap, or records its deferral
    /// when its endpoint may not receive it now.
    private func launch(
        _ delivery: ClaimedDelivery, group: inout DiscardingTaskGroup, recorder: OutcomeRecorder<Clock>, now: Date, slotHeld: Bool
    ) {
        if governor.park(delivery, now: now) {
            if slotHeld { slots.release() }
            return
        }
        if let deferral = admission(for: delivery, now: now) {
            recorder.submit(deferral)
            if slotHeld { slots.release() }
            return
        }
        activity.markAttempt(now)
        if !slotHeld { slots.take() }
        group.addTask {
            var next: ClaimedDelivery? = delivery
            // The slot goes on to the endpoint's parked deliveries, one after another, until none is left.
            while let current = next {
                let outcome = await executor.execute(current)
                next = finish(current, outcome: outcome, recorder: recorder)
                // An ordered endpoint's next delivery is claimed only once this outcome is recorded.
                recorder.submit(outcome, urgent: current.endpoint?.ordered ?? false)
            }
            slots.release()
        }
    }

    /// A deferral outcome when the endpoint may not receive `delivery` now; `nil` reserves a slot for it.
    private func admission(for delivery: ClaimedDelivery, now: Date) -> DeliveryOutcome? {
        guard let endpoint = delivery.endpoint, !endpoint.disabled else { return nil }
        let rate = endpoint.throttleRate ?? delivery.applicationThrottleRate
        guard case .wait(let until, let reason) = governor.admit(endpoint, throttleRate: rate, now: now) else { return nil }
        logger.trace("delivery deferred", metadata: ["endpoint": "\(endpoint.id)", "reason": "\(reason)"])
        return DeliveryOutcome(claimed: delivery, attempt: nil, next: .retry(at: until), now: now)
    }

    /// Releases the endpoint slot, feeds the breaker, and returns the parked delivery that takes the slot over.
    private func finish(_ delivery: ClaimedDelivery, outcome: DeliveryOutcome, recorder: OutcomeRecorder<Clock>) -> ClaimedDelivery? {
        guard let endpoint = delivery.endpoint, !endpoint.disabled else { return nil }
        let success = outcome.attempt.map { $0.status == .success }
        let duration = Double(outcome.attempt?.durationMs ?? 0) / 1000
        var successor = governor.finishAndTakeNext(endpointId: endpoint.id, success: success, duration: duration, now: outcome.now)
        report(successor.changed, endpoint: endpoint, outcome: outcome)
        // A parked delivery runs only with enough lease left for a whole exchange; one with too little is
        // dropped here and comes back when its lease lapses.
        let needed = outcome.now.adding(configuration.executor.requestTimeout + .seconds(5))
        while let next = successor.next, next.delivery.nextAttemptAt < needed {
            successor = governor.finishAndTakeNext(endpointId: endpoint.id, success: nil, duration: 0, now: outcome.now)
        }
        if outcome.disablesEndpoint {
            // The endpoint is being disabled (410 Gone): what waits for it goes back to the store.
            if let next = successor.next {
                governor.finish(endpointId: endpoint.id, success: nil, duration: 0, now: outcome.now)
                successor.evicted.append(next)
                successor.next = nil
            }
            successor.evicted += governor.evictParked(endpointId: endpoint.id)
        }
        if !successor.evicted.isEmpty {
            var until = outcome.now.adding(.seconds(1))
            if case .open(let reopen) = governor.breakerState(endpointId: endpoint.id) { until = reopen }
            for evicted in successor.evicted {
                recorder.submit(DeliveryOutcome(claimed: evicted, attempt: nil, next: .retry(at: until), now: outcome.now))
            }
        }
        if successor.next != nil { activity.markAttempt(outcome.now) }
        return successor.next
    }

    /// Logs breaker changes and auto-disables.
    private func report(_ changed: CircuitBreaker.State?, endpoint: Endpoint, outcome: DeliveryOutcome) {
        if let state = changed {
            metrics.openCircuits.record(governor.unhealthyCircuits().count)
            switch state {
            case .open(let until):
                let health = governor.health(endpointId: endpoint.id, throttleRate: nil, now: outcome.now)
                logger.warning(
                    "circuit opened",
                    metadata: [
                        "endpoint": "\(endpoint.id)", "until": "\(until)", "consecutiveFailures": "\(health.consecutiveFailures)",
                        "recentFailures": "\(health.recentFailures)/\(health.recentAttempts)",
                    ])
            case .closed:
                logger.info("circuit closed", metadata: ["endpoint": "\(endpoint.id)"])
            case .halfOpen:
                break
            }
        }
        if outcome.disablesEndpoint {
            logger.warning("endpoint disabled: it answered 410 Gone", metadata: ["endpoint": "\(endpoint.id)"])
        }
    }

    /// Waits until `count` slots are free, nothing is in flight, deliveries are handed over, or 5 ms have passed.
    private func gatherSlots(_ count: Int) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await slots.waitForFree(atLeast: count) }
            group.addTask { await handoff.arrived.wait() }
            group.addTask { try? await clock.sleep(until: clock.now().adding(.milliseconds(5))) }
            await group.next()
            group.cancelAll()
        }
    }

    /// When to claim again after an empty claim at `now` if nothing raises the wake (the next time a row becomes due
    /// after `now`, or the idle poll interval's end), and whether rows already due were held back.
    ///
    /// Rows already due but held back (an ordered endpoint's head in flight or retrying, an endpoint at its
    /// cap) are not a reason to claim again at once: a recorded batch raises `wake` while they wait.
    private func nextClaimTime(now: Date) async -> (at: Date, heldBack: Bool) {
        let fallback = now.adding(configuration.idlePollInterval)
        let earliest: Date?
        do {
            earliest = try await store.nextDueTime()
        } catch {
            return (fallback, true)
        }
        guard let earliest else { return (fallback, false) }
        if earliest > now { return (min(earliest, fallback), false) }
        let due = try? await store.nextDueTime(after: now)
        return (min(due ?? fallback, fallback), true)
    }
}

/// When the delivery engine last started an attempt: the signal the readiness check reads to spot a stall.
package final class EngineActivity: Sendable {
    private let startedAt = Atomic<Int64>(0)
    private let lastAttemptAt = Atomic<Int64>(0)

    /// Creates an activity record for an engine that has not started yet.
    package init() {}

    /// Notes that the engine's claim loop started at `now`.
    package func markStarted(_ now: Date) {
        startedAt.store(now.millisecondsSince1970, ordering: .relaxed)
    }

    /// Notes that an attempt (or a deferral decision) began at `now`.
    package func markAttempt(_ now: Date) {
        lastAttemptAt.store(now.millisecondsSince1970, ordering: .relaxed)
    }

    /// When the engine started, or `nil` before it runs.
    package var started: Date? { Self.date(startedAt.load(ordering: .relaxed)) }

    /// The last time the engine moved a delivery forward, or its start when it has not yet; `nil` before it runs.
    package var lastProgress: Date? {
        Self.date(max(lastAttemptAt.load(ordering: .relaxed), startedAt.load(ordering: .relaxed)))
    }

    private static func date(_ milliseconds: Int64) -> Date? {
        milliseconds == 0 ? nil : Date(millisecondsSince1970: milliseconds)
    }
}
