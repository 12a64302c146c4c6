import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// The value last saved under `name`, if any.
    public func checkpoint(named name: String) async throws -> Int64? {
        try await reading { session in
            try await session.value("SELECT value FROM checkpoint WHERE name = \(name)", as: Int64.self)
        }
    }

    /// Saves `value` under `name`, replacing what was there.
    public func saveCheckpoint(named name: String, value: Int64, now: Date) async throws {
        try await writing { session in
            try await session.execute(
                """
                INSERT INTO checkpoint (name, value, updated_at) VALUES (\(name), \(value), \(now.millisecondsSince1970))
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """)
        }
    }

    /// The leases whose name starts with `prefix` and that have not lapsed at `now`, by name.
    public func activeLeases(prefix: String, now: Date) async throws -> [ClusterLease] {
        try await reading { session in
            try await session.rows(
                """
                SELECT name, holder, until FROM cluster_lease
                WHERE left(name, \(prefix.count)::int) = \(prefix) AND until > \(now.millisecondsSince1970) ORDER BY name
                """
            ).map { row in
                ClusterLease(name: try row.get("name"), holder: try row.get("holder"), now: now, until: try row.date("until"))
            }
        }
    }
}
