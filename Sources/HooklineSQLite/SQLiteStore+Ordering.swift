import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Writes `endpoint.ordered` into its row (inside the insert or update transaction).
    static func writeOrdered(_ db: Database, _ endpoint: Endpoint) throws {
        try db.cachedStatement(sql: "UPDATE endpoint SET ordered = ? WHERE id = ?").execute(arguments: [endpoint.ordered, endpoint.id])
    }

    /// The earliest due time after `now` of an active delivery (one seek of `delivery_due`).
    public func nextDueTime(after now: Date) async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT MIN(next_attempt_at) FROM delivery WHERE state IN (0, 1) AND next_attempt_at > ?",
                arguments: [now.millisecondsSince1970]
            ).map(Date.init(millisecondsSince1970:))
        }
    }
}
