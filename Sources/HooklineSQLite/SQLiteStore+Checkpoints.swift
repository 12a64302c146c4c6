import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// The value last saved under `name`, if any.
    public func checkpoint(named name: String) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM checkpoint WHERE name = ?", arguments: [name])
        }
    }

    /// Saves `value` under `name`, replacing what was there.
    public func saveCheckpoint(named name: String, value: Int64, now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO checkpoint (name, value, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """,
                arguments: [name, value, now.millisecondsSince1970])
        }
    }
}
