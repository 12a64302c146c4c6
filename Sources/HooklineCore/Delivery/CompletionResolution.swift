import Foundation

/// What the store read of an endpoint inside the completion transaction, before changing it.
package struct EndpointStanding: Sendable, Equatable {
    /// The start of its failure streak (`failing_since`), if it is failing.
    package var failingSince: Date?
    /// Whether it is disabled.
    package var disabled: Bool

    /// Creates a standing.
    package init(failingSince: Date?, disabled: Bool) {
        self.failingSince = failingSince
        self.disabled = disabled
    }
}

/// The part of a `CompletionPlan` that depends on the stored rows, decided once the store has applied the
/// guarded moves and read the inspected endpoints.
package struct CompletionResolution: Sendable, Equatable {
    /// An endpoint to disable (`disabled = true`, `updated_at = at`), by a 410 answer or auto-disable.
    package struct Disable: Sendable, Equatable {
        /// The endpoint.
        package var endpointId: String
        /// When it was decided: the endpoint's new `updated_at`.
        package var at: Date

        /// Creates a disable.
        package init(endpointId: String, at: Date) {
            self.endpointId = endpointId
            self.at = at
        }
    }

    /// The events to append, in order.
    package var events: [EventDraft] = []
    /// The endpoints to disable, each once, in the order decided.
    package var disables: [Disable] = []
    /// Whether an applied move made a delivery due again (a retry or a deferral).
    package var schedulesRetry = false
}

extension CompletionPlan {
    /// Decides the rest of the completion.
    ///
    /// - Parameters:
    ///   - moved: the indices into `moves` whose guarded update changed a row.
    ///   - standings: the stored standing of each of `inspectedEndpoints`, read before any endpoint row was
    ///     changed in this transaction; an endpoint missing here no longer exists and is never disabled.
    ///
    /// Outcomes are replayed in batch order with the same rules as recording them one by one: a 410 answer
    /// disables its endpoint (stale or not); each attempt moves the endpoint's streak
    /// (`AutoDisablePolicy.streakStart`); an applied move that exhausts a delivery disables an endpoint that
    /// is enabled and has failed for at least the policy's window. A disable that finds the endpoint already
    /// disabled (stored, or earlier in the batch) changes nothing and appends no event.
    package func resolve(moved: Set<Int>, standings: [String: EndpointStanding]) -> CompletionResolution {
        var resolution = CompletionResolution()
        var current = standings
        for (index, step) in steps.enumerated() {
            let applied = moved.contains(index)
            resolution.events += step.events
            if applied {
                resolution.events += step.eventsIfMoved
                if step.schedulesRetry { resolution.schedulesRetry = true }
            }
            if let gone = step.gone, Self.disable(gone.endpointId, at: step.now, in: &current, resolution: &resolution) {
                resolution.events.append(.endpointDisabled(appId: gone.appId, endpointId: gone.endpointId, at: step.now))
            }
            if let streak = step.streak, var standing = current[streak.endpointId] {
                standing.failingSince = AutoDisablePolicy.streakStart(
                    current: standing.failingSince, attemptSucceeded: streak.succeeded, at: streak.at)
                current[streak.endpointId] = standing
            }
            guard applied, let check = step.autoDisable, let standing = current[check.endpoint.endpointId], !standing.disabled,
                let failingSince = standing.failingSince,
                check.policy.shouldDisable(failingSince: failingSince, exhausted: true, now: step.now),
                Self.disable(check.endpoint.endpointId, at: step.now, in: &current, resolution: &resolution)
            else { continue }
            resolution.events.append(
                .endpointAutoDisabled(
                    appId: check.endpoint.appId, endpointId: check.endpoint.endpointId, failingSince: failingSince, at: step.now))
        }
        return resolution
    }

    /// Disables an existing, enabled endpoint in the replay; returns whether it did.
    private static func disable(
        _ endpointId: String, at now: Date, in current: inout [String: EndpointStanding], resolution: inout CompletionResolution
    ) -> Bool {
        guard var standing = current[endpointId], !standing.disabled else { return false }
        standing.disabled = true
        current[endpointId] = standing
        resolution.disables.append(CompletionResolution.Disable(endpointId: endpointId, at: now))
        return true
    }
}
