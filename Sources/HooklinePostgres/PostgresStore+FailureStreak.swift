import Foundation
import HooklineCore
import PostgresNIO

extension PostgresSession {
    /// Keeps the endpoint's failure streak (`failing_since`) up to date after an attempt and, when the outcome
    /// exhausts a delivery of an endpoint failing for at least its window, disables the endpoint.
    ///
    /// Runs inside the completion transaction; returns the event when it disabled the endpoint. `moved` is false
    /// for a stale lease: its attempt still counts for the streak, but it exhausts nothing.
    func trackFailureStreak(_ outcome: DeliveryOutcome, moved: Bool) async throws -> EventDraft? {
        guard let attempt = outcome.attempt else { return nil }
        if attempt.status == .success {
            try await execute("UPDATE endpoint SET failing_since = NULL WHERE id = \(attempt.endpointId) AND failing_since IS NOT NULL")
        } else {
            try await execute(
                """
                UPDATE endpoint SET failing_since = \(attempt.timestamp.millisecondsSince1970)
                WHERE id = \(attempt.endpointId) AND failing_since IS NULL
                """)
        }
        guard moved, let window = outcome.autoDisableAfter, outcome.next == .failed else { return nil }
        guard let row = try await first("SELECT failing_since, disabled FROM endpoint WHERE id = \(attempt.endpointId)"),
            !(try row.get("disabled", as: Bool.self)), let failingSince = try row.optionalDate("failing_since")
        else { return nil }
        guard AutoDisablePolicy(window: window).shouldDisable(failingSince: failingSince, exhausted: true, now: outcome.now) else { return nil }
        let changed = try await execute(
            """
            UPDATE endpoint SET disabled = true, updated_at = \(outcome.now.millisecondsSince1970)
            WHERE id = \(attempt.endpointId) AND NOT disabled RETURNING 1
            """)
        guard changed > 0 else { return nil }
        return .endpointAutoDisabled(appId: attempt.appId, endpointId: attempt.endpointId, failingSince: failingSince, at: outcome.now)
    }
}
