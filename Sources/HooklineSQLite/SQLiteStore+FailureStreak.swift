import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Keeps the endpoint's failure streak (`failing_since`) up to date after an attempt and, when the
    /// outcome exhausts a delivery of an endpoint failing for at least its window, disables the endpoint.
    ///
    /// Runs inside the completion transaction; returns the `endpoint.disabled` event when it disabled one.
    /// `moved` is `nil` for a stale lease: its attempt still counts for the streak, but it exhausts nothing.
    static func trackFailureStreak(_ db: Database, outcome: DeliveryOutcome, moved: Row?) throws -> [EventDraft] {
        guard let attempt = outcome.attempt else { return [] }
        let time = attempt.timestamp.millisecondsSince1970
        if attempt.status == .success {
            try db.cachedStatement(sql: "UPDATE endpoint SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL")
                .execute(arguments: [attempt.endpointId])
        } else {
            try db.cachedStatement(sql: "UPDATE endpoint SET failing_since = ? WHERE id = ? AND failing_since IS NULL")
                .execute(arguments: [time, attempt.endpointId])
        }
        guard moved != nil, let window = outcome.autoDisableAfter, outcome.next == .failed else { return [] }
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT failing_since, disabled FROM endpoint WHERE id = ?"), arguments: [attempt.endpointId])
        guard let row, !(row["disabled"] as Bool), let since = row["failing_since"] as Int64? else { return [] }
        let failingSince = Date(millisecondsSince1970: since)
        let policy = AutoDisablePolicy(window: window)
        guard policy.shouldDisable(failingSince: failingSince, exhausted: true, now: outcome.now) else { return [] }
        let now = outcome.now.millisecondsSince1970
        try db.execute(
            sql: "UPDATE endpoint SET disabled = 1, updated_at = ? WHERE id = ? AND disabled = 0", arguments: [now, attempt.endpointId])
        guard db.changesCount > 0 else { return [] }
        return [.endpointAutoDisabled(appId: attempt.appId, endpointId: attempt.endpointId, failingSince: failingSince, at: outcome.now)]
    }
}
