import Foundation

/// Everything a batch of delivery outcomes changes, decided without I/O; `HooklineStore.completeDeliveries`
/// persists it in one transaction.
///
/// A store does only what needs the stored rows:
/// 1. inserts `attempts`;
/// 2. applies each of `moves` as a guarded update (`WHERE id = deliveryId AND claim_token = claimToken`)
///    and notes which moves changed a row — a stale lease moves nothing;
/// 3. reads the `EndpointStanding` (`failing_since`, `disabled`) of `inspectedEndpoints`, locked, before
///    changing any endpoint row;
/// 4. applies `streaks` (each endpoint's failure streak, coalesced over the batch);
/// 5. calls `resolve(moved:standings:)` and applies what it returns: the endpoints to disable and the
///    events to append, in order.
package struct CompletionPlan: Sendable, Equatable {
    /// The guarded move of one delivery row to its next state.
    package struct Move: Sendable, Equatable {
        /// The delivery row.
        package var deliveryId: Int64
        /// The lease token the row must still carry for the move to apply.
        package var claimToken: Int64
        /// The state it moves to.
        package var state: DeliveryState
        /// Its next due time (for a final state: the time of completion).
        package var nextAttemptAt: Date
        /// Whether an attempt was spent: it adds one to `attempts` and clears the `manual` flag.
        package var attempted: Bool
        /// The row's new `updated_at`.
        package var updatedAt: Date
    }

    /// The net change of a batch's attempts to one endpoint's failure streak (`failing_since`).
    package struct StreakChange: Sendable, Equatable {
        /// What happens to `failing_since`.
        package enum Effect: Sendable, Equatable {
            /// The last attempt succeeded: cleared.
            case clear
            /// Only failures: set to the first one's time unless a streak is already running.
            case startIfUnset(Date)
            /// Failures after a success of this batch: set to the first failure after the last success.
            case set(Date)
        }

        /// The endpoint.
        package var endpointId: String
        /// What happens to its `failing_since`.
        package var effect: Effect

        /// Creates a change.
        package init(endpointId: String, effect: Effect) {
            self.endpointId = endpointId
            self.effect = effect
        }
    }

    /// One outcome's part in `resolve`, in batch order (its move is `moves[index]`).
    struct Step: Sendable, Equatable {
        /// An endpoint a step refers to.
        struct EndpointRef: Sendable, Equatable {
            /// The endpoint's application.
            var appId: String
            /// The endpoint.
            var endpointId: String
        }

        /// An attempt's effect on its endpoint's failure streak.
        struct StreakAttempt: Sendable, Equatable {
            /// The endpoint attempted.
            var endpointId: String
            /// Whether the attempt succeeded.
            var succeeded: Bool
            /// When it was made.
            var at: Date
        }

        /// An endpoint an applied exhausting move may disable, and the policy that decides.
        struct AutoDisableCheck: Sendable, Equatable {
            /// The endpoint of the exhausted delivery.
            var endpoint: EndpointRef
            /// The outcome's auto-disable window.
            var policy: AutoDisablePolicy
        }

        /// Appended whatever the guard says: `attempt.made`.
        var events: [EventDraft] = []
        /// Appended only when the move applied: the `delivery.*` event and the operational notices.
        var eventsIfMoved: [EventDraft] = []
        /// Whether the move, when applied, makes the delivery due again.
        var schedulesRetry = false
        /// The endpoint a 410 answer disables (stale or not).
        var gone: EndpointRef?
        /// The attempt's effect on the failure streak.
        var streak: StreakAttempt?
        /// The auto-disable check of an applied exhausting move.
        var autoDisable: AutoDisableCheck?
        /// When the outcome was decided.
        var now: Date
    }

    /// The attempts to insert, in batch order.
    package private(set) var attempts: [Attempt] = []
    /// One guarded move per outcome, in batch order.
    package private(set) var moves: [Move] = []
    /// The failure-streak changes, one per endpoint that saw an attempt, by endpoint id.
    package private(set) var streaks: [StreakChange] = []
    /// Endpoints whose standing `resolve` needs (a 410 answer or a possible auto-disable), by id.
    package private(set) var inspectedEndpoints: [String] = []
    /// The outcomes' parts in `resolve`, parallel to `moves`.
    private(set) var steps: [Step] = []

    /// The plan for `outcomes`, recorded in this order.
    package init(_ outcomes: [DeliveryOutcome]) {
        var inspected = Set<String>()
        var streaks = StreakCoalescer()
        for outcome in outcomes {
            let attempted = outcome.attempt != nil
            moves.append(Self.move(for: outcome))
            var step = Step(now: outcome.now)
            if case .retry = outcome.next { step.schedulesRetry = true }
            let delivery = outcome.subject.moved(attempted: attempted)
            if let event = EventDraft.deliveryMoved(
                delivery, next: outcome.next, attempted: attempted, manual: outcome.attempt?.trigger == .manual, at: outcome.now)
            {
                step.eventsIfMoved.append(event)
            }
            if let attempt = outcome.attempt {
                attempts.append(attempt)
                let subject = outcome.subject
                step.events.append(.attemptMade(attempt, eventType: subject.eventType, channels: subject.channels))
                step.eventsIfMoved += EventDraft.attemptNotices(
                    delivery, attempt: attempt, next: outcome.next, eventId: subject.eventId, at: outcome.now)
                let endpoint = Step.EndpointRef(appId: attempt.appId, endpointId: attempt.endpointId)
                if outcome.disablesEndpoint {
                    step.gone = endpoint
                    inspected.insert(endpoint.endpointId)
                }
                let streak = Step.StreakAttempt(endpointId: attempt.endpointId, succeeded: attempt.status == .success, at: attempt.timestamp)
                step.streak = streak
                streaks.record(streak)
                if outcome.next == .failed, let window = outcome.autoDisableAfter, AutoDisablePolicy(window: window).isEnabled {
                    step.autoDisable = Step.AutoDisableCheck(endpoint: endpoint, policy: AutoDisablePolicy(window: window))
                    inspected.insert(endpoint.endpointId)
                }
            }
            steps.append(step)
        }
        self.streaks = streaks.changes
        inspectedEndpoints = inspected.sorted()
    }

    /// Whether the plan changes nothing.
    package var isEmpty: Bool { moves.isEmpty }

    /// The guarded move an outcome asks for.
    private static func move(for outcome: DeliveryOutcome) -> Move {
        let (state, nextAt): (DeliveryState, Date) =
            switch outcome.next {
            case .succeeded: (.succeeded, outcome.now)
            case .failed: (.failed, outcome.now)
            case .canceled: (.canceled, outcome.now)
            case .skipped: (.skipped, outcome.now)
            case .retry(let at): (.pending, at)
            }
        return Move(
            deliveryId: outcome.deliveryId, claimToken: outcome.claimToken, state: state, nextAttemptAt: nextAt,
            attempted: outcome.attempt != nil, updatedAt: outcome.now)
    }
}

/// Folds a batch's attempts into one `failing_since` change per endpoint, with the effect of applying
/// `AutoDisablePolicy.streakStart` attempt by attempt in batch order.
struct StreakCoalescer {
    /// One endpoint's attempts so far.
    private struct Run {
        var sawSuccess = false
        /// The first failure since the last success (or since the batch began); `nil` after a success.
        var firstFailure: Date?
    }

    private var runs: [String: Run] = [:]

    /// Notes an attempt.
    mutating func record(_ attempt: CompletionPlan.Step.StreakAttempt) {
        var run = runs[attempt.endpointId] ?? Run()
        if attempt.succeeded {
            run.sawSuccess = true
            run.firstFailure = nil
        } else if run.firstFailure == nil {
            run.firstFailure = attempt.at
        }
        runs[attempt.endpointId] = run
    }

    /// The changes, by endpoint id.
    var changes: [CompletionPlan.StreakChange] {
        runs.sorted { $0.key < $1.key }.map { id, run in
            let effect: CompletionPlan.StreakChange.Effect =
                switch (run.firstFailure, run.sawSuccess) {
                case (nil, _): .clear
                case (let since?, true): .set(since)
                case (let since?, false): .startIfUnset(since)
                }
            return CompletionPlan.StreakChange(endpointId: id, effect: effect)
        }
    }
}
