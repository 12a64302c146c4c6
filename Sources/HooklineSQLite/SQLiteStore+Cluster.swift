import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Takes or renews `lease` when it is free, lapsed or already held by its holder.
    public func acquireLease(_ lease: ClusterLease) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO cluster_lease (name, holder, until) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                    WHERE cluster_lease.holder = excluded.holder OR cluster_lease.until <= ?
                    """,
                arguments: [lease.name, lease.holder, lease.until.millisecondsSince1970, lease.now.millisecondsSince1970])
            return db.changesCount > 0
        }
    }

    /// The leases whose name starts with `prefix` and that have not lapsed at `now`, by name.
    public func activeLeases(prefix: String, now: Date) async throws -> [ClusterLease] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, holder, until FROM cluster_lease WHERE substr(name, 1, ?) = ? AND until > ? ORDER BY name",
                arguments: [prefix.count, prefix, now.millisecondsSince1970]
            ).map { row in
                ClusterLease(name: row["name"], holder: row["holder"], now: now, until: Date(millisecondsSince1970: row["until"]))
            }
        }
    }
}
