import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// How many active deliveries are due, scheduled and in flight at `now`.
    public func queueDepth(now: Date) async throws -> QueueDepth {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(state = 0 AND next_attempt_at <= ?), 0) AS due,
                           COALESCE(SUM(state = 0 AND next_attempt_at > ?), 0) AS scheduled,
                           COALESCE(SUM(state = 1), 0) AS in_flight
                    FROM delivery WHERE state IN (0, 1)
                    """,
                arguments: [now.millisecondsSince1970, now.millisecondsSince1970])
            return QueueDepth(due: row?["due"] ?? 0, scheduled: row?["scheduled"] ?? 0, inFlight: row?["in_flight"] ?? 0)
        }
    }
}
